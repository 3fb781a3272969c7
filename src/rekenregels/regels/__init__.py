"""The rules: importing this package registers every variable with the engine."""

from . import belasting, besteedbaar, bijstand, feiten, personen, toeslagen  # noqa: F401
