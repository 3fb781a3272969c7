"""The engine: named variables with vectorised formulas, evaluated lazily for a population.

A variable is a function decorated with :func:`variabele`. It receives the simulation and
returns a numpy array with one element per person or per household (its ``entiteit``).
Inside a formula, ``s("naam")`` gives another variable and ``s.p("pad")`` a parameter
value on the peildatum. The same formula computes one household or millions.

With ``uitleg=True`` the simulation records, for every variable it computed, which other
variables and which parameters it used: the raw material for the explanation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .parameters import ParameterMoment, Parameters, standaard_parameters
from .populatie import Populatie

PERSOON = "persoon"
HUISHOUDEN = "huishouden"
PERIODES = ("moment", "maand", "kwartaal", "jaar")


@dataclass(frozen=True)
class Variabele:
    """Metadata of a variable plus its formula."""

    naam: str
    entiteit: str
    periode: str
    eenheid: str
    label: str
    formule: Callable[[Simulatie], np.ndarray]
    wet: str = ""
    url: str = ""
    zin: str = ""  # template for a B1 sentence, with {waarde}
    keuzes: tuple[str, ...] = ()  # names of integer codes, for categorical variables
    keuze_labels: dict | None = None  # Dutch (B1) text per name in keuzes


VARIABELEN: dict[str, Variabele] = {}


def variabele(
    *,
    entiteit: str,
    periode: str,
    eenheid: str,
    label: str,
    wet: str = "",
    url: str = "",
    zin: str = "",
    naam: str | None = None,
    keuzes: tuple[str, ...] = (),
    keuze_labels: dict | None = None,
):
    """Register a formula as a variable (the function name is the variable name)."""
    if entiteit not in (PERSOON, HUISHOUDEN):
        raise ValueError(f"onbekende entiteit {entiteit}")
    if periode not in PERIODES:
        raise ValueError(f"onbekende periode {periode}")

    def registreer(formule):
        variabele_naam = naam or formule.__name__
        if variabele_naam in VARIABELEN:
            raise ValueError(f"variabele '{variabele_naam}' is dubbel gedefinieerd")
        VARIABELEN[variabele_naam] = Variabele(
            variabele_naam,
            entiteit,
            periode,
            eenheid,
            label,
            formule,
            wet,
            url,
            zin,
            tuple(keuzes),
            keuze_labels,
        )
        return formule

    return registreer


@dataclass
class Stap:
    """One computed variable as recorded for the explanation."""

    naam: str
    waarde: np.ndarray
    variabelen: list[str] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)


class Simulatie:
    """Evaluates variables for a population on a peildatum."""

    def __init__(
        self,
        populatie: Populatie,
        peildatum: dt.date,
        *,
        parameters: Parameters | None = None,
        catalogus=None,
        uitleg: bool = False,
        opties: dict[str, Any] | None = None,
    ):
        self.populatie = populatie
        self.peildatum = peildatum
        self.parameters = parameters if parameters is not None else standaard_parameters()
        self.moment: ParameterMoment = self.parameters.op(peildatum)
        self.catalogus = catalogus
        self.uitleg = uitleg
        self.opties = dict(opties or {})
        self._cache: dict[str, np.ndarray] = {}
        self.gedeeld: dict[str, Any] = {}  # intermediate results shared by several variables
        self._stapel: list[Stap] = []
        self.stappen: dict[str, Stap] = {}
        self.gebruikte_parameters: dict[str, None] = {}

    # --- variables and parameters -----------------------------------------------------
    def __call__(self, naam: str) -> np.ndarray:
        if self._stapel:
            huidige = self._stapel[-1]
            if naam not in huidige.variabelen:
                huidige.variabelen.append(naam)
        gevonden = self._cache.get(naam)
        if gevonden is not None:
            return gevonden
        try:
            definitie = VARIABELEN[naam]
        except KeyError:
            raise KeyError(f"onbekende variabele '{naam}'") from None
        if self.uitleg:
            stap = Stap(naam, np.empty(0))
            self._stapel.append(stap)
            try:
                waarde = definitie.formule(self)
            finally:
                self._stapel.pop()
            stap.waarde = waarde
            self.stappen[naam] = stap
        else:
            waarde = definitie.formule(self)
        self._cache[naam] = waarde
        return waarde

    def zet(self, naam: str, waarde: np.ndarray) -> None:
        """Give a variable a value instead of computing it (inputs, what-ifs)."""
        self._cache[naam] = waarde

    def p(self, pad: str) -> Any:
        """The value of a parameter on the peildatum (recorded for the explanation)."""
        if self.uitleg:
            self.gebruikte_parameters[pad] = None
            if self._stapel and pad not in self._stapel[-1].parameters:
                self._stapel[-1].parameters.append(pad)
        return self.moment(pad)

    def optie(self, naam: str, standaard: Any) -> Any:
        return self.opties.get(naam, standaard)

    # --- entity helpers ---------------------------------------------------------------
    @property
    def aantal_huishoudens(self) -> int:
        return self.populatie.aantal_huishoudens

    def som(self, per_persoon: np.ndarray) -> np.ndarray:
        """Sum of a person-level array per household."""
        return np.bincount(
            self.populatie.huishouden, weights=per_persoon, minlength=self.aantal_huishoudens
        )

    def aantal(self, per_persoon: np.ndarray) -> np.ndarray:
        """Number of persons per household for which the boolean array is true (int64)."""
        return np.bincount(
            self.populatie.huishouden[per_persoon], minlength=self.aantal_huishoudens
        )

    def maximum(self, per_persoon: np.ndarray) -> np.ndarray:
        """Maximum of a person-level array per household."""
        return np.maximum.reduceat(per_persoon, self.populatie.start_index)

    def minimum(self, per_persoon: np.ndarray) -> np.ndarray:
        return np.minimum.reduceat(per_persoon, self.populatie.start_index)

    def naar_personen(self, per_huishouden: np.ndarray) -> np.ndarray:
        """Project a household-level array onto its persons."""
        return per_huishouden[self.populatie.huishouden]

    def van_aanvrager(self, per_persoon: np.ndarray) -> np.ndarray:
        return per_persoon[self.populatie.aanvrager_index]

    def van_partner(self, per_persoon: np.ndarray, standaard) -> np.ndarray:
        index = self.populatie.partner_index
        heeft = index >= 0
        resultaat = np.full(
            self.aantal_huishoudens,
            standaard,
            dtype=np.result_type(per_persoon.dtype, np.asarray(standaard).dtype),
        )
        resultaat[heeft] = per_persoon[index[heeft]]
        return resultaat


def centen(bedrag: np.ndarray) -> np.ndarray:
    """Round euro amounts to whole cents, half away from zero (commercial rounding).

    The tiny 1e-7 guards against binary representation (1479.995 is stored as 1479.99499...).
    """
    bedrag = np.asarray(bedrag, dtype=np.float64)
    afgerond = np.abs(bedrag)
    afgerond *= 100.0
    afgerond += 0.5 + 1e-7
    np.floor(afgerond, out=afgerond)
    afgerond /= 100.0
    return np.copysign(afgerond, bedrag, out=afgerond)


def hele_euros_omlaag(bedrag: np.ndarray) -> np.ndarray:
    """Round down to whole euros (as the Belastingdienst does for taxable income)."""
    return np.floor(np.asarray(bedrag, dtype=np.float64) + 1e-7)


def schijven(inkomen: np.ndarray, grenzen: list[float], tarieven: list[float]) -> np.ndarray:
    """Tax on ``inkomen`` for a bracket scale: bracket i runs up to ``grenzen[i]``.

    ``tarieven`` has one more element than ``grenzen`` (the top bracket); a rate may be an
    array with one rate per person.
    """
    belasting = np.zeros_like(inkomen, dtype=np.float64)
    ondergrens = 0.0
    for grens, tarief in zip(list(grenzen) + [np.inf], tarieven):
        deel = np.clip(inkomen - ondergrens, 0.0, grens - ondergrens)
        belasting += deel * tarief
        ondergrens = grens
    return belasting
