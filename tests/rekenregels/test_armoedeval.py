"""Armoedeval: 0..40 hours in one call, components that add up, cliffs with their cause."""

from __future__ import annotations

import pytest

from rekenregels import InvoerFout, armoedeval

from .conftest import huishouden


def _alleenstaande_ouder(**extra) -> dict:
    data = huishouden(
        personen=[
            {
                "id": "moeder",
                "rol": "aanvrager",
                "geboortedatum": "1990-02-02",
                "inkomsten": [],
                "vermogen": 0,
            },
            {"id": "kind1", "rol": "kind", "geboortedatum": "2016-05-05"},
            {"id": "kind2", "rol": "kind", "geboortedatum": "2019-05-05"},
        ],
        **extra,
    )
    return data


def test_nul_tot_veertig_uur_met_componenten_die_optellen():
    resultaat = armoedeval({"huishouden": _alleenstaande_ouder(gemeente="voorbeeld")})
    assert [p["uren_per_week"] for p in resultaat["punten"]] == list(range(41))
    assert resultaat["uurloon"] == 14.06
    for punt in resultaat["punten"]:
        assert sum(punt["componenten"].values()) == pytest.approx(
            punt["besteedbaar_inkomen_per_maand"], abs=0.05
        )
    veertig = resultaat["punten"][40]
    assert veertig["bruto_loon_per_maand"] == pytest.approx(14.06 * 40 * 52 * 1.08 / 12, abs=0.01)
    assert resultaat["punten"][0]["componenten"]["bijstand"] > 0
    assert veertig["componenten"]["bijstand"] == 0


def test_kliffen_worden_gevonden_en_krijgen_een_oorzaak():
    resultaat = armoedeval({"huishouden": _alleenstaande_ouder(gemeente="voorbeeld")})
    punten = resultaat["punten"]
    assert resultaat["kliffen"], "bij een gemeente met inkomensgrenzen hoort minstens één klif"
    for klif in resultaat["kliffen"]:
        van, naar = int(klif["van_uren"]), int(klif["naar_uren"])
        verschil = (
            punten[naar]["besteedbaar_inkomen_per_maand"]
            - punten[van]["besteedbaar_inkomen_per_maand"]
        )
        assert verschil < 0 and klif["verlies_per_maand"] == pytest.approx(-verschil, abs=0.01)
        assert klif["oorzaak"] in punten[naar]["componenten"]
        assert klif["dalende_componenten"][klif["oorzaak"]] == min(
            klif["dalende_componenten"].values()
        )
        assert klif["oorzaak_naam"] in klif["zin"] or klif["oorzaak_naam"][1:] in klif["zin"]
    # every drop in the series is reported
    dalingen = [
        i
        for i in range(1, 41)
        if punten[i]["besteedbaar_inkomen_per_maand"]
        < punten[i - 1]["besteedbaar_inkomen_per_maand"] - 0.005
    ]
    assert dalingen == [int(k["naar_uren"]) for k in resultaat["kliffen"]]


def test_gemeentelijke_klif_heeft_een_gemeentelijke_oorzaak():
    resultaat = armoedeval({"huishouden": _alleenstaande_ouder(gemeente="voorbeeld")})
    gemeentelijke_codes = {
        "meedoenregeling_kinderen",
        "schoolkosten_basisonderwijs",
        "collectieve_zorgverzekering",
        "kwijtschelding_gemeentelijke_belastingen",
        "zwemles_kinderen",
        "computerregeling",
        "meedoenregeling_volwassenen",
        "individuele_inkomenstoeslag",
    }
    assert any(k["oorzaak"] in gemeentelijke_codes for k in resultaat["kliffen"])


def test_eigen_uurloon_uren_en_persoon():
    data = huishouden(
        personen=[
            {
                "id": "a",
                "rol": "aanvrager",
                "geboortedatum": "1980-01-01",
                "inkomsten": [{"soort": "loon", "bruto_per_maand": 2500}],
                "vermogen": 0,
            },
            {
                "id": "b",
                "rol": "partner",
                "geboortedatum": "1982-01-01",
                "inkomsten": [],
                "vermogen": 0,
            },
        ]
    )
    resultaat = armoedeval(
        {"huishouden": data, "persoon": "b", "uurloon": 20, "uren": [0, 8, 16, 24]}
    )
    assert resultaat["persoon"] == "b"
    assert [p["uren_per_week"] for p in resultaat["punten"]] == [0, 8, 16, 24]
    assert resultaat["punten"][1]["bruto_loon_per_maand"] == pytest.approx(
        2500 * 1.08 + 20 * 8 * 52 * 1.08 / 12, abs=0.01
    )


def test_minimumloon_volgt_de_peildatum():
    assert armoedeval({"huishouden": huishouden(peildatum="2025-08-01")})["uurloon"] == 14.40


def test_fouten_in_het_huishouden_krijgen_het_voorvoegsel_huishouden():
    with pytest.raises(InvoerFout) as fout:
        armoedeval({"huishouden": huishouden(**{"personen[0].rol": "baas"})})
    assert fout.value.fouten[0].veld == "huishouden.personen[0].rol"
    with pytest.raises(InvoerFout) as fout:
        armoedeval({"huishouden": huishouden(), "persoon": "onbekend"})
    assert fout.value.fouten[0].veld == "persoon"
    with pytest.raises(InvoerFout) as fout:
        armoedeval({"huishouden": huishouden(), "uren": [-1, 2]})
    assert fout.value.fouten[0].veld == "uren[0]"
