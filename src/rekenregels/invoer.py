"""The JSON contract for one household: validation and conversion to a :class:`Populatie`."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np

from .fouten import Fout, InvoerFout
from .parameters import Parameters, standaard_parameters
from .populatie import ROLLEN, WONINGSOORTEN, Populatie
from .validatie import schemafouten

SCHEMA_MAP = Path(__file__).parent / "schemas"
MAXIMALE_LEEFTIJD = 125


@functools.cache
def schema(naam: str) -> dict:
    """One of the JSON Schemas of the contract (``huishouden``, ``resultaat``, ...)."""
    with open(SCHEMA_MAP / f"{naam}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _validator(naam: str):
    inhoud = schema(naam)
    klasse = jsonschema.validators.validator_for(inhoud)
    return klasse(inhoud, format_checker=klasse.FORMAT_CHECKER)


@dataclass
class Huishouden:
    """A validated household: the population of one, plus what the result needs."""

    peildatum: dt.date
    populatie: Populatie
    personen: list[dict]
    gemeente: str | None
    opties: dict = field(default_factory=dict)
    woning: dict | None = None


def valideer_huishouden(data: Any, schema_naam: str = "huishouden") -> list[Fout]:
    """All problems with a household (empty list: valid). Does not raise."""
    if not isinstance(data, dict):
        return [Fout("(invoer)", "geen_object", "De invoer moet een JSON-object zijn.")]
    fouten = schemafouten(_validator(schema_naam), data)
    if fouten:
        return fouten
    return _inhoudelijke_fouten(data)


def _inhoudelijke_fouten(data: dict) -> list[Fout]:
    fouten = []
    peildatum = dt.date.fromisoformat(data["peildatum"])
    personen = data["personen"]
    rollen = [persoon["rol"] for persoon in personen]
    if rollen.count("aanvrager") == 0:
        fouten.append(
            Fout(
                "personen",
                "aanvrager_ontbreekt",
                "Er moet precies één persoon met rol 'aanvrager' zijn; er is er geen.",
            )
        )
    elif rollen.count("aanvrager") > 1:
        fouten.append(
            Fout(
                "personen",
                "meerdere_aanvragers",
                "Er mag maar één persoon met rol 'aanvrager' zijn.",
            )
        )
    if rollen.count("partner") > 1:
        fouten.append(
            Fout(
                "personen",
                "meerdere_partners",
                "Er mag hoogstens één persoon met rol 'partner' zijn.",
            )
        )
    gezien: set[str] = set()
    for index, persoon in enumerate(personen):
        if persoon["id"] in gezien:
            fouten.append(
                Fout(
                    f"personen[{index}].id",
                    "dubbel_id",
                    f"Het id '{persoon['id']}' komt vaker voor.",
                )
            )
        gezien.add(persoon["id"])
        geboren = dt.date.fromisoformat(persoon["geboortedatum"])
        if geboren > peildatum:
            fouten.append(
                Fout(
                    f"personen[{index}].geboortedatum",
                    "na_peildatum",
                    "De geboortedatum ligt na de peildatum.",
                )
            )
        elif peildatum.year - geboren.year > MAXIMALE_LEEFTIJD:
            fouten.append(
                Fout(
                    f"personen[{index}].geboortedatum",
                    "onmogelijke_leeftijd",
                    f"Deze persoon zou ouder zijn dan {MAXIMALE_LEEFTIJD} jaar.",
                )
            )
    woning = data.get("woning")
    if woning and woning["soort"] != "huur" and "kale_huur_per_maand" in woning:
        fouten.append(
            Fout(
                "woning.kale_huur_per_maand",
                "huur_zonder_huurwoning",
                "Er is een huur ingevuld, maar de woning is geen huurwoning.",
            )
        )
    return fouten


def lees_huishouden(data: Any, *, parameters: Parameters | None = None) -> Huishouden:
    """Validate one household and convert it; raises :class:`InvoerFout` with all problems."""
    fouten = valideer_huishouden(data)
    if fouten:
        raise InvoerFout(fouten)
    parameters = parameters if parameters is not None else standaard_parameters()
    peildatum = dt.date.fromisoformat(data["peildatum"])
    vakantiegeld = parameters.op(peildatum)("algemeen.vakantiebijslag_loon")
    kolommen: dict[str, list] = {
        naam: []
        for naam in (
            "rol",
            "geboortedatum",
            "loon_per_jaar",
            "uitkering_per_jaar",
            "overig_inkomen_per_jaar",
            "toetsingsinkomen_per_jaar",
            "vermogen",
            "inkomen_bekend",
        )
    }
    for persoon in data["personen"]:
        per_soort = {"loon": 0.0, "uitkering": 0.0, "overig": 0.0}
        for inkomen in persoon.get("inkomsten", []):
            if "bruto_per_jaar" in inkomen:
                bedrag = float(inkomen["bruto_per_jaar"])
            else:
                bedrag = 12.0 * float(inkomen["bruto_per_maand"])
                if inkomen["soort"] in ("loon", "uitkering") and not inkomen.get(
                    "inclusief_vakantiegeld"
                ):
                    bedrag *= 1.0 + vakantiegeld
            per_soort[inkomen["soort"]] += bedrag
        kolommen["rol"].append(ROLLEN[persoon["rol"]])
        kolommen["geboortedatum"].append(persoon["geboortedatum"])
        kolommen["loon_per_jaar"].append(round(per_soort["loon"], 2))
        kolommen["uitkering_per_jaar"].append(round(per_soort["uitkering"], 2))
        kolommen["overig_inkomen_per_jaar"].append(round(per_soort["overig"], 2))
        kolommen["toetsingsinkomen_per_jaar"].append(
            persoon.get("toetsingsinkomen_per_jaar", np.nan)
        )
        kolommen["vermogen"].append(persoon.get("vermogen", np.nan))
        kolommen["inkomen_bekend"].append("inkomsten" in persoon)
    woning = data.get("woning")
    populatie = Populatie.uit_kolommen(
        huishouden=np.zeros(len(data["personen"]), dtype=np.int64),
        **{
            naam: np.array(waarden) for naam, waarden in kolommen.items() if naam != "geboortedatum"
        },
        geboortedatum=np.array(kolommen["geboortedatum"], dtype="datetime64[D]"),
        woningsoort=[WONINGSOORTEN[woning["soort"]] if woning else -1],
        kale_huur_per_maand=[woning.get("kale_huur_per_maand", np.nan) if woning else np.nan],
        servicekosten_per_maand=[woning.get("servicekosten_per_maand", 0.0) if woning else 0.0],
        maanden_laag_inkomen=[data.get("maanden_laag_inkomen", np.nan)],
        aantal_huishoudens=1,
    )
    return Huishouden(
        peildatum,
        populatie,
        data["personen"],
        data.get("gemeente"),
        dict(data.get("opties", {})),
        woning,
    )
