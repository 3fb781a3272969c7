"""Golden cases: YAML files in golden/, each case citing its source.

Every file has ``bron`` (default source for its cases), optional ``standaard`` (a base
household), optional ``catalogus`` (a municipal catalogue given as data) and ``gevallen``.
A case sets fields with ``zet`` (dotted paths) or gives a whole ``huishouden``, and lists
``verwacht`` checks:

- ``{variabele: naam, waarde: 12.34}``: equal to the cent;
- ``{variabele: naam, euro_omlaag: 12}``: the source publishes whole euros, rounded down;
- ``{variabele: naam, euro: 12}``: the source publishes whole euros, rounded;
- ``{variabele: naam, waarde: 12.34, marge: 0.25, deel_door: 12}``: within a stated margin, for
  sources that approximate the same amount by another method (the monthly white
  loonbelasting table versus the annual income tax / 12);
- ``persoon: i`` for person-level variables;
- ``{regeling: code, recht: ja|nee|misschien, bedrag_per_maand: x, ontbrekend: [veld, ...],
  inkomensgrens_per_maand: x}``.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path

import pytest
import yaml

from rekenregels import Catalogus, Simulatie, bereken, lees_huishouden

from .conftest import zet_pad

GOLDEN_MAP = Path(__file__).parent / "golden"


def _als_tekst(waarde):
    if isinstance(waarde, dict):
        return {k: _als_tekst(v) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [_als_tekst(v) for v in waarde]
    if isinstance(waarde, dt.date):
        return waarde.isoformat()
    return waarde


def _gevallen():
    for bestand in sorted(GOLDEN_MAP.glob("*.yaml")):
        inhoud = yaml.safe_load(bestand.read_text(encoding="utf-8"))
        catalogus = (
            Catalogus.uit_data(inhoud["catalogus"], bron=bestand.name)
            if "catalogus" in inhoud
            else None
        )
        for index, geval in enumerate(inhoud["gevallen"]):
            yield pytest.param(
                inhoud, geval, catalogus, id=f"{bestand.stem}[{index}] {geval['naam']}"
            )


def _huishouden(bestand: dict, geval: dict) -> dict:
    data = copy.deepcopy(geval.get("huishouden", bestand.get("standaard", {})))
    for pad, waarde in (geval.get("zet") or {}).items():
        zet_pad(data, pad, waarde)
    return _als_tekst(data)


def test_elk_bestand_en_geval_noemt_een_bron():
    for bestand in GOLDEN_MAP.glob("*.yaml"):
        inhoud = yaml.safe_load(bestand.read_text(encoding="utf-8"))
        for geval in inhoud["gevallen"]:
            bron = geval.get("bron", inhoud.get("bron"))
            assert bron and str(bron).startswith(("http", "Participatiewet", "Wet", "catalogus")), (
                f"{bestand.name}: '{geval['naam']}' heeft geen bron"
            )
            assert geval.get("verwacht"), f"{bestand.name}: '{geval['naam']}' verwacht niets"


def test_minstens_200_golden_gevallen():
    aantal = sum(
        len(yaml.safe_load(b.read_text(encoding="utf-8"))["gevallen"])
        for b in GOLDEN_MAP.glob("*.yaml")
    )
    assert aantal >= 200, aantal


@pytest.mark.parametrize("bestand, geval, catalogus", list(_gevallen()))
def test_golden(bestand, geval, catalogus):
    data = _huishouden(bestand, geval)
    invoer = lees_huishouden(data)
    simulatie = Simulatie(
        invoer.populatie, invoer.peildatum, catalogus=catalogus, opties=invoer.opties
    )
    resultaat = None
    for check in geval["verwacht"]:
        if "variabele" in check:
            waarden = simulatie(check["variabele"])
            waarde = float(waarden[check.get("persoon", 0)]) / check.get("deel_door", 1)
            omschrijving = f"{check['variabele']} = {waarde}"
            if "waarde" in check:
                marge = check.get("marge", 0.005)
                assert abs(waarde - check["waarde"]) < marge, (
                    f"{omschrijving}, verwacht {check['waarde']} (marge {marge})"
                )
            if "euro_omlaag" in check:
                assert math.floor(waarde + 1e-9) == check["euro_omlaag"], (
                    f"{omschrijving}, verwacht {check['euro_omlaag']} (hele euro's, naar beneden)"
                )
            if "euro" in check:
                assert math.floor(waarde + 0.5) == check["euro"], (
                    f"{omschrijving}, verwacht {check['euro']} (hele euro's)"
                )
        if "regeling" in check:
            if resultaat is None:
                resultaat = bereken(data, catalogus=catalogus)
            item = next(r for r in resultaat["regelingen"] if r["code"] == check["regeling"])
            if "recht" in check:
                assert item["recht"] == check["recht"], item
            for sleutel in ("bedrag_per_maand", "bedrag_per_jaar"):
                if sleutel in check:
                    assert (
                        item[sleutel] is not None and abs(item[sleutel] - check[sleutel]) < 0.005
                    ), item
            if "inkomensgrens_per_maand" in check:
                toets = next(t for t in item["uitleg"]["toetsen"] if t["voorwaarde"] == "inkomen")
                assert abs(toets["grens"] - check["inkomensgrens_per_maand"]) < 0.005, toets
            if "ontbrekend" in check:
                assert sorted(f["veld"] for f in item["ontbrekende_feiten"]) == sorted(
                    check["ontbrekend"]
                ), item
