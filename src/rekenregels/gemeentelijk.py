"""Municipal schemes (minimaregelingen) as data.

A catalogue is YAML (or already parsed data, for catalogues stored in a database) that
follows ``schemas/gemeentelijke-regelingen.schema.json``. :class:`Catalogus` validates it
with clear, field-named Dutch errors; :func:`evalueer_catalogus` evaluates every scheme for
a whole population at once.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import yaml

from .engine import HUISHOUDEN, centen, variabele
from .fouten import CatalogusFout, Fout
from .populatie import KIND, WONING_ONBEKEND, WONINGSOORTEN
from .validatie import schemafouten

SCHEMA_PAD = Path(__file__).parent / "schemas" / "gemeentelijke-regelingen.schema.json"
CATALOGUS_MAP = Path(__file__).parent / "catalogi"

# Codes for 'recht' in vectorised results
NEE, JA, MISSCHIEN = 0, 1, 2
RECHT_NAMEN = {NEE: "nee", JA: "ja", MISSCHIEN: "misschien"}


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    with open(SCHEMA_PAD, encoding="utf-8") as handle:
        schema = json.load(handle)
    klasse = jsonschema.validators.validator_for(schema)
    return klasse(schema, format_checker=klasse.FORMAT_CHECKER)


def _als_tekst(waarde: Any) -> Any:
    """YAML turns ISO dates into date objects; the schema expects strings."""
    if isinstance(waarde, dict):
        return {sleutel: _als_tekst(item) for sleutel, item in waarde.items()}
    if isinstance(waarde, list):
        return [_als_tekst(item) for item in waarde]
    if isinstance(waarde, (dt.date, dt.datetime)):
        return waarde.isoformat()
    return waarde


def valideer_catalogus(data: Any) -> list[Fout]:
    """All problems with a catalogue (empty list: valid)."""
    data = _als_tekst(data)
    fouten = schemafouten(_validator(), data)
    if fouten:
        return fouten
    gezien: set[str] = set()
    for index, regeling in enumerate(data["regelingen"]):
        if regeling["code"] in gezien:
            fouten.append(
                Fout(
                    f"regelingen[{index}].code",
                    "dubbele_code",
                    f"De code '{regeling['code']}' komt vaker voor.",
                )
            )
        gezien.add(regeling["code"])
        kinderen = regeling["voorwaarden"].get("kinderen", {})
        if kinderen.get("leeftijd_vanaf", 0) >= kinderen.get("leeftijd_tot", 99):
            fouten.append(
                Fout(
                    f"regelingen[{index}].voorwaarden.kinderen",
                    "leeftijden",
                    "'leeftijd_vanaf' moet lager zijn dan 'leeftijd_tot'.",
                )
            )
        leeftijd = regeling["voorwaarden"].get("leeftijd_aanvrager", {})
        if leeftijd.get("minimaal", 0) > leeftijd.get("maximaal", 999):
            fouten.append(
                Fout(
                    f"regelingen[{index}].voorwaarden.leeftijd_aanvrager",
                    "leeftijden",
                    "'minimaal' mag niet hoger zijn dan 'maximaal'.",
                )
            )
    if "geldig_tot" in data and data["geldig_tot"] < data["geldig_vanaf"]:
        fouten.append(Fout("geldig_tot", "datums", "'geldig_tot' ligt voor 'geldig_vanaf'."))
    return fouten


@dataclass(frozen=True)
class Catalogus:
    """A validated municipal scheme catalogue. Immutable: changes give a new catalogue."""

    data: dict

    @classmethod
    def uit_data(cls, data: Any, *, bron: str = "") -> Catalogus:
        """Validate parsed data (from YAML, JSON or a database) and wrap it."""
        data = _als_tekst(copy.deepcopy(data))
        fouten = valideer_catalogus(data)
        if fouten:
            raise CatalogusFout(fouten, bron)
        return cls(data)

    @classmethod
    def uit_yaml(cls, tekst: str, *, bron: str = "") -> Catalogus:
        try:
            data = yaml.safe_load(tekst)
        except yaml.YAMLError as exc:
            raise CatalogusFout(
                [Fout("(bestand)", "yaml", f"Het bestand is geen geldige YAML: {exc}")], bron
            ) from exc
        return cls.uit_data(data, bron=bron)

    @classmethod
    def uit_bestand(cls, pad: Path | str) -> Catalogus:
        pad = Path(pad)
        try:
            tekst = pad.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogusFout(
                [Fout("(bestand)", "niet_leesbaar", f"Het bestand {pad} is niet te lezen: {exc}")],
                pad.name,
            ) from exc
        return cls.uit_yaml(tekst, bron=pad.name)

    # --- properties ------------------------------------------------------------------
    @property
    def gemeente(self) -> dict:
        return self.data["gemeente"]

    @property
    def regelingen(self) -> list[dict]:
        return self.data["regelingen"]

    @property
    def geldig_vanaf(self) -> dt.date:
        return dt.date.fromisoformat(self.data["geldig_vanaf"])

    def regeling(self, code: str) -> dict:
        for regeling in self.regelingen:
            if regeling["code"] == code:
                return regeling
        raise KeyError(f"De catalogus van {self.gemeente['naam']} heeft geen regeling '{code}'.")

    def met_wijziging(self, regeling: str, pad: str, waarde: Any) -> Catalogus:
        """A new, validated catalogue in which one value of one scheme is changed (what-if).

        ``pad`` is dotted within the scheme, for example
        ``voorwaarden.inkomen.percentage_bijstandsnorm`` or ``bedrag.per_kind_per_jaar``.
        """
        data = copy.deepcopy(self.data)
        doel = next((r for r in data["regelingen"] if r["code"] == regeling), None)
        if doel is None:
            raise KeyError(f"Onbekende regeling '{regeling}'.")
        delen = pad.split(".")
        knoop = doel
        for deel in delen[:-1]:
            knoop = knoop.setdefault(deel, {})
        knoop[delen[-1]] = waarde
        return Catalogus.uit_data(data, bron=f"wijziging {regeling}.{pad}")


@functools.cache
def _verscheepte_catalogi() -> dict[str, Catalogus]:
    catalogi = {}
    for bestand in sorted(CATALOGUS_MAP.glob("*.yaml")):
        catalogus = Catalogus.uit_bestand(bestand)
        catalogi[catalogus.gemeente["code"]] = catalogus
        catalogi[catalogus.gemeente["cbs_code"].upper()] = catalogus
    return catalogi


def laad_catalogus(gemeente: str) -> Catalogus:
    """A shipped catalogue by catalogue code (``voorbeeld``) or CBS code (``GM9999``)."""
    catalogi = _verscheepte_catalogi()
    sleutel = gemeente.upper() if gemeente.upper().startswith("GM") else gemeente.lower()
    if sleutel not in catalogi:
        raise KeyError(gemeente)
    return catalogi[sleutel]


def beschikbare_catalogi() -> list[dict]:
    return [c.gemeente for code, c in _verscheepte_catalogi().items() if not code.startswith("GM")]


def voorbeeld_catalogus_tekst() -> str:
    """The YAML text of the shipped example catalogue (gemeente Voorbeeld, GM9999), with its
    comments: a starting point to store or edit as text."""
    return (CATALOGUS_MAP / "voorbeeld.yaml").read_text(encoding="utf-8")


# --- evaluation ---------------------------------------------------------------------------


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Inkomen voor de gemeentelijke inkomenstoets (netto inkomen plus bijstand, zonder toeslagen)",
    wet="Participatiewet, artikel 31-32 (middelen)",
    zin="Voor de gemeentelijke regelingen telt een inkomen van {waarde} per maand.",
)
def inkomen_gemeentelijke_toets_per_maand(s):
    return centen(s("netto_inkomen_per_maand") + s("bijstand_per_maand"))


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Inkomen voor de gemeentelijke inkomenstoets zonder vakantiegeld",
)
def inkomen_gemeentelijke_toets_zonder_vakantiegeld_per_maand(s):
    box1 = s.som(s("box1_inkomen_per_jaar"))
    met_vakantiegeld = s.som(s("loon_per_jaar") + s("uitkering_per_jaar"))
    aandeel = np.divide(met_vakantiegeld, box1, out=np.zeros_like(box1), where=box1 > 0)
    vakantiegeld = s.p("algemeen.vakantiebijslag_loon")
    netto = s("netto_inkomen_per_maand") * (1.0 - aandeel * vakantiegeld / (1.0 + vakantiegeld))
    bijstand = s("bijstand_per_maand") * (1.0 - s.p("bijstand.vakantietoeslag_aandeel"))
    return centen(netto + bijstand)


@dataclass
class RegelingUitkomst:
    """Vectorised outcome of one municipal scheme."""

    regeling: dict
    recht: np.ndarray  # int8: NEE / JA / MISSCHIEN
    bedrag_per_jaar: np.ndarray  # amount if entitled (favourable for misschien)
    onbekend: dict[str, np.ndarray]  # fact -> households for which it is missing and matters
    details: dict[str, np.ndarray]  # thresholds and values, for the explanation


def evalueer_catalogus(s, catalogus: Catalogus) -> dict[str, RegelingUitkomst]:
    """Evaluate every scheme of the catalogue for the whole population of ``s``.

    ``s`` is a :class:`~rekenregels.engine.Simulatie` (for example ``screen(...).simulatie``);
    its national variables (income, tax, norms) are reused, so a what-if that only changes
    the catalogue costs just the municipal part. Returns, per scheme code, a
    :class:`RegelingUitkomst` with per household ``recht`` (NEE/JA/MISSCHIEN),
    ``bedrag_per_jaar``, the missing facts (``onbekend``) and the thresholds (``details``).
    The result is cached on ``s`` for this catalogue object; evaluating another catalogue
    replaces that cache entry.
    """
    if "gemeentelijk" in s.gedeeld and s.gedeeld["gemeentelijk"][0] is catalogus:
        return s.gedeeld["gemeentelijk"][1]
    uitkomsten = {}
    n = s.aantal_huishoudens
    rol = s.populatie.rol
    leeftijd = s("leeftijd")
    is_kind = rol == KIND
    kinderen_per_band: dict[tuple[int, int], np.ndarray] = {}
    # Schemes often share an income test (for example 130 % with vakantietoeslag): compute once.
    inkomenstoetsen: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for regeling in catalogus.regelingen:
        voorwaarden = regeling["voorwaarden"]
        voldoet = np.ones(n, dtype=bool)
        onbekend: dict[str, np.ndarray] = {}
        details: dict[str, np.ndarray] = {}

        leeftijd_eis = voorwaarden.get("leeftijd_aanvrager")
        if leeftijd_eis:
            aanvrager = s("leeftijd_aanvrager")
            if "minimaal" in leeftijd_eis:
                voldoet &= aanvrager >= leeftijd_eis["minimaal"]
            if "maximaal" in leeftijd_eis:
                voldoet &= aanvrager <= leeftijd_eis["maximaal"]
            aow = s.van_aanvrager(s("aow_leeftijd_bereikt"))
            if leeftijd_eis.get("jonger_dan_aow_leeftijd"):
                voldoet &= ~aow
            if leeftijd_eis.get("aow_leeftijd_bereikt"):
                voldoet &= aow

        inkomen_eis = voorwaarden.get("inkomen")
        if inkomen_eis:
            sleutel = (
                inkomen_eis["percentage_bijstandsnorm"],
                bool(inkomen_eis.get("inclusief_vakantietoeslag", True)),
                bool(inkomen_eis.get("kostendelersnorm", False)),
            )
            if sleutel not in inkomenstoetsen:
                inkomenstoetsen[sleutel] = _inkomenstoets(s, *sleutel)
            grens, inkomen, binnen = inkomenstoetsen[sleutel]
            voldoet &= binnen
            details["inkomensgrens_per_maand"] = grens
            details["inkomen_per_maand"] = inkomen
            onbekend["inkomen"] = s("inkomen_onbekend_aanvrager_partner")
            if "referteperiode_maanden" in inkomen_eis:
                maanden = s.populatie.maanden_laag_inkomen
                bekend = np.isfinite(maanden)
                voldoet &= ~bekend | (
                    np.nan_to_num(maanden) >= inkomen_eis["referteperiode_maanden"]
                )
                onbekend["referteperiode"] = ~bekend

        vermogen_eis = voorwaarden.get("vermogen")
        if vermogen_eis:
            if vermogen_eis.get("bijstandsgrens"):
                grens = s("bijstand_vermogensgrens")
            else:
                gezin = s("heeft_partner") | (s("aantal_kinderen") > 0)
                maximaal = vermogen_eis.get("maximaal", np.inf)
                grens = np.where(gezin, vermogen_eis.get("maximaal_gezin", maximaal), maximaal)
            voldoet &= s("vermogen_aanvrager_partner") <= grens
            details["vermogensgrens"] = np.broadcast_to(np.asarray(grens, dtype=np.float64), (n,))
            onbekend["vermogen"] = s("vermogen_onbekend")

        kinderen_eis = voorwaarden.get("kinderen")
        vanaf = kinderen_eis.get("leeftijd_vanaf", 0) if kinderen_eis else 0
        tot = kinderen_eis.get("leeftijd_tot", 18) if kinderen_eis else 18
        if (vanaf, tot) not in kinderen_per_band:
            kinderen_per_band[(vanaf, tot)] = s.aantal(
                is_kind & (leeftijd >= vanaf) & (leeftijd < tot)
            )
        passende_kinderen = kinderen_per_band[(vanaf, tot)]
        if kinderen_eis:
            voldoet &= passende_kinderen >= kinderen_eis.get("minimaal_aantal", 1)

        woning_eis = voorwaarden.get("woning")
        if woning_eis:
            codes = [WONINGSOORTEN[w] for w in woning_eis]
            woningsoort = s.populatie.woningsoort
            voldoet &= np.isin(woningsoort, codes) | (woningsoort == WONING_ONBEKEND)
            onbekend["woning"] = s("woning_onbekend")

        if voorwaarden.get("individuele_beoordeling"):
            onbekend["individuele_beoordeling"] = np.ones(n, dtype=bool)

        bedrag = _bedrag_per_jaar(s, regeling["bedrag"], passende_kinderen)
        bedrag *= voldoet
        recht = voldoet.astype(np.int8)  # NEE = 0, JA = 1
        if onbekend:
            onbekend_totaal = np.logical_or.reduce(list(onbekend.values())) & voldoet
            recht += onbekend_totaal  # MISSCHIEN = 2
        uitkomsten[regeling["code"]] = RegelingUitkomst(
            regeling, recht, bedrag, {k: v & voldoet for k, v in onbekend.items()}, details
        )
    s.gedeeld["gemeentelijk"] = (catalogus, uitkomsten)
    return uitkomsten


def _inkomenstoets(s, percentage: float, met_vakantietoeslag: bool, kostendelersnorm: bool):
    """Income limit, income and whether the income is within the limit, per household."""
    norm = (
        s("bijstandsnorm_per_maand")
        if kostendelersnorm
        else s("bijstandsnorm_zonder_kostendelers_per_maand")
    )
    if met_vakantietoeslag:
        inkomen = s("inkomen_gemeentelijke_toets_per_maand")
    else:
        norm = norm * (1.0 - s.p("bijstand.vakantietoeslag_aandeel"))
        inkomen = s("inkomen_gemeentelijke_toets_zonder_vakantiegeld_per_maand")
    grens = centen(norm * percentage / 100.0)
    return grens, inkomen, inkomen <= grens + 1e-9


def _bedrag_per_jaar(s, regel: dict, passende_kinderen: np.ndarray) -> np.ndarray:
    """The yearly amount of a scheme per household (only the terms the scheme uses)."""
    n = s.aantal_huishoudens
    vast = regel.get("vast_per_jaar", 0.0) + 12.0 * regel.get("vast_per_maand", 0.0)
    bedrag = np.full(n, float(vast))
    if "per_leefvorm_per_jaar" in regel:
        tabel = regel["per_leefvorm_per_jaar"]
        bedrag += np.select(
            [s("heeft_partner"), s("alleenstaande_ouder")],
            [tabel["gehuwden"], tabel["alleenstaande_ouder"]],
            default=tabel["alleenstaande"],
        )
    per_volwassene = regel.get("per_volwassene_per_jaar", 0.0) + 12.0 * regel.get(
        "per_volwassene_per_maand", 0.0
    )
    if per_volwassene:
        if "volwassenen" not in s.gedeeld:
            s.gedeeld["volwassenen"] = s.aantal(s("leeftijd") >= 18)
        bedrag += s.gedeeld["volwassenen"] * per_volwassene
    if regel.get("per_kind_per_jaar"):
        bedrag += passende_kinderen * regel["per_kind_per_jaar"]
    if regel.get("per_persoon_per_jaar"):
        bedrag += s("aantal_personen") * regel["per_persoon_per_jaar"]
    if "maximum_per_jaar" in regel:
        np.minimum(bedrag, regel["maximum_per_jaar"], out=bedrag)
    return centen(bedrag)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Gemeentelijke regelingen die als inkomen tellen, omgerekend per maand",
    zin="De gemeentelijke regelingen zijn samen {waarde} per maand waard.",
)
def gemeentelijke_regelingen_per_maand(s):
    if s.catalogus is None:
        return np.zeros(s.aantal_huishoudens)
    totaal = np.zeros(s.aantal_huishoudens)
    for uitkomst in evalueer_catalogus(s, s.catalogus).values():
        if uitkomst.regeling.get("telt_als_inkomen", True) and not uitkomst.regeling[
            "voorwaarden"
        ].get("individuele_beoordeling"):
            totaal += np.where(uitkomst.recht != NEE, uitkomst.bedrag_per_jaar, 0.0)
    return centen(totaal / 12.0)
