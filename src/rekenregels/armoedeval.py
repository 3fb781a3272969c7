"""Armoedeval: net disposable income per month for 0..40 working hours in one vectorised call.

The household is replicated once per number of hours (a population of 41 households), the
working person's wage is set to hours x hourly wage x 52 weeks plus vakantiebijslag, and the
whole model runs once. Each point is broken down per component; a 'klif' is a step where
working more leaves the household with less, and names the component that causes it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .berekening import euro, kies_catalogus
from .engine import Simulatie, centen
from .fouten import Fout, InvoerFout
from .gemeentelijk import NEE, Catalogus, evalueer_catalogus
from .invoer import _validator, lees_huishouden
from .parameters import Parameters, standaard_parameters
from .populatie import AANVRAGER, Populatie
from .validatie import schemafouten

# Components of besteedbaar inkomen: (code, label, variable, sign)
COMPONENTEN = (
    ("loon", "Bruto loon", "bruto_loon_per_maand", 1.0),
    (
        "overig_inkomen",
        "Uitkeringen en overig inkomen (bruto)",
        "bruto_overig_inkomen_per_maand",
        1.0,
    ),
    ("belasting", "Belasting en premies", "belasting_voor_kortingen_per_maand", -1.0),
    ("heffingskortingen", "Heffingskortingen", "heffingskortingen_per_maand", 1.0),
    ("bijstand", "Bijstand", "bijstand_per_maand", 1.0),
    ("zorgtoeslag", "Zorgtoeslag", "zorgtoeslag_per_maand", 1.0),
    ("huurtoeslag", "Huurtoeslag", "huurtoeslag_per_maand", 1.0),
    ("kindgebonden_budget", "Kindgebonden budget", "kindgebonden_budget_per_maand", 1.0),
    ("kinderbijslag", "Kinderbijslag", "kinderbijslag_per_maand", 1.0),
)


def _fouten_met_prefix(fouten: list[Fout], prefix: str) -> list[Fout]:
    return [
        Fout(f"{prefix}.{f.veld}" if f.veld != "(invoer)" else prefix, f.code, f.bericht)
        for f in fouten
    ]


def armoedeval(
    invoer: dict, *, catalogus: Catalogus | None = None, parameters: Parameters | None = None
) -> dict:
    """Compute the armoedeval for ``{"huishouden": {...}, "uurloon"?, "persoon"?, "uren"?}``."""
    if not isinstance(invoer, dict):
        raise InvoerFout([Fout("(invoer)", "geen_object", "De invoer moet een JSON-object zijn.")])
    fouten = schemafouten(_validator("armoedeval-invoer"), invoer)
    if fouten:
        raise InvoerFout(fouten)
    try:
        huishouden = lees_huishouden(invoer["huishouden"], parameters=parameters)
    except InvoerFout as fout:
        raise InvoerFout(_fouten_met_prefix(fout.fouten, "huishouden")) from None
    if catalogus is None:
        try:
            catalogus = kies_catalogus(huishouden.gemeente)
        except InvoerFout as fout:
            raise InvoerFout(_fouten_met_prefix(fout.fouten, "huishouden")) from None

    ids = [persoon["id"] for persoon in huishouden.personen]
    if "persoon" in invoer:
        if invoer["persoon"] not in ids:
            raise InvoerFout(
                [
                    Fout(
                        "persoon",
                        "onbekende_persoon",
                        f"Persoon '{invoer['persoon']}' staat niet in het huishouden.",
                    )
                ]
            )
        werkende = ids.index(invoer["persoon"])
    else:
        werkende = int(np.flatnonzero(huishouden.populatie.rol == AANVRAGER)[0])

    uren = np.array(invoer.get("uren", list(range(41))), dtype=np.float64)
    enkel = huishouden.populatie
    aantal = uren.size
    populatie = Populatie.samenvoegen([enkel] * aantal)
    moment = (parameters or standaard_parameters()).op(huishouden.peildatum)
    uurloon = float(invoer.get("uurloon", moment("algemeen.minimumuurloon")))
    jaarloon = centen(
        uurloon
        * uren
        * moment("algemeen.weken_per_jaar")
        * (1.0 + moment("algemeen.vakantiebijslag_loon"))
    )
    posities = np.arange(aantal) * enkel.aantal_personen + werkende
    populatie.loon_per_jaar[posities] = jaarloon
    populatie.inkomen_bekend[posities] = True

    s = Simulatie(
        populatie,
        huishouden.peildatum,
        parameters=parameters,
        catalogus=catalogus,
        opties=huishouden.opties,
    )
    reeksen: dict[str, np.ndarray] = {}
    namen: dict[str, str] = {}
    for code, label, naam, teken in COMPONENTEN:
        reeksen[code] = teken * s(naam)
        namen[code] = label
    if catalogus is not None:
        for code, uitkomst in evalueer_catalogus(s, catalogus).items():
            regeling = uitkomst.regeling
            if not regeling.get("telt_als_inkomen", True) or regeling["voorwaarden"].get(
                "individuele_beoordeling"
            ):
                continue
            reeksen[code] = centen(
                np.where(uitkomst.recht != NEE, uitkomst.bedrag_per_jaar, 0.0) / 12.0
            )
            namen[code] = regeling["naam"]
    besteedbaar = s("besteedbaar_inkomen_per_maand")
    bruto_loon = s("bruto_loon_per_maand")

    punten = []
    for index in range(aantal):
        punt: dict[str, Any] = {
            "uren_per_week": _getal(uren[index]),
            "bruto_loon_per_maand": _getal(bruto_loon[index]),
            "componenten": {code: _getal(reeks[index]) for code, reeks in reeksen.items()},
            "besteedbaar_inkomen_per_maand": _getal(besteedbaar[index]),
        }
        if index > 0:
            extra_loon = bruto_loon[index] - bruto_loon[index - 1]
            extra = besteedbaar[index] - besteedbaar[index - 1]
            punt["erbij_per_maand"] = _getal(extra)
            punt["marginale_druk"] = _getal(1.0 - extra / extra_loon) if extra_loon > 0 else None
        punten.append(punt)

    kliffen = []
    for index in range(1, aantal):
        verschil = besteedbaar[index] - besteedbaar[index - 1]
        if verschil >= -0.005:
            continue
        deltas = {code: float(reeks[index] - reeks[index - 1]) for code, reeks in reeksen.items()}
        dalers = {code: d for code, d in deltas.items() if d < -0.005 and code != "belasting"}
        if not dalers:
            dalers = {code: d for code, d in deltas.items() if d < -0.005}
        oorzaak = min(dalers, key=dalers.get)
        kliffen.append(
            {
                "van_uren": _getal(uren[index - 1]),
                "naar_uren": _getal(uren[index]),
                "verlies_per_maand": _getal(-verschil),
                "oorzaak": oorzaak,
                "oorzaak_naam": namen[oorzaak],
                "dalende_componenten": {
                    code: _getal(d) for code, d in sorted(dalers.items(), key=lambda x: x[1])
                },
                "zin": (
                    f"Van {uren[index - 1]:g} naar {uren[index]:g} uur per week gaat u er "
                    f"{euro(-verschil)} per maand op achteruit, vooral door: {namen[oorzaak][0].lower() + namen[oorzaak][1:]}."
                ),
            }
        )

    waarschuwingen = []
    if not all(
        "inkomsten" in p or "toetsingsinkomen_per_jaar" in p
        for p in huishouden.personen
        if p["rol"] in ("aanvrager", "partner")
    ) or any(
        "vermogen" not in p for p in huishouden.personen if p["rol"] in ("aanvrager", "partner")
    ):
        waarschuwingen.append(
            {
                "code": "onvolledige_gegevens",
                "bericht": "Niet alle inkomsten of vermogens zijn ingevuld; die zijn als 0 gerekend.",
            }
        )
    return {
        "peildatum": huishouden.peildatum.isoformat(),
        "gemeente": dict(catalogus.gemeente) if catalogus is not None else None,
        "persoon": ids[werkende],
        "uurloon": round(uurloon, 2),
        "componenten": namen,
        "punten": punten,
        "kliffen": kliffen,
        "waarschuwingen": waarschuwingen,
    }


def _getal(waarde) -> Any:
    waarde = float(waarde)
    return round(waarde, 2) if np.isfinite(waarde) else None

