"""Municipal schemes as data: schema validation with clear errors, catalogues as data, what-ifs."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json

import numpy as np
import pytest
import yaml

from rekenregels import (
    Catalogus,
    CatalogusFout,
    Populatie,
    bereken,
    laad_catalogus,
    lees_huishouden,
    screen,
)
from rekenregels.cli import main
from rekenregels.gemeentelijk import CATALOGUS_MAP

from .conftest import huishouden


def _voorbeeld_data() -> dict:
    return yaml.safe_load((CATALOGUS_MAP / "voorbeeld.yaml").read_text(encoding="utf-8"))


def test_voorbeeld_catalogus_is_geldig_en_heeft_minstens_tien_regelingen():
    catalogus = laad_catalogus("voorbeeld")
    assert laad_catalogus("GM9999") is catalogus
    assert catalogus.gemeente == {"naam": "Voorbeeld", "code": "voorbeeld", "cbs_code": "GM9999"}
    codes = {r["code"] for r in catalogus.regelingen}
    assert len(codes) >= 10
    for verplicht in (
        "individuele_inkomenstoeslag",
        "bijzondere_bijstand",
        "meedoenregeling_kinderen",
        "collectieve_zorgverzekering",
        "voorbeeldpas",
        "computerregeling",
        "kwijtschelding_gemeentelijke_belastingen",
    ):
        assert verplicht in codes
    assert any(r.get("automatisch_toekennen") for r in catalogus.regelingen)


def _fout(data) -> list:
    with pytest.raises(CatalogusFout) as fout:
        Catalogus.uit_data(data, bron="test")
    return fout.value.fouten


def test_ontbrekend_verplicht_veld():
    data = _voorbeeld_data()
    del data["regelingen"][2]["naam"]
    fouten = _fout(data)
    assert [(f.veld, f.code) for f in fouten] == [("regelingen[2].naam", "schema_required")]
    assert fouten[0].bericht == "Verplicht veld 'naam' ontbreekt."


def test_tikfout_in_een_veldnaam_wordt_genoemd_met_de_toegestane_namen():
    data = _voorbeeld_data()
    data["regelingen"][0]["voorwaarden"]["inkomen"]["percentage_bijstandnorm"] = 120
    fouten = _fout(data)
    assert fouten[0].veld == "regelingen[0].voorwaarden.inkomen"
    assert "'percentage_bijstandnorm'" in fouten[0].bericht
    assert "percentage_bijstandsnorm" in fouten[0].bericht


def test_percentage_als_tekst():
    data = _voorbeeld_data()
    data["regelingen"][1]["voorwaarden"]["inkomen"]["percentage_bijstandsnorm"] = "120%"
    fouten = _fout(data)
    assert fouten[0].veld == "regelingen[1].voorwaarden.inkomen.percentage_bijstandsnorm"
    assert fouten[0].bericht.startswith("Verwacht getal")


def test_negatief_bedrag_en_leeg_bedrag():
    data = _voorbeeld_data()
    data["regelingen"][2]["bedrag"]["per_kind_per_jaar"] = -10
    data["regelingen"][3]["bedrag"] = {}
    velden = {f.veld: f.bericht for f in _fout(data)}
    assert "te laag" in velden["regelingen[2].bedrag.per_kind_per_jaar"]
    assert velden["regelingen[3].bedrag"] == "Geef minstens één bedrag op."


def test_dubbele_code_en_leeftijden_omgedraaid():
    data = _voorbeeld_data()
    data["regelingen"][1]["code"] = data["regelingen"][0]["code"]
    data["regelingen"][2]["voorwaarden"]["kinderen"]["leeftijd_vanaf"] = 18
    codes = {(f.veld, f.code) for f in _fout(data)}
    assert ("regelingen[1].code", "dubbele_code") in codes
    assert ("regelingen[2].voorwaarden.kinderen", "leeftijden") in codes


def test_ongeldige_yaml():
    with pytest.raises(CatalogusFout) as fout:
        Catalogus.uit_yaml("gemeente: [", bron="kapot.yaml")
    assert fout.value.fouten[0].code == "yaml"


def test_cli_controleert_een_catalogus(tmp_path):
    data = _voorbeeld_data()
    data["regelingen"][0]["automatisch_toekennen"] = "ja"
    pad = tmp_path / "catalogus.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    uit = io.StringIO()
    assert main(["catalogus-controleren", str(pad)], stdout=uit) == 2
    uitvoer = json.loads(uit.getvalue())
    assert uitvoer["fouten"][0]["veld"] == "regelingen[0].automatisch_toekennen"
    uit = io.StringIO()
    assert main(["catalogus-controleren", str(CATALOGUS_MAP / "voorbeeld.yaml")], stdout=uit) == 0


def test_cli_meldt_een_catalogus_die_niet_bestaat(tmp_path):
    uit = io.StringIO()
    assert main(["catalogus-controleren", str(tmp_path / "bestaat-niet.yaml")], stdout=uit) == 2
    uitvoer = json.loads(uit.getvalue())
    assert uitvoer["fout"] == "ongeldige_catalogus"
    assert uitvoer["fouten"][0]["veld"] == "(bestand)"
    assert uitvoer["fouten"][0]["code"] == "niet_leesbaar"


def test_catalogus_als_data_uit_een_database_gaat_voor_de_gemeente_in_de_invoer():
    data = _voorbeeld_data()
    data["gemeente"] = {"naam": "Elders", "code": "elders", "cbs_code": "GM0001"}
    data["regelingen"] = [r for r in data["regelingen"] if r["code"] == "voorbeeldpas"]
    catalogus = Catalogus.uit_data(json.loads(json.dumps(data, default=str)))
    resultaat = bereken(huishouden(gemeente="voorbeeld"), catalogus=catalogus)
    assert resultaat["gemeente"]["naam"] == "Elders"
    assert [r["code"] for r in resultaat["regelingen"] if r["soort"] == "gemeentelijk"] == [
        "voorbeeldpas"
    ]


def test_wat_als_een_hogere_inkomensgrens_maakt_een_huishouden_rechthebbend():
    data = huishouden(
        gemeente="voorbeeld",
        maanden_laag_inkomen=60,
        **{"personen[0].inkomsten": [{"soort": "loon", "bruto_per_maand": 1600}]},
    )
    catalogus = laad_catalogus("voorbeeld")
    voor = next(
        r
        for r in bereken(data, catalogus=catalogus)["regelingen"]
        if r["code"] == "individuele_inkomenstoeslag"
    )
    ruimer = catalogus.met_wijziging(
        "individuele_inkomenstoeslag", "voorwaarden.inkomen.percentage_bijstandsnorm", 130
    )
    na = next(
        r
        for r in bereken(data, catalogus=ruimer)["regelingen"]
        if r["code"] == "individuele_inkomenstoeslag"
    )
    assert voor["recht"] == "nee" and na["recht"] == "ja"
    assert (
        catalogus.regeling("individuele_inkomenstoeslag")["voorwaarden"]["inkomen"][
            "percentage_bijstandsnorm"
        ]
        == 110
    )


def test_wat_als_met_een_ongeldige_waarde_geeft_een_fout():
    with pytest.raises(CatalogusFout) as fout:
        laad_catalogus("voorbeeld").met_wijziging("voorbeeldpas", "bedrag.per_persoon_per_jaar", -1)
    assert fout.value.fouten[0].veld == "regelingen[8].bedrag.per_persoon_per_jaar"
    with pytest.raises(KeyError):
        laad_catalogus("voorbeeld").met_wijziging("bestaat_niet", "bedrag.vast_per_jaar", 1)


def test_screening_van_een_populatie_per_regeling():
    invoer = [
        lees_huishouden(
            huishouden(**{"personen[0].inkomsten": [{"soort": "loon", "bruto_per_maand": loon}]})
        )
        for loon in (0, 1000, 1500, 2500, 4000)
    ]
    populatie = Populatie.samenvoegen([i.populatie for i in invoer])
    screening = screen(populatie, dt.date(2025, 3, 1), catalogus=laad_catalogus("voorbeeld"))
    voorbeeldpas = screening.regelingen["voorbeeldpas"]
    assert voorbeeldpas.recht.tolist() == [1, 1, 1, 0, 0]
    tabel = screening.tabel()
    assert np.array_equal(tabel["voorbeeldpas.recht"], voorbeeldpas.recht)
    # what-if on the whole population: a 190 % limit reaches one more household
    ruimer = laad_catalogus("voorbeeld").met_wijziging(
        "voorbeeldpas", "voorwaarden.inkomen.percentage_bijstandsnorm", 190
    )
    assert screen(populatie, dt.date(2025, 3, 1), catalogus=ruimer).regelingen[
        "voorbeeldpas"
    ].recht.tolist() == [1, 1, 1, 1, 0]


def test_datums_in_de_catalogus_mogen_als_yaml_datum_of_tekst():
    data = _voorbeeld_data()
    assert isinstance(data["geldig_vanaf"], dt.date)
    assert Catalogus.uit_data(copy.deepcopy(data)).geldig_vanaf == dt.date(2025, 1, 1)


def test_catalogus_die_nog_niet_geldt_geeft_een_waarschuwing():
    data = _voorbeeld_data()
    data["geldig_vanaf"] = "2026-01-01"
    resultaat = bereken(huishouden(peildatum="2025-06-01"), catalogus=Catalogus.uit_data(data))
    assert [w["code"] for w in resultaat["waarschuwingen"]].count(
        "catalogus_niet_geldig_op_peildatum"
    ) == 1
    assert not [
        w
        for w in bereken(huishouden(peildatum="2025-06-01", gemeente="voorbeeld"))["waarschuwingen"]
        if w["code"] == "catalogus_niet_geldig_op_peildatum"
    ]


def test_screening_geeft_de_definitie_en_automatisch_toekennen_per_regeling():
    populatie = Populatie.uit_huishoudens(
        [huishouden(), huishouden(**{"personen[0].vermogen": 50000})]
    )
    screening = screen(populatie, dt.date(2025, 3, 1), catalogus=laad_catalogus("voorbeeld"))
    assert screening.regelingen["kwijtschelding_gemeentelijke_belastingen"].automatisch_toekennen
    assert not screening.regelingen["bijzondere_bijstand"].automatisch_toekennen
    assert not screening.regelingen["zorgtoeslag"].automatisch_toekennen
    assert screening.regelingen["kwijtschelding_gemeentelijke_belastingen"].recht.tolist() == [1, 0]


def test_populatie_uit_huishoudens_noemt_het_foute_huishouden():
    from rekenregels import InvoerFout

    with pytest.raises(InvoerFout) as fout:
        Populatie.uit_huishoudens([huishouden(), huishouden(**{"personen[0].rol": "x"})])
    assert fout.value.fouten[0].veld == "[1].personen[0].rol"


def test_voorbeeld_catalogus_tekst_is_de_verscheepte_catalogus_met_commentaar():
    # Public API for Django apps that store the example as text (regelingen's demo data).
    from rekenregels import voorbeeld_catalogus_tekst

    tekst = voorbeeld_catalogus_tekst()
    assert tekst.startswith("# Minimaregelingen van de fictieve demogemeente Voorbeeld")
    assert Catalogus.uit_yaml(tekst).data == laad_catalogus("voorbeeld").data
