"""From answers to the engine's household: the mapping, "weet ik niet", ages."""

from datetime import date

import pytest

from perspectief.regelingencheck.antwoorden import (
    engine_huishouden,
    geboortedatum_uit_leeftijd,
    leeftijd_op,
    personen,
)
from rekenregels import bereken, laad_catalogus

PEILDATUM = date(2026, 11, 23)

ANTWOORDEN = {
    "huishouden": {"partner": True, "kinderen": 2, "volwassenen": 1},
    "leeftijden": {
        "aanvrager": {"geboortedatum": "1988-04-01", "leeftijd": None},
        "partner": {"geboortedatum": None, "leeftijd": 40},
        "kind1": {"geboortedatum": "2016-05-05", "leeftijd": None},
        "kind2": {"geboortedatum": None, "leeftijd": 3},
        "volwassene1": {"geboortedatum": None, "leeftijd": 70},
    },
    "inkomen": {
        "aanvrager": {"soort": "loon", "bruto_per_maand": "1250.50"},
        "partner": {"soort": "geen", "bruto_per_maand": None},
        "volwassene1": {"soort": "uitkering", "bruto_per_maand": "1400.00"},
        "laag_inkomen": "1_tot_3_jaar",
    },
    "wonen": {"soort": "huur", "kale_huur": "700.00", "servicekosten": "40.00"},
    "vermogen": {"bedrag": "3000.00"},
}


def test_the_household_for_the_engine_follows_the_contract_exactly():
    assert engine_huishouden(antwoorden=ANTWOORDEN, peildatum=PEILDATUM) == {
        "peildatum": "2026-11-23",
        "personen": [
            {"id": "aanvrager", "rol": "aanvrager", "geboortedatum": "1988-04-01",
             "inkomsten": [{"soort": "loon", "bruto_per_maand": 1250.5}], "vermogen": 1500.0},
            {"id": "partner", "rol": "partner", "geboortedatum": "1986-05-01", "inkomsten": [], "vermogen": 1500.0},
            {"id": "kind1", "rol": "kind", "geboortedatum": "2016-05-05", "inkomsten": []},
            {"id": "kind2", "rol": "kind", "geboortedatum": "2023-05-01", "inkomsten": []},
            {"id": "volwassene1", "rol": "medebewoner", "geboortedatum": "1956-05-01",
             "inkomsten": [{"soort": "uitkering", "bruto_per_maand": 1400.0}]},
        ],
        "woning": {"soort": "huur", "kale_huur_per_maand": 700.0, "servicekosten_per_maand": 40.0},
        "maanden_laag_inkomen": 12,
    }


def test_the_mapped_household_is_valid_input_for_the_engine():
    resultaat = bereken(engine_huishouden(antwoorden=ANTWOORDEN, peildatum=PEILDATUM), catalogus=laad_catalogus("GM9999"))
    assert {r["code"] for r in resultaat["regelingen"]} >= {"zorgtoeslag", "huurtoeslag", "kinderbijslag", "bijstand"}


def test_weet_ik_niet_leaves_the_facts_out_and_the_engine_answers_misschien():
    antwoorden = {
        **ANTWOORDEN,
        "huishouden": {"partner": False, "kinderen": 1, "volwassenen": 0},
        "inkomen": {"aanvrager": {"soort": "weet_niet", "bruto_per_maand": None}, "laag_inkomen": "weet_niet"},
        "wonen": {"soort": "huur", "kale_huur": None, "servicekosten": None},
        "vermogen": {"bedrag": None},
    }
    huishouden = engine_huishouden(antwoorden=antwoorden, peildatum=PEILDATUM)
    aanvrager = huishouden["personen"][0]
    assert "inkomsten" not in aanvrager and "vermogen" not in aanvrager
    assert huishouden["woning"] == {"soort": "huur"}
    assert "maanden_laag_inkomen" not in huishouden

    resultaat = bereken(huishouden, catalogus=laad_catalogus("GM9999"))
    per_code = {r["code"]: r for r in resultaat["regelingen"]}
    assert per_code["zorgtoeslag"]["recht"] == "misschien"
    assert per_code["individuele_inkomenstoeslag"]["recht"] == "misschien"
    ontbrekend = {feit["veld"] for feit in per_code["individuele_inkomenstoeslag"]["ontbrekende_feiten"]}
    assert "maanden_laag_inkomen" in ontbrekend


def test_a_zero_wage_is_no_income_and_koop_has_no_rent():
    antwoorden = {
        "huishouden": {"partner": False, "kinderen": 0, "volwassenen": 0},
        "leeftijden": {"aanvrager": {"geboortedatum": None, "leeftijd": 30}},
        "inkomen": {"aanvrager": {"soort": "loon", "bruto_per_maand": "0.00"}, "laag_inkomen": "3_jaar_of_langer"},
        "wonen": {"soort": "koop", "kale_huur": None, "servicekosten": None},
        "vermogen": {"bedrag": "0.00"},
    }
    huishouden = engine_huishouden(antwoorden=antwoorden, peildatum=PEILDATUM)
    assert huishouden["personen"] == [
        {"id": "aanvrager", "rol": "aanvrager", "geboortedatum": "1996-05-01", "inkomsten": [], "vermogen": 0.0}
    ]
    assert huishouden["woning"] == {"soort": "koop"}
    assert huishouden["maanden_laag_inkomen"] == 36


@pytest.mark.parametrize("peildatum", [date(2026, 11, 23), date(2026, 3, 5), date(2026, 6, 30), date(2024, 2, 29)])
@pytest.mark.parametrize("leeftijd", [0, 3, 17, 18, 35, 66, 99])
def test_an_age_becomes_a_birth_date_with_exactly_that_age(peildatum, leeftijd):
    geboren = geboortedatum_uit_leeftijd(leeftijd, peildatum)
    assert leeftijd_op(geboren, peildatum) == leeftijd
    assert geboren <= peildatum


def test_people_in_the_household_in_a_fixed_order():
    assert [(p.sleutel, p.rol) for p in personen({"partner": True, "kinderen": 2, "volwassenen": 1})] == [
        ("aanvrager", "aanvrager"), ("partner", "partner"), ("kind1", "kind"), ("kind2", "kind"),
        ("volwassene1", "medebewoner"),
    ]
    assert [p.sleutel for p in personen(None)] == ["aanvrager"]
