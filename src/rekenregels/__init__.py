"""rekenregels: Dutch income-support rules as code (pure Python + numpy, no Django).

One definition per rule, evaluated vectorised: for one household with an explanation
(:func:`bereken`) or for a whole population (:func:`screen`). See docs/rekenregels.md.

Public API
----------
- :func:`bereken` - one household (JSON contract dict) -> result dict with explanation.
- :func:`armoedeval` - net disposable income for 0..40 working hours, with cliffs.
- :func:`screen` - a :class:`Populatie` -> per household and per scheme recht/amount.
- :class:`Populatie` - columnar person table grouped into households.
- :class:`Catalogus`, :func:`laad_catalogus`, :func:`valideer_catalogus` - municipal
  schemes as data (from YAML, or parsed data from a database); ``met_wijziging`` for what-ifs.
- :class:`Parameters`, :func:`standaard_parameters` - dated parameters; ``met_waarde`` for reforms.
- :class:`Simulatie`, :data:`VARIABELEN` - the engine itself, for custom questions.
- errors: :class:`InvoerFout`, :class:`ParameterOntbreekt`, :class:`CatalogusFout`, :class:`Fout`.
"""

from .parameters import Parameters, standaard_parameters
from .engine import VARIABELEN, Simulatie, variabele
from . import regels  # noqa: F401  (registers the variables)
from .gemeentelijk import (JA, MISSCHIEN, NEE, Catalogus, beschikbare_catalogi, laad_catalogus,
                           valideer_catalogus)
from .fouten import CatalogusFout, Fout, InvoerFout, ParameterOntbreekt, RekenregelsFout
from .populatie import Populatie
from .invoer import lees_huishouden, schema, valideer_huishouden
from .berekening import LANDELIJKE_REGELINGEN, Screening, Uitkomst, bereken, screen
from .armoedeval import armoedeval

__all__ = [
    "armoedeval", "bereken", "screen", "Screening", "Uitkomst", "LANDELIJKE_REGELINGEN",
    "Populatie", "Catalogus", "laad_catalogus", "beschikbare_catalogi", "valideer_catalogus",
    "Parameters", "standaard_parameters", "Simulatie", "VARIABELEN", "variabele",
    "lees_huishouden", "valideer_huishouden", "schema",
    "InvoerFout", "ParameterOntbreekt", "CatalogusFout", "RekenregelsFout", "Fout",
    "JA", "NEE", "MISSCHIEN",
]
