"""Columnar population: a table of persons grouped into households.

The same structure holds one household (for the regelingencheck) or a million (for
screening): every fact is a numpy array, one element per person or per household. Persons
are kept sorted by household, so per-household aggregates are cheap (``np.bincount`` and
``np.add.reduceat``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Roles (column ``rol`` of the person table)
AANVRAGER = 0
PARTNER = 1
KIND = 2
MEDEBEWONER = 3
ROLLEN = {"aanvrager": AANVRAGER, "partner": PARTNER, "kind": KIND, "medebewoner": MEDEBEWONER}

# Housing types (column ``woningsoort`` of the household table)
WONING_ONBEKEND = -1
HUUR = 0
KOOP = 1
GEEN_WONING = 2
WONINGSOORTEN = {"huur": HUUR, "koop": KOOP, "geen": GEEN_WONING}


def _kolom(waarden, dtype, lengte: int, naam: str, standaard=None) -> np.ndarray:
    if waarden is None:
        if standaard is None:
            raise ValueError(f"kolom '{naam}' ontbreekt")
        return np.full(lengte, standaard, dtype=dtype)
    array = np.asarray(waarden, dtype=dtype)
    if array.shape != (lengte,):
        raise ValueError(f"kolom '{naam}' heeft lengte {array.shape}, verwacht ({lengte},)")
    return array


@dataclass
class Populatie:
    """Persons (sorted by household) and households, as numpy columns.

    Person columns: ``huishouden`` (0..n-1), ``rol``, ``geboortedatum`` (datetime64[D]),
    ``loon_per_jaar``, ``uitkering_per_jaar``, ``overig_inkomen_per_jaar`` (gross, euro),
    ``toetsingsinkomen_per_jaar`` (NaN when not given), ``vermogen`` (NaN when unknown),
    ``inkomen_bekend`` (False when the person's incomes are unknown).

    Household columns: ``woningsoort``, ``kale_huur_per_maand`` (NaN when unknown),
    ``servicekosten_per_maand``, ``maanden_laag_inkomen`` (NaN when unknown).
    """

    huishouden: np.ndarray
    rol: np.ndarray
    geboortedatum: np.ndarray
    loon_per_jaar: np.ndarray
    uitkering_per_jaar: np.ndarray
    overig_inkomen_per_jaar: np.ndarray
    toetsingsinkomen_per_jaar: np.ndarray
    vermogen: np.ndarray
    inkomen_bekend: np.ndarray
    woningsoort: np.ndarray
    kale_huur_per_maand: np.ndarray
    servicekosten_per_maand: np.ndarray
    maanden_laag_inkomen: np.ndarray
    aantal_huishoudens: int = 0
    _afgeleid: dict = field(default_factory=dict, repr=False)

    @classmethod
    def uit_kolommen(
        cls,
        *,
        huishouden,
        rol,
        geboortedatum,
        loon_per_jaar=None,
        uitkering_per_jaar=None,
        overig_inkomen_per_jaar=None,
        toetsingsinkomen_per_jaar=None,
        vermogen=None,
        inkomen_bekend=None,
        woningsoort=None,
        kale_huur_per_maand=None,
        servicekosten_per_maand=None,
        maanden_laag_inkomen=None,
        aantal_huishoudens: int | None = None,
    ) -> Populatie:
        """Build a population from a person table and (optional) household columns.

        Household ids must be 0..n-1. Each household needs exactly one ``aanvrager`` and at
        most one ``partner``. Persons are re-sorted by household if needed (stable).
        """
        huishouden = np.asarray(huishouden, dtype=np.int64)
        aantal_personen = huishouden.shape[0]
        if aantal_huishoudens is None:
            aantal_huishoudens = int(huishouden.max()) + 1 if aantal_personen else 0
        kolommen = {
            "huishouden": huishouden,
            "rol": _kolom(rol, np.int8, aantal_personen, "rol"),
            "geboortedatum": _kolom(
                geboortedatum, "datetime64[D]", aantal_personen, "geboortedatum"
            ),
            "loon_per_jaar": _kolom(loon_per_jaar, np.float64, aantal_personen, "loon", 0.0),
            "uitkering_per_jaar": _kolom(
                uitkering_per_jaar, np.float64, aantal_personen, "uitkering", 0.0
            ),
            "overig_inkomen_per_jaar": _kolom(
                overig_inkomen_per_jaar, np.float64, aantal_personen, "overig", 0.0
            ),
            "toetsingsinkomen_per_jaar": _kolom(
                toetsingsinkomen_per_jaar, np.float64, aantal_personen, "toetsingsinkomen", np.nan
            ),
            "vermogen": _kolom(vermogen, np.float64, aantal_personen, "vermogen", np.nan),
            "inkomen_bekend": _kolom(inkomen_bekend, bool, aantal_personen, "inkomen_bekend", True),
        }
        if aantal_personen and np.any(np.diff(huishouden) < 0):
            volgorde = np.argsort(huishouden, kind="stable")
            kolommen = {naam: kolom[volgorde] for naam, kolom in kolommen.items()}
        n = aantal_huishoudens
        populatie = cls(
            **kolommen,
            woningsoort=_kolom(woningsoort, np.int8, n, "woningsoort", WONING_ONBEKEND),
            kale_huur_per_maand=_kolom(kale_huur_per_maand, np.float64, n, "kale_huur", np.nan),
            servicekosten_per_maand=_kolom(
                servicekosten_per_maand, np.float64, n, "servicekosten", 0.0
            ),
            maanden_laag_inkomen=_kolom(
                maanden_laag_inkomen, np.float64, n, "maanden_laag_inkomen", np.nan
            ),
            aantal_huishoudens=n,
        )
        populatie._controleer()
        return populatie

    def _controleer(self) -> None:
        n = self.aantal_huishoudens
        if self.huishouden.size and (self.huishouden.min() < 0 or self.huishouden.max() >= n):
            raise ValueError("huishouden-id's moeten 0..n-1 zijn")
        aanvragers = np.bincount(self.huishouden[self.rol == AANVRAGER], minlength=n)
        if np.any(aanvragers != 1):
            raise ValueError("elk huishouden heeft precies één aanvrager nodig")
        partners = np.bincount(self.huishouden[self.rol == PARTNER], minlength=n)
        if np.any(partners > 1):
            raise ValueError("een huishouden heeft hoogstens één partner")

    @property
    def aantal_personen(self) -> int:
        return int(self.huishouden.shape[0])

    # --- index helpers, computed once ---------------------------------------------------
    def _index(self, naam: str) -> np.ndarray:
        if naam not in self._afgeleid:
            if naam == "aanvrager":
                index = np.empty(self.aantal_huishoudens, dtype=np.int64)
                posities = np.flatnonzero(self.rol == AANVRAGER)
                index[self.huishouden[posities]] = posities
            elif naam == "partner":
                index = np.full(self.aantal_huishoudens, -1, dtype=np.int64)
                posities = np.flatnonzero(self.rol == PARTNER)
                index[self.huishouden[posities]] = posities
            elif naam == "start":
                tellingen = np.bincount(self.huishouden, minlength=self.aantal_huishoudens)
                index = np.concatenate(([0], np.cumsum(tellingen)[:-1])).astype(np.int64)
            else:  # pragma: no cover - programming error
                raise KeyError(naam)
            self._afgeleid[naam] = index
        return self._afgeleid[naam]

    @property
    def aanvrager_index(self) -> np.ndarray:
        return self._index("aanvrager")

    @property
    def partner_index(self) -> np.ndarray:
        return self._index("partner")

    @property
    def start_index(self) -> np.ndarray:
        return self._index("start")

    def deel(self, huishoudens: np.ndarray) -> Populatie:
        """A sub-population with the given households (renumbered 0..k-1, in that order)."""
        huishoudens = np.asarray(huishoudens, dtype=np.int64)
        nieuw_nummer = np.full(self.aantal_huishoudens, -1, dtype=np.int64)
        nieuw_nummer[huishoudens] = np.arange(huishoudens.size)
        personen = np.flatnonzero(nieuw_nummer[self.huishouden] >= 0)
        return Populatie.uit_kolommen(
            huishouden=nieuw_nummer[self.huishouden[personen]],
            rol=self.rol[personen],
            geboortedatum=self.geboortedatum[personen],
            loon_per_jaar=self.loon_per_jaar[personen],
            uitkering_per_jaar=self.uitkering_per_jaar[personen],
            overig_inkomen_per_jaar=self.overig_inkomen_per_jaar[personen],
            toetsingsinkomen_per_jaar=self.toetsingsinkomen_per_jaar[personen],
            vermogen=self.vermogen[personen],
            inkomen_bekend=self.inkomen_bekend[personen],
            woningsoort=self.woningsoort[huishoudens],
            kale_huur_per_maand=self.kale_huur_per_maand[huishoudens],
            servicekosten_per_maand=self.servicekosten_per_maand[huishoudens],
            maanden_laag_inkomen=self.maanden_laag_inkomen[huishoudens],
            aantal_huishoudens=int(huishoudens.size),
        )

    @staticmethod
    def uit_huishoudens(huishoudens: list[dict]) -> Populatie:
        """A population from household dicts of the JSON contract (validated one by one).

        Convenient for thousands of households; for millions build the columns directly with
        :meth:`uit_kolommen`. Raises ``InvoerFout`` for the first invalid household, with the
        field names prefixed by its index.
        """
        from .fouten import Fout, InvoerFout
        from .invoer import lees_huishouden

        delen = []
        for index, data in enumerate(huishoudens):
            try:
                delen.append(lees_huishouden(data).populatie)
            except InvoerFout as fout:
                raise InvoerFout(
                    [Fout(f"[{index}].{f.veld}", f.code, f.bericht) for f in fout.fouten]
                ) from None
        return Populatie.samenvoegen(delen)

    @staticmethod
    def samenvoegen(delen: list[Populatie]) -> Populatie:
        """Concatenate populations (household ids are renumbered)."""
        verschuiving = 0
        huishouden = []
        for deel in delen:
            huishouden.append(deel.huishouden + verschuiving)
            verschuiving += deel.aantal_huishoudens

        def persoonkolom(naam):
            return np.concatenate([getattr(deel, naam) for deel in delen])

        def huishoudkolom(naam):
            return np.concatenate([getattr(deel, naam) for deel in delen])

        return Populatie.uit_kolommen(
            huishouden=np.concatenate(huishouden),
            rol=persoonkolom("rol"),
            geboortedatum=persoonkolom("geboortedatum"),
            loon_per_jaar=persoonkolom("loon_per_jaar"),
            uitkering_per_jaar=persoonkolom("uitkering_per_jaar"),
            overig_inkomen_per_jaar=persoonkolom("overig_inkomen_per_jaar"),
            toetsingsinkomen_per_jaar=persoonkolom("toetsingsinkomen_per_jaar"),
            vermogen=persoonkolom("vermogen"),
            inkomen_bekend=persoonkolom("inkomen_bekend"),
            woningsoort=huishoudkolom("woningsoort"),
            kale_huur_per_maand=huishoudkolom("kale_huur_per_maand"),
            servicekosten_per_maand=huishoudkolom("servicekosten_per_maand"),
            maanden_laag_inkomen=huishoudkolom("maanden_laag_inkomen"),
            aantal_huishoudens=verschuiving,
        )
