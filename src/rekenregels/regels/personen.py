"""Household composition: ages, roles, partner, children."""

from __future__ import annotations

import numpy as np

from ..engine import HUISHOUDEN, PERSOON, variabele
from ..populatie import AANVRAGER, KIND, MEDEBEWONER, PARTNER


def jaar_en_maanddag(geboortedatum: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Year and month*100+day of datetime64[D] dates, with integer arithmetic only.

    (Civil-from-days conversion; much faster than ``astype('datetime64[Y]')`` on millions.)
    """
    dagen = (geboortedatum.astype("datetime64[D]").astype(np.int64) + 719468).astype(np.int32)
    tijdperk = np.floor_divide(dagen, 146097)
    dag_van_tijdperk = dagen - tijdperk * 146097
    jaar_van_tijdperk = (
        dag_van_tijdperk
        - dag_van_tijdperk // 1460
        + dag_van_tijdperk // 36524
        - dag_van_tijdperk // 146096
    ) // 365
    dag_van_jaar = dag_van_tijdperk - (
        365 * jaar_van_tijdperk + jaar_van_tijdperk // 4 - jaar_van_tijdperk // 100
    )
    maand_index = (5 * dag_van_jaar + 2) // 153
    dag = dag_van_jaar - (153 * maand_index + 2) // 5 + 1
    maand = np.where(maand_index < 10, maand_index + 3, maand_index - 9)
    jaar = jaar_van_tijdperk + tijdperk * 400 + (maand <= 2)
    return jaar, maand * 100 + dag


def leeftijd_op(geboortedatum: np.ndarray, datum) -> np.ndarray:
    """Age in whole years on ``datum`` (vectorised; a birthday on the date counts)."""
    jaar, maanddag = jaar_en_maanddag(geboortedatum)
    return _leeftijd(jaar, maanddag, datum)


def _leeftijd(jaar: np.ndarray, maanddag: np.ndarray, datum) -> np.ndarray:
    return datum.year - jaar - (maanddag > datum.month * 100 + datum.day)


def _geboorte(s) -> tuple[np.ndarray, np.ndarray]:
    afgeleid = s.populatie._afgeleid
    if "geboorte" not in afgeleid:
        afgeleid["geboorte"] = jaar_en_maanddag(s.populatie.geboortedatum)
    return afgeleid["geboorte"]


@variabele(
    entiteit=PERSOON,
    periode="moment",
    eenheid="jaar",
    label="Leeftijd op de peildatum",
    zin="{persoon} is {waarde} jaar.",
)
def leeftijd(s):
    return _leeftijd(*_geboorte(s), s.peildatum)


@variabele(
    entiteit=PERSOON,
    periode="kwartaal",
    eenheid="jaar",
    label="Leeftijd op de eerste dag van het kwartaal",
    wet="Algemene Kinderbijslagwet, artikel 12",
)
def leeftijd_begin_kwartaal(s):
    begin = s.peildatum.replace(month=3 * ((s.peildatum.month - 1) // 3) + 1, day=1)
    return _leeftijd(*_geboorte(s), begin)


@variabele(
    entiteit=PERSOON,
    periode="moment",
    eenheid="ja/nee",
    label="Heeft de AOW-leeftijd bereikt",
    wet="Algemene Ouderdomswet, artikel 7a",
)
def aow_leeftijd_bereikt(s):
    return s("leeftijd") >= s.p("algemeen.aow_leeftijd")


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="ja/nee",
    label="Heeft een partner",
    zin="Er is {waarde_janee} partner.",
)
def heeft_partner(s):
    return s.populatie.partner_index >= 0


@variabele(entiteit=PERSOON, periode="moment", eenheid="ja/nee", label="Is aanvrager of partner")
def is_aanvrager_of_partner(s):
    rol = s.populatie.rol
    return (rol == AANVRAGER) | (rol == PARTNER)


@variabele(
    entiteit=PERSOON,
    periode="moment",
    eenheid="ja/nee",
    label="Is een minderjarig kind in het huishouden",
)
def is_minderjarig_kind(s):
    return (s.populatie.rol == KIND) & (s("leeftijd") < 18)


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="kinderen",
    label="Aantal kinderen jonger dan 18 jaar",
    zin="Aantal kinderen jonger dan 18 jaar in huis: {waarde}.",
)
def aantal_kinderen(s):
    return s.aantal(s("is_minderjarig_kind")).astype(np.int64)


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="personen",
    label="Aantal personen in het huishouden",
)
def aantal_personen(s):
    return np.bincount(s.populatie.huishouden, minlength=s.aantal_huishoudens).astype(np.int64)


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="ja/nee",
    label="Is alleenstaande ouder",
    zin="U bent {waarde_janee} alleenstaande ouder.",
)
def alleenstaande_ouder(s):
    return ~s("heeft_partner") & (s("aantal_kinderen") > 0)


@variabele(entiteit=HUISHOUDEN, periode="moment", eenheid="jaar", label="Leeftijd aanvrager")
def leeftijd_aanvrager(s):
    return s.van_aanvrager(s("leeftijd"))


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="jaar",
    label="Leeftijd partner (-1 als er geen partner is)",
)
def leeftijd_partner(s):
    return s.van_partner(s("leeftijd"), -1)


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="ja/nee",
    label="Aanvrager of partner heeft de AOW-leeftijd",
)
def aow_leeftijd_in_huishouden(s):
    aow = s("aow_leeftijd_bereikt")
    return s.van_aanvrager(aow) | s.van_partner(aow, False)


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="personen",
    label="Medebewoners en inwonende kinderen vanaf de kostendelersleeftijd",
    wet="Participatiewet, artikel 22a",
)
def aantal_kostendelende_medebewoners(s):
    rol = s.populatie.rol
    oud_genoeg = s("leeftijd") >= s.p("bijstand.kostendelers.minimumleeftijd")
    return s.aantal(((rol == MEDEBEWONER) | (rol == KIND)) & oud_genoeg).astype(np.int64)
