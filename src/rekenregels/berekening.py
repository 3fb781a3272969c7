"""Public calculations: one household with explanation, and population screening.

Both use the same vectorised variables: :func:`bereken` runs a population of one with
``uitleg=True``; :func:`screen` runs a population of any size without the trace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .engine import PERSOON, VARIABELEN, Simulatie
from .fouten import Fout, InvoerFout
from .gemeentelijk import (
    JA,
    MISSCHIEN,
    NEE,
    RECHT_NAMEN,
    Catalogus,
    beschikbare_catalogi,
    evalueer_catalogus,
    laad_catalogus,
)
from .invoer import Huishouden, lees_huishouden
from .parameters import Parameters
from .populatie import AANVRAGER, MEDEBEWONER, PARTNER, Populatie

CONTRACT_VERSIE = "1.0"


@dataclass(frozen=True)
class LandelijkeRegeling:
    code: str
    naam: str
    variabele: str  # the amount variable
    naar_jaar: float  # factor from the variable's period to a year
    feiten: tuple[str, ...]  # facts that can make the answer 'misschien'
    uitvoerder: str
    wet: str


LANDELIJKE_REGELINGEN = (
    LandelijkeRegeling(
        "zorgtoeslag",
        "Zorgtoeslag",
        "zorgtoeslag_per_jaar",
        1.0,
        ("inkomen_toeslagpartners", "vermogen"),
        "Dienst Toeslagen",
        "Wet op de zorgtoeslag",
    ),
    LandelijkeRegeling(
        "huurtoeslag",
        "Huurtoeslag",
        "huurtoeslag_per_maand",
        12.0,
        ("inkomen_bewoners", "vermogen", "huur"),
        "Dienst Toeslagen",
        "Wet op de huurtoeslag",
    ),
    LandelijkeRegeling(
        "kindgebonden_budget",
        "Kindgebonden budget",
        "kindgebonden_budget_per_jaar",
        1.0,
        ("inkomen_toeslagpartners", "vermogen"),
        "Dienst Toeslagen",
        "Wet op het kindgebonden budget",
    ),
    LandelijkeRegeling(
        "kinderbijslag",
        "Kinderbijslag",
        "kinderbijslag_per_kwartaal",
        4.0,
        (),
        "Sociale Verzekeringsbank",
        "Algemene Kinderbijslagwet",
    ),
    LandelijkeRegeling(
        "bijstand",
        "Bijstand (algemene bijstand)",
        "bijstand_per_maand",
        12.0,
        ("inkomen_toeslagpartners", "vermogen"),
        "gemeente (vanaf AOW-leeftijd: SVB)",
        "Participatiewet",
    ),
)

_FEIT_VARIABELE = {
    "inkomen_toeslagpartners": "inkomen_onbekend_aanvrager_partner",
    "inkomen_bewoners": "inkomen_onbekend_bewoners",
    "vermogen": "vermogen_onbekend",
    "huur": "huur_onbekend",
}


@dataclass
class Uitkomst:
    """Vectorised outcome of one scheme for a population."""

    code: str
    recht: np.ndarray  # int8: 0 nee, 1 ja, 2 misschien
    bedrag_per_jaar: np.ndarray  # amount when entitled (for 'misschien': the most it can be)
    onbekend: dict[str, np.ndarray] = field(default_factory=dict)
    definitie: dict | None = None  # the catalogue entry for a municipal scheme

    @property
    def automatisch_toekennen(self) -> bool:
        return bool(self.definitie and self.definitie.get("automatisch_toekennen", False))

    @property
    def bedrag_per_maand(self) -> np.ndarray:
        return np.floor(self.bedrag_per_jaar / 12.0 * 100.0 + 0.5 + 1e-7) / 100.0


def landelijke_uitkomsten(s: Simulatie) -> dict[str, Uitkomst]:
    uitkomsten = {}
    for regeling in LANDELIJKE_REGELINGEN:
        bedrag = np.round(s(regeling.variabele) * regeling.naar_jaar, 2)
        onbekend = {feit: s(_FEIT_VARIABELE[feit]) & (bedrag > 0) for feit in regeling.feiten}
        misschien = np.zeros(s.aantal_huishoudens, dtype=bool)
        for masker in onbekend.values():
            misschien |= masker
        recht = np.where(bedrag > 0, np.where(misschien, MISSCHIEN, JA), NEE).astype(np.int8)
        uitkomsten[regeling.code] = Uitkomst(regeling.code, recht, bedrag, onbekend)
    return uitkomsten


def gemeentelijke_uitkomsten(s: Simulatie) -> dict[str, Uitkomst]:
    if s.catalogus is None:
        return {}
    return {
        code: Uitkomst(code, u.recht, u.bedrag_per_jaar, u.onbekend, u.regeling)
        for code, u in evalueer_catalogus(s, s.catalogus).items()
    }


# --- population screening -------------------------------------------------------------


@dataclass
class Screening:
    """Result of :func:`screen`: per scheme and per household, recht and amount."""

    simulatie: Simulatie
    regelingen: dict[str, Uitkomst]

    def variabele(self, naam: str) -> np.ndarray:
        """Any other variable for the whole population (computed on demand)."""
        return self.simulatie(naam)

    def tabel(self) -> dict[str, np.ndarray]:
        """Flat columns ``<code>.recht`` and ``<code>.bedrag_per_jaar`` (for a dataframe)."""
        kolommen = {}
        for code, uitkomst in self.regelingen.items():
            kolommen[f"{code}.recht"] = uitkomst.recht
            kolommen[f"{code}.bedrag_per_jaar"] = uitkomst.bedrag_per_jaar
        return kolommen


def screen(
    populatie: Populatie,
    peildatum: dt.date,
    *,
    catalogus: Catalogus | None = None,
    parameters: Parameters | None = None,
    opties: dict | None = None,
    variabelen: tuple[str, ...] = ("besteedbaar_inkomen_per_maand",),
) -> Screening:
    """Screen a whole population through all national schemes and the catalogue at once."""
    s = Simulatie(populatie, peildatum, parameters=parameters, catalogus=catalogus, opties=opties)
    regelingen = landelijke_uitkomsten(s)
    regelingen.update(gemeentelijke_uitkomsten(s))
    for naam in variabelen:
        s(naam)
    return Screening(s, regelingen)


# --- one household, with explanation -----------------------------------------------------


def kies_catalogus(gemeente: str | None) -> Catalogus | None:
    if gemeente is None:
        return None
    try:
        return laad_catalogus(gemeente)
    except KeyError:
        bekend = ", ".join(f"{g['code']} ({g['cbs_code']})" for g in beschikbare_catalogi())
        raise InvoerFout(
            [
                Fout(
                    "gemeente",
                    "onbekende_gemeente",
                    f"Gemeente '{gemeente}' is onbekend. Bekend zijn: {bekend}.",
                )
            ]
        ) from None


def bereken(
    huishouden: dict,
    *,
    catalogus: Catalogus | None = None,
    parameters: Parameters | None = None,
    uitleg: bool | None = None,
) -> dict:
    """Compute one household from the JSON contract; returns the result contract as a dict.

    ``catalogus`` overrides the household's ``gemeente`` (for catalogues stored elsewhere).
    Raises :class:`InvoerFout` (field-named Dutch errors) or ``ParameterOntbreekt``.
    """
    invoer = lees_huishouden(huishouden, parameters=parameters)
    if catalogus is None:
        catalogus = kies_catalogus(invoer.gemeente)
    met_uitleg = invoer.opties.get("uitleg", True) if uitleg is None else uitleg
    s = Simulatie(
        invoer.populatie,
        invoer.peildatum,
        parameters=parameters,
        catalogus=catalogus,
        uitleg=True,
        opties=invoer.opties,
    )
    return _resultaat(s, invoer, catalogus, met_uitleg)


def _getal(waarde: Any) -> Any:
    if isinstance(waarde, (np.bool_, bool)):
        return bool(waarde)
    if isinstance(waarde, (np.integer,)):
        return int(waarde)
    if isinstance(waarde, (np.floating, float)):
        if not np.isfinite(waarde):
            return None
        return round(float(waarde), 2)
    return waarde


def _resultaat(
    s: Simulatie, invoer: Huishouden, catalogus: Catalogus | None, met_uitleg: bool
) -> dict:
    landelijk = landelijke_uitkomsten(s)
    besteedbaar = {
        naam: _getal(s(naam)[0])
        for naam in (
            "bruto_loon_per_maand",
            "bruto_overig_inkomen_per_maand",
            "belasting_voor_kortingen_per_maand",
            "heffingskortingen_per_maand",
            "netto_inkomen_per_maand",
            "bijstand_per_maand",
            "zorgtoeslag_per_maand",
            "huurtoeslag_per_maand",
            "kindgebonden_budget_per_maand",
            "kinderbijslag_per_maand",
            "gemeentelijke_regelingen_per_maand",
            "besteedbaar_inkomen_per_maand",
        )
    }
    regelingen = []
    for regeling in LANDELIJKE_REGELINGEN:
        uitkomst = landelijk[regeling.code]
        item = _regeling_item(s, invoer, uitkomst, regeling.naam, "landelijk", regeling.uitvoerder)
        item["wet"] = regeling.wet
        item["automatisch_toekennen"] = False
        if met_uitleg:
            item["uitleg"] = _uitleg(s, [regeling.variabele])
        regelingen.append(item)
    if catalogus is not None:
        for code, uitkomst in evalueer_catalogus(s, catalogus).items():
            definitie = uitkomst.regeling
            item = _regeling_item(
                s,
                invoer,
                Uitkomst(code, uitkomst.recht, uitkomst.bedrag_per_jaar, uitkomst.onbekend),
                definitie["naam"],
                "gemeentelijk",
                f"gemeente {catalogus.gemeente['naam']}",
            )
            item["wet"] = definitie["grondslag"]
            item["automatisch_toekennen"] = bool(definitie.get("automatisch_toekennen", False))
            if definitie.get("aanvragen"):
                item["aanvragen"] = definitie["aanvragen"]
            if definitie.get("url"):
                item["url"] = definitie["url"]
            if definitie["voorwaarden"].get("individuele_beoordeling"):
                item["beoordeling_door_gemeente"] = definitie["voorwaarden"][
                    "individuele_beoordeling"
                ]
            if met_uitleg:
                item["uitleg"] = _gemeentelijke_uitleg(s, uitkomst)
            regelingen.append(item)
    resultaat = {
        "contract_versie": CONTRACT_VERSIE,
        "peildatum": invoer.peildatum.isoformat(),
        "gemeente": dict(catalogus.gemeente) if catalogus is not None else None,
        "regelingen": regelingen,
        "inkomen": besteedbaar,
        "waarschuwingen": _waarschuwingen(s)
        + _catalogus_waarschuwingen(catalogus, invoer.peildatum),
    }
    return resultaat


def _catalogus_waarschuwingen(catalogus: Catalogus | None, peildatum: dt.date) -> list[dict]:
    if catalogus is None:
        return []
    tot = catalogus.data.get("geldig_tot")
    if catalogus.geldig_vanaf > peildatum or (tot and dt.date.fromisoformat(tot) < peildatum):
        return [
            {
                "code": "catalogus_niet_geldig_op_peildatum",
                "bericht": f"De regelingen van {catalogus.gemeente['naam']} gelden vanaf "
                f"{catalogus.geldig_vanaf.isoformat()}{' tot en met ' + tot if tot else ''}; "
                f"de peildatum is {peildatum.isoformat()}.",
            }
        ]
    return []


def _regeling_item(
    s: Simulatie, invoer: Huishouden, uitkomst: Uitkomst, naam: str, soort: str, uitvoerder: str
) -> dict:
    recht = int(uitkomst.recht[0])
    jaar = float(uitkomst.bedrag_per_jaar[0])
    item: dict[str, Any] = {
        "code": uitkomst.code,
        "naam": naam,
        "soort": soort,
        "uitvoerder": uitvoerder,
        "recht": RECHT_NAMEN[recht],
    }
    if recht == JA:
        item["bedrag_per_jaar"] = round(jaar, 2)
        item["bedrag_per_maand"] = _getal(uitkomst.bedrag_per_maand[0])
    else:
        item["bedrag_per_jaar"] = None if recht == MISSCHIEN else 0.0
        item["bedrag_per_maand"] = None if recht == MISSCHIEN else 0.0
    if recht == MISSCHIEN:
        if jaar > 0:
            item["bedrag_hoogstens_per_jaar"] = round(jaar, 2)
            item["bedrag_hoogstens_per_maand"] = _getal(uitkomst.bedrag_per_maand[0])
        item["ontbrekende_feiten"] = _ontbrekende_feiten(invoer, uitkomst)
    else:
        item["ontbrekende_feiten"] = []
    return item


def _ontbrekende_feiten(invoer: Huishouden, uitkomst: Uitkomst) -> list[dict]:
    populatie = invoer.populatie
    feiten = []
    for feit, masker in uitkomst.onbekend.items():
        if not masker[0]:
            continue
        if feit in ("inkomen_toeslagpartners", "inkomen_bewoners", "inkomen"):
            rollen = (
                (AANVRAGER, PARTNER, MEDEBEWONER)
                if feit == "inkomen_bewoners"
                else (AANVRAGER, PARTNER)
            )
            for index, persoon in enumerate(invoer.personen):
                if (
                    populatie.rol[index] in rollen
                    and "inkomsten" not in persoon
                    and "toetsingsinkomen_per_jaar" not in persoon
                ):
                    feiten.append(
                        {
                            "veld": f"personen[{index}].inkomsten",
                            "bericht": f"Wat zijn de inkomsten van {persoon['id']}?",
                        }
                    )
        elif feit == "vermogen":
            for index, persoon in enumerate(invoer.personen):
                if populatie.rol[index] in (AANVRAGER, PARTNER) and "vermogen" not in persoon:
                    feiten.append(
                        {
                            "veld": f"personen[{index}].vermogen",
                            "bericht": f"Hoeveel vermogen (spaargeld) heeft {persoon['id']}?",
                        }
                    )
        elif feit in ("huur", "woning"):
            if invoer.woning is None:
                feiten.append(
                    {
                        "veld": "woning.soort",
                        "bericht": "Huurt u een woning, heeft u een koopwoning of geen eigen woning?",
                    }
                )
            else:
                feiten.append(
                    {
                        "veld": "woning.kale_huur_per_maand",
                        "bericht": "Hoeveel kale huur betaalt u per maand?",
                    }
                )
        elif feit == "referteperiode":
            feiten.append(
                {
                    "veld": "maanden_laag_inkomen",
                    "bericht": "Hoe lang heeft uw huishouden al een laag inkomen (in maanden)?",
                }
            )
        elif feit == "individuele_beoordeling":
            feiten.append(
                {
                    "veld": "beoordeling_door_gemeente",
                    "bericht": "De gemeente moet uw situatie zelf beoordelen.",
                }
            )
    unieke = []
    for feit in feiten:
        if feit not in unieke:
            unieke.append(feit)
    return unieke


def _waarde_voor_uitleg(s: Simulatie, naam: str, waarde: np.ndarray) -> Any:
    definitie = VARIABELEN[naam]
    if definitie.entiteit == PERSOON:
        return [_getal(w) for w in waarde]
    enkel = waarde[0]
    if definitie.keuzes:
        return definitie.keuzes[int(enkel)]
    return _getal(enkel)


def euro(bedrag: float, decimalen: int = 2) -> str:
    """'€ 1.234,56': Dutch notation for an amount."""
    tekst = f"{bedrag:,.{decimalen}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"€ {tekst}"


def _zin(definitie, waarde: Any) -> str:
    if not definitie.zin or isinstance(waarde, list):
        return ""
    if isinstance(waarde, bool):
        tekst = definitie.zin.replace("{waarde_janee}", "een" if waarde else "geen")
        return tekst.replace("{waarde}", "ja" if waarde else "nee")
    if isinstance(waarde, (int, float)) and definitie.eenheid.startswith("EUR"):
        return definitie.zin.replace("{waarde}", euro(float(waarde)))
    if definitie.keuzes and definitie.keuze_labels:
        return definitie.zin.replace("{waarde}", definitie.keuze_labels.get(waarde, str(waarde)))
    return definitie.zin.replace("{waarde}", str(waarde).replace("_", " "))


def _afhankelijkheden(s: Simulatie, doelen: list[str]) -> list[str]:
    """The variables needed for ``doelen``, in the order in which they were computed."""
    nodig: set[str] = set()
    te_doen = list(doelen)
    while te_doen:
        naam = te_doen.pop()
        if naam in nodig or naam not in s.stappen:
            continue
        nodig.add(naam)
        te_doen.extend(s.stappen[naam].variabelen)
    return [naam for naam in s.stappen if naam in nodig]


def _uitleg(s: Simulatie, doelen: list[str]) -> dict:
    stappen = []
    parameters: dict[str, None] = {}
    for naam in _afhankelijkheden(s, doelen):
        stap = s.stappen[naam]
        definitie = VARIABELEN[naam]
        waarde = _waarde_voor_uitleg(s, naam, stap.waarde)
        item = {
            "variabele": naam,
            "label": definitie.label,
            "waarde": waarde,
            "eenheid": definitie.eenheid,
            "periode": definitie.periode,
        }
        if definitie.entiteit == PERSOON:
            item["per_persoon"] = True
        if definitie.wet:
            item["wet"] = definitie.wet
        zin = _zin(definitie, waarde)
        if zin:
            item["zin"] = zin
        if stap.variabelen:
            item["invoer"] = list(stap.variabelen)
        if stap.parameters:
            item["parameters"] = list(stap.parameters)
            parameters.update(dict.fromkeys(stap.parameters))
        stappen.append(item)
    return {"stappen": stappen, "parameters": [_parameter_json(s, pad) for pad in parameters]}


def _parameter_json(s: Simulatie, pad: str) -> dict:
    gebruik = s.moment.gebruik(pad).als_dict()
    gebruik["waarde"] = _json_waarde(gebruik["waarde"])
    if not gebruik["toelichting"]:
        del gebruik["toelichting"]
    return gebruik


def _json_waarde(waarde: Any) -> Any:
    if isinstance(waarde, (list, tuple)):
        return [_json_waarde(w) for w in waarde]
    if isinstance(waarde, dict):
        return {k: _json_waarde(v) for k, v in waarde.items()}
    return _getal(waarde)


def _gemeentelijke_uitleg(s: Simulatie, uitkomst) -> dict:
    voorwaarden = uitkomst.regeling["voorwaarden"]
    doelen = []
    if "inkomen" in voorwaarden:
        doelen += [
            "bijstandsnorm_zonder_kostendelers_per_maand",
            "inkomen_gemeentelijke_toets_per_maand",
        ]
        if voorwaarden["inkomen"].get("kostendelersnorm"):
            doelen.append("bijstandsnorm_per_maand")
    if "vermogen" in voorwaarden:
        doelen.append("vermogen_aanvrager_partner")
        if voorwaarden["vermogen"].get("bijstandsgrens"):
            doelen.append("bijstand_vermogensgrens")
    for naam in doelen:
        s(naam)
    uitleg = _uitleg(s, doelen)
    toetsen = []
    if "inkomen" in voorwaarden:
        eis = voorwaarden["inkomen"]
        grens = float(uitkomst.details["inkomensgrens_per_maand"][0])
        inkomen = float(uitkomst.details["inkomen_per_maand"][0])
        vakantie = "met" if eis.get("inclusief_vakantietoeslag", True) else "zonder"
        toetsen.append(
            {
                "voorwaarde": "inkomen",
                "grens": round(grens, 2),
                "waarde": round(inkomen, 2),
                "voldaan": inkomen <= grens + 1e-9,
                "zin": (
                    f"Uw inkomen mag niet hoger zijn dan {eis['percentage_bijstandsnorm']:g} % van de "
                    f"bijstandsnorm ({vakantie} vakantietoeslag): {euro(grens)} per maand."
                ),
            }
        )
        if "referteperiode_maanden" in eis:
            maanden = s.populatie.maanden_laag_inkomen[0]
            toetsen.append(
                {
                    "voorwaarde": "referteperiode",
                    "grens": eis["referteperiode_maanden"],
                    "waarde": None if not np.isfinite(maanden) else int(maanden),
                    "voldaan": None
                    if not np.isfinite(maanden)
                    else bool(maanden >= eis["referteperiode_maanden"]),
                    "zin": f"U moet al {eis['referteperiode_maanden']} maanden of langer een laag inkomen hebben.",
                }
            )
    if "vermogen" in voorwaarden:
        grens = float(uitkomst.details["vermogensgrens"][0])
        vermogen = float(s("vermogen_aanvrager_partner")[0])
        toetsen.append(
            {
                "voorwaarde": "vermogen",
                "grens": round(grens, 2),
                "waarde": round(vermogen, 2),
                "voldaan": vermogen <= grens,
                "zin": f"Uw vermogen mag niet hoger zijn dan {euro(grens, 0)}.",
            }
        )
    uitleg["toetsen"] = toetsen
    return uitleg


def _waarschuwingen(s: Simulatie) -> list[dict]:
    waarschuwingen = []
    for pad in s.gebruikte_parameters:
        gebruik = s.moment.gebruik(pad)
        if not gebruik.bevestigd:
            waarschuwingen.append(
                {
                    "code": "parameter_niet_bevestigd",
                    "parameter": pad,
                    "bericht": f"De waarde van '{gebruik.omschrijving}' ({_json_waarde(gebruik.waarde)} "
                    f"{gebruik.eenheid}) is niet bevestigd door een officiële bron. {gebruik.toelichting}".strip(),
                }
            )
    return waarschuwingen
