"""The rules: importing this package registers every variable with the engine."""

from . import personen, belasting, bijstand, toeslagen, feiten, besteedbaar  # noqa: F401
