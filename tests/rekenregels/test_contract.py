"""The JSON contract: CLI stdin -> stdout, JSON Schema conformance, field-named Dutch errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from rekenregels import InvoerFout, bereken, schema, valideer_huishouden
from rekenregels.cli import main

from .conftest import huishouden

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _draai(argumenten: list[str], invoer: str = "") -> tuple[int, dict]:
    uit = io.StringIO()
    code = main(argumenten, stdin=io.StringIO(invoer), stdout=uit)
    return code, json.loads(uit.getvalue())


def _valideer(naam: str, data: dict) -> None:
    inhoud = schema(naam)
    klasse = jsonschema.validators.validator_for(inhoud)
    klasse(inhoud, format_checker=klasse.FORMAT_CHECKER).validate(data)


def test_cli_bereken_volgt_het_resultaatschema():
    data = huishouden(gemeente="voorbeeld", maanden_laag_inkomen=48)
    code, resultaat = _draai(["bereken"], json.dumps(data))
    assert code == 0
    _valideer("resultaat", resultaat)
    codes = [r["code"] for r in resultaat["regelingen"]]
    assert codes[:5] == [
        "zorgtoeslag",
        "huurtoeslag",
        "kindgebonden_budget",
        "kinderbijslag",
        "bijstand",
    ]
    assert "individuele_inkomenstoeslag" in codes


def test_cli_armoedeval_volgt_het_schema():
    code, resultaat = _draai(
        ["armoedeval"], json.dumps({"huishouden": huishouden(gemeente="GM9999")})
    )
    assert code == 0
    _valideer("armoedeval-resultaat", resultaat)
    assert len(resultaat["punten"]) == 41


def test_module_als_programma():
    proces = subprocess.run(
        [sys.executable, "-m", "rekenregels", "bereken", "--compact"],
        input=json.dumps(huishouden()),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proces.returncode == 0, proces.stderr
    assert json.loads(proces.stdout)["peildatum"] == "2025-03-01"


@pytest.mark.parametrize(
    "naam",
    [
        "huishouden",
        "resultaat",
        "armoedeval-invoer",
        "armoedeval-resultaat",
        "gemeentelijke-regelingen",
    ],
)
def test_schema_is_geldig_en_via_cli_en_docs_te_vinden(naam):
    code, inhoud = _draai(["schema", naam])
    assert code == 0
    jsonschema.validators.validator_for(inhoud).check_schema(inhoud)
    assert f"{naam}.schema.json" in (DOCS / "rekenregels.md").read_text(encoding="utf-8")


def _fouten(data) -> dict[str, str]:
    return {fout.veld: fout.code for fout in valideer_huishouden(data)}


def test_ontbrekende_peildatum():
    data = huishouden()
    del data["peildatum"]
    assert _fouten(data) == {"peildatum": "schema_required"}


def test_onbekende_rol_en_ongeldige_datum():
    data = huishouden(**{"personen[0].rol": "opa", "personen[0].geboortedatum": "1990-13-45"})
    fouten = _fouten(data)
    assert fouten["personen[0].rol"] == "schema_enum"
    assert fouten["personen[0].geboortedatum"] == "schema_format"


def test_geen_aanvrager():
    data = huishouden(**{"personen[0].rol": "partner"})
    assert _fouten(data) == {"personen": "aanvrager_ontbreekt"}


def test_twee_aanvragers_en_dubbel_id():
    data = huishouden()
    data["personen"].append(dict(data["personen"][0]))
    fouten = _fouten(data)
    assert fouten == {"personen": "meerdere_aanvragers", "personen[1].id": "dubbel_id"}


def test_geboortedatum_na_peildatum():
    assert _fouten(huishouden(**{"personen[0].geboortedatum": "2026-01-01"})) == {
        "personen[0].geboortedatum": "na_peildatum"
    }


def test_negatief_bedrag_en_beide_periodes():
    data = huishouden(
        **{
            "personen[0].inkomsten": [
                {"soort": "loon", "bruto_per_maand": -5},
                {"soort": "loon", "bruto_per_maand": 5, "bruto_per_jaar": 60},
            ]
        }
    )
    fouten = valideer_huishouden(data)
    velden = {f.veld: f for f in fouten}
    assert velden["personen[0].inkomsten[0].bruto_per_maand"].code == "schema_minimum"
    assert "te laag" in velden["personen[0].inkomsten[0].bruto_per_maand"].bericht
    assert velden["personen[0].inkomsten[1]"].code == "schema_oneOf"


def test_onbekend_veld_wordt_bij_naam_genoemd():
    fouten = valideer_huishouden(huishouden(**{"personen[0].salaris": 100}))
    assert len(fouten) == 1 and "'salaris'" in fouten[0].bericht


def test_huur_bij_koopwoning_is_onmogelijk():
    data = huishouden(**{"woning.soort": "koop"})
    assert _fouten(data) == {"woning.kale_huur_per_maand": "huur_zonder_huurwoning"}


def test_onbekende_gemeente():
    with pytest.raises(InvoerFout) as fout:
        bereken(huishouden(gemeente="Atlantis"))
    assert fout.value.fouten[0].veld == "gemeente"
    assert "voorbeeld (GM9999)" in fout.value.fouten[0].bericht


def test_cli_geeft_fouten_als_json_met_exitcode_2():
    code, uitvoer = _draai(["bereken"], "{dit is geen json")
    assert code == 2
    assert uitvoer["fout"] == "ongeldige_invoer"
    assert uitvoer["fouten"][0]["code"] == "geen_json"
    code, uitvoer = _draai(["bereken"], json.dumps(huishouden(**{"personen[0].rol": "x"})))
    assert code == 2 and uitvoer["fouten"][0]["veld"] == "personen[0].rol"


def test_cli_zonder_parameters_voor_de_datum_geeft_exitcode_3():
    code, uitvoer = _draai(["bereken"], json.dumps(huishouden(peildatum="2024-06-01")))
    assert code == 3
    assert uitvoer["fout"] == "parameter_ontbreekt"


def test_invoer_die_geen_object_is():
    assert valideer_huishouden([1, 2])[0].code == "geen_object"


def test_uitleg_heeft_zinnen_en_wetsverwijzingen():
    resultaat = bereken(huishouden(**{"personen[0].toetsingsinkomen_per_jaar": 30000}))
    stappen = next(r for r in resultaat["regelingen"] if r["code"] == "zorgtoeslag")["uitleg"][
        "stappen"
    ]
    laatste = stappen[-1]
    assert laatste["variabele"] == "zorgtoeslag_per_jaar"
    assert laatste["zin"] == "U krijgt € 1.355,04 zorgtoeslag per jaar."
    assert any(stap.get("wet", "").startswith("Wet op de zorgtoeslag") for stap in stappen)


def test_uitleg_kan_uit():
    resultaat = bereken(huishouden(opties={"uitleg": False}))
    assert all("uitleg" not in r for r in resultaat["regelingen"])


def test_vakantiegeld_wordt_bij_maandloon_opgeteld():
    met = bereken(
        huishouden(**{"personen[0].inkomsten": [{"soort": "loon", "bruto_per_maand": 2000}]})
    )
    zonder = bereken(
        huishouden(
            **{
                "personen[0].inkomsten": [
                    {"soort": "loon", "bruto_per_maand": 2160, "inclusief_vakantiegeld": True}
                ]
            }
        )
    )
    assert (
        met["inkomen"]["bruto_loon_per_maand"]
        == zonder["inkomen"]["bruto_loon_per_maand"]
        == 2160.0
    )


def test_alle_zinnen_zijn_af_en_gebruiken_nederlandse_bedragen():
    data = huishouden(
        gemeente="voorbeeld",
        maanden_laag_inkomen=40,
        personen=[
            {
                "id": "a",
                "rol": "aanvrager",
                "geboortedatum": "1990-01-01",
                "inkomsten": [{"soort": "loon", "bruto_per_maand": 1200}],
                "vermogen": 100,
            },
            {"id": "k", "rol": "kind", "geboortedatum": "2013-01-01"},
        ],
    )
    resultaat = bereken(data)
    zinnen = [
        stap["zin"]
        for regeling in resultaat["regelingen"]
        for stap in regeling["uitleg"]["stappen"]
        if "zin" in stap
    ]
    zinnen += [
        toets["zin"]
        for regeling in resultaat["regelingen"]
        for toets in regeling["uitleg"].get("toetsen", [])
    ]
    assert len(zinnen) > 20
    for zin in zinnen:
        assert zin.endswith("."), zin
        assert "{" not in zin and "_" not in zin, zin
    assert (
        "Voor de bijstand telt u als: alleenstaand of alleenstaande ouder, 21 jaar tot de AOW-leeftijd."
        in zinnen
    )
    assert (
        "Uw inkomen mag niet hoger zijn dan 110 % van de bijstandsnorm (met vakantietoeslag): € 1.480,00 per maand."
        in zinnen
    )


def test_cli_met_eigen_catalogus(tmp_path):
    import yaml

    from rekenregels.gemeentelijk import CATALOGUS_MAP

    data = yaml.safe_load((CATALOGUS_MAP / "voorbeeld.yaml").read_text(encoding="utf-8"))
    data["gemeente"] = {"naam": "Proef", "code": "proef", "cbs_code": "GM0002"}
    pad = tmp_path / "proef.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, resultaat = _draai(["bereken", "--catalogus", str(pad)], json.dumps(huishouden()))
    assert code == 0 and resultaat["gemeente"]["naam"] == "Proef"
    code, resultaat = _draai(
        ["armoedeval", "--catalogus", str(pad)], json.dumps({"huishouden": huishouden()})
    )
    assert code == 0 and resultaat["gemeente"]["code"] == "proef"
