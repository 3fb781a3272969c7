"""rekenregels: Dutch income-support rules as code (pure Python + numpy, no Django).

One definition per rule, evaluated vectorised: for one household with an explanation
(:func:`bereken`) or for a whole population (:func:`screen`). See docs/rekenregels.md.

Public API
----------
- :func:`bereken` - one household (JSON contract dict) -> result dict with explanation.
- :func:`armoedeval` - net disposable income for 0..40 working hours, with cliffs.
- :func:`screen` - a :class:`Populatie` -> per household and per scheme recht/amount.
- :class:`Populatie` - columnar person table grouped into households; :data:`ROLLEN` and
  :data:`WONINGSOORTEN` map the names to the codes of its ``rol`` and ``woningsoort`` columns
  (:data:`WONING_ONBEKEND` for an unknown home).
- :class:`Catalogus`, :func:`laad_catalogus`, :func:`valideer_catalogus` - municipal
  schemes as data (from YAML, or parsed data from a database); ``met_wijziging`` for what-ifs.
- :func:`voorbeeld_catalogus_tekst` - the YAML text (with comments) of the shipped example catalogue.
- :func:`evalueer_catalogus` - every scheme of a catalogue on an existing :class:`Simulatie`
  (reusing its national part; ``screen(...).simulatie``), per code recht/amount/details.
- :class:`Parameters`, :func:`standaard_parameters` - dated parameters; ``met_waarde`` for reforms.
- :class:`Simulatie`, :data:`VARIABELEN` - the engine itself, for custom questions.
- errors: :class:`InvoerFout`, :class:`ParameterOntbreekt`, :class:`CatalogusFout`, :class:`Fout`.
"""

from . import regels  # noqa: F401  (registers the variables)
from .armoedeval import armoedeval
from .berekening import LANDELIJKE_REGELINGEN, Screening, Uitkomst, bereken, screen
from .engine import VARIABELEN, Simulatie, variabele
from .fouten import CatalogusFout, Fout, InvoerFout, ParameterOntbreekt, RekenregelsFout
from .gemeentelijk import (
    JA,
    MISSCHIEN,
    NEE,
    Catalogus,
    beschikbare_catalogi,
    evalueer_catalogus,
    laad_catalogus,
    valideer_catalogus,
    voorbeeld_catalogus_tekst,
)
from .invoer import lees_huishouden, schema, valideer_huishouden
from .parameters import Parameters, standaard_parameters
from .populatie import ROLLEN, WONING_ONBEKEND, WONINGSOORTEN, Populatie

__all__ = [
    "JA",
    "LANDELIJKE_REGELINGEN",
    "MISSCHIEN",
    "NEE",
    "ROLLEN",
    "VARIABELEN",
    "WONINGSOORTEN",
    "WONING_ONBEKEND",
    "Catalogus",
    "CatalogusFout",
    "Fout",
    "InvoerFout",
    "ParameterOntbreekt",
    "Parameters",
    "Populatie",
    "RekenregelsFout",
    "Screening",
    "Simulatie",
    "Uitkomst",
    "armoedeval",
    "bereken",
    "beschikbare_catalogi",
    "evalueer_catalogus",
    "laad_catalogus",
    "lees_huishouden",
    "schema",
    "screen",
    "standaard_parameters",
    "valideer_catalogus",
    "valideer_huishouden",
    "variabele",
    "voorbeeld_catalogus_tekst",
]
