"""Impossible answers get a plain-words message at the field, and nothing is saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from perspectief.regelingencheck.antwoorden import personen
from perspectief.regelingencheck.forms import (
    HuishoudenForm,
    InkomenForm,
    LeeftijdenForm,
    VermogenForm,
    WonenForm,
    parse_bedrag,
)
from perspectief.regelingencheck.models import CheckAntwoorden
from tests.factories import GemeenteFactory

from .helpers import start

PEILDATUM = date(2026, 11, 23)
TE_OUD = "Een kind kan niet ouder of bijna even oud zijn als zijn ouder. Kijk of de datum of leeftijd klopt."
ACHTTIEN = "Dit kind is 18 jaar of ouder. Ga terug en tel dit kind mee bij de andere volwassenen."
GEZIN = personen({"partner": True, "kinderen": 1, "volwassenen": 0})


def _leeftijden(data):
    return LeeftijdenForm(data, personen=GEZIN, peildatum=PEILDATUM)


def test_a_child_older_than_the_parent_is_refused_at_the_child():
    form = _leeftijden({"aanvrager_leeftijd": "30", "partner_leeftijd": "32", "kind1_geboortedatum": "1990-01-01"})
    assert not form.is_valid()
    assert form.errors == {"kind1_geboortedatum": ["Dit kind is 18 jaar of ouder. Ga terug en tel dit kind mee bij de andere volwassenen."]}

    form = _leeftijden({"aanvrager_leeftijd": "16", "partner_leeftijd": "20", "kind1_leeftijd": "17"})
    assert form.errors == {
        "aanvrager_geboortedatum": ["Deze check is voor mensen van 18 jaar en ouder."],
        "kind1_geboortedatum": [TE_OUD],
    }

    form = _leeftijden({"aanvrager_leeftijd": "40", "partner_leeftijd": "18", "kind1_leeftijd": "17"})
    assert form.is_valid()
    form = _leeftijden({"aanvrager_leeftijd": "40", "partner_leeftijd": "18", "kind1_leeftijd": "18"})
    assert form.errors["kind1_geboortedatum"] == ["Dit kind is 18 jaar of ouder. Ga terug en tel dit kind mee bij de andere volwassenen."]


def test_a_child_almost_as_old_as_the_oldest_parent_is_refused():
    eenouder = personen({"partner": False, "kinderen": 1, "volwassenen": 0})
    form = LeeftijdenForm(
        {"aanvrager_geboortedatum": "2008-06-01", "kind1_geboortedatum": "2010-01-01"}, personen=eenouder, peildatum=PEILDATUM
    )
    assert form.errors == {"kind1_geboortedatum": [TE_OUD]}
    form = LeeftijdenForm({"aanvrager_leeftijd": "25", "kind1_leeftijd": "14"}, personen=eenouder, peildatum=PEILDATUM)
    assert form.errors == {"kind1_geboortedatum": [TE_OUD]}
    form = LeeftijdenForm({"aanvrager_leeftijd": "30", "kind1_leeftijd": "18"}, personen=eenouder, peildatum=PEILDATUM)
    assert form.errors == {"kind1_geboortedatum": [ACHTTIEN]}
    form = LeeftijdenForm({"aanvrager_leeftijd": "30", "kind1_leeftijd": "16"}, personen=eenouder, peildatum=PEILDATUM)
    assert form.is_valid()
    # A young partner with the aanvrager's child from before: the oldest parent counts.
    form = _leeftijden({"aanvrager_leeftijd": "40", "partner_leeftijd": "22", "kind1_leeftijd": "15"})
    assert form.is_valid()


def test_a_birth_date_in_the_future_or_nothing_at_all():
    form = _leeftijden({"aanvrager_geboortedatum": "2026-11-24", "partner_leeftijd": "30", "kind1_leeftijd": "2"})
    assert form.errors == {"aanvrager_geboortedatum": ["Deze datum ligt in de toekomst. Vul de geboortedatum in."]}
    form = _leeftijden({"partner_leeftijd": "30", "kind1_leeftijd": "2"})
    assert form.errors == {"aanvrager_geboortedatum": ["Vul de geboortedatum of de leeftijd in."]}
    form = _leeftijden({"aanvrager_geboortedatum": "31-02-1990", "partner_leeftijd": "30", "kind1_leeftijd": "2"})
    assert form.errors == {"aanvrager_geboortedatum": ["Vul een datum in, bijvoorbeeld 15-03-1990."]}
    form = _leeftijden({"aanvrager_leeftijd": "-1", "partner_leeftijd": "30", "kind1_leeftijd": "2"})
    assert form.errors == {"aanvrager_leeftijd": ["Een leeftijd kan niet lager zijn dan 0."]}


def test_a_dutch_date_is_accepted_and_kept_as_a_date():
    form = _leeftijden({"aanvrager_geboortedatum": "15-03-1990", "partner_leeftijd": "30", "kind1_leeftijd": "2"})
    assert form.is_valid(), form.errors
    assert form.antwoord() == {
        "aanvrager": {"geboortedatum": "1990-03-15", "leeftijd": None},
        "partner": {"geboortedatum": None, "leeftijd": 30},
        "kind1": {"geboortedatum": None, "leeftijd": 2},
    }


def test_negative_rent_and_missing_rent():
    form = WonenForm({"soort": "huur", "kale_huur": "-100", "servicekosten": "0"})
    assert form.errors == {"kale_huur": ["De huur kan niet lager zijn dan 0 euro."]}
    form = WonenForm({"soort": "huur", "kale_huur": "", "servicekosten": "-5"})
    assert form.errors == {
        "kale_huur": ["Vul de kale huur per maand in. Weet u het niet? Kies dan 'Ik weet de kale huur niet'."],
        "servicekosten": ["De servicekosten kunnen niet lager zijn dan 0 euro."],
    }
    form = WonenForm({"soort": "huur", "kale_huur_weet_niet": "on", "servicekosten": "12,50"})
    assert form.is_valid()
    assert form.antwoord() == {"soort": "huur", "kale_huur": None, "servicekosten": "12.50"}
    form = WonenForm({"soort": "koop", "kale_huur": "-1"})
    assert form.errors == {"kale_huur": ["De huur kan niet lager zijn dan 0 euro."]}
    form = WonenForm({"soort": "koop"})
    assert form.is_valid() and form.antwoord() == {"soort": "koop", "kale_huur": None, "servicekosten": None}


def test_income_needs_an_amount_unless_weet_ik_niet():
    form = InkomenForm({"aanvrager_soort": "loon", "partner_soort": "geen", "laag_inkomen": "weet_niet"}, personen=GEZIN)
    assert form.errors == {
        "aanvrager_bedrag": ["Vul het bruto bedrag per maand in. Weet u het niet? Kies dan 'Weet ik niet'."]
    }
    form = InkomenForm(
        {"aanvrager_soort": "loon", "aanvrager_bedrag": "-1", "partner_soort": "geen", "laag_inkomen": "weet_niet"},
        personen=GEZIN,
    )
    assert form.errors == {"aanvrager_bedrag": ["Het inkomen kan niet lager zijn dan 0 euro."]}
    form = InkomenForm(
        {"aanvrager_soort": "weet_niet", "aanvrager_bedrag": "", "partner_soort": "uitkering", "partner_bedrag": "1.234,56",
         "laag_inkomen": "3_jaar_of_langer"},
        personen=GEZIN,
    )
    assert form.is_valid(), form.errors
    assert form.antwoord() == {
        "laag_inkomen": "3_jaar_of_langer",
        "aanvrager": {"soort": "weet_niet", "bruto_per_maand": None},
        "partner": {"soort": "uitkering", "bruto_per_maand": "1234.56"},
    }
    assert "kind1_soort" not in form.fields


def test_savings_negative_or_missing():
    assert VermogenForm({"bedrag": "-20"}).errors == {"bedrag": ["Vul 0 in als u meer schulden dan geld heeft."]}
    assert VermogenForm({}).errors == {
        "bedrag": ["Vul een bedrag in, of kies 'Weet ik niet'. Geen spaargeld? Vul dan 0 in."]
    }
    form = VermogenForm({"weet_niet": "on"})
    assert form.is_valid() and form.antwoord() == {"bedrag": None}


def test_household_counts():
    assert HuishoudenForm({"partner": "ja", "kinderen": "-1", "volwassenen": "0"}).errors == {
        "kinderen": ["Het aantal kan niet lager zijn dan 0."]
    }
    assert HuishoudenForm({"kinderen": "1", "volwassenen": "0"}).errors == {"partner": ["Kies of u een partner heeft."]}
    form = HuishoudenForm({"partner": "nee", "kinderen": "2", "volwassenen": "0"})
    assert form.is_valid() and form.antwoord() == {"partner": False, "kinderen": 2, "volwassenen": 0}


@pytest.mark.parametrize(
    "tekst, bedrag",
    [("650", "650"), ("650,50", "650.50"), ("1.250,00", "1250.00"), ("€ 1250.5", "1250.5"), ("1.250", "1250"),
     ("0", "0"), ("-5", "-5")],
)
def test_amounts_as_people_type_them(tekst, bedrag):
    assert parse_bedrag(tekst) == Decimal(bedrag)


@pytest.mark.parametrize("tekst", ["", "abc", "12,345", "1,2,3", "€", "12.3.4"])
def test_amounts_that_are_not_amounts(tekst):
    with pytest.raises(ValueError):
        parse_bedrag(tekst)


@pytest.mark.django_db
def test_an_impossible_answer_shows_the_message_at_the_field_and_saves_nothing():
    GemeenteFactory()
    client = Client()
    start(client)
    client.post("/check/voorbeeld/stap/1/", {"partner": "nee", "kinderen": "0", "volwassenen": "0"})
    client.post("/check/voorbeeld/stap/2/", {"aanvrager_leeftijd": "40"})
    client.post("/check/voorbeeld/stap/3/", {"aanvrager_soort": "geen", "laag_inkomen": "weet_niet"})
    response = client.post("/check/voorbeeld/stap/4/", {"soort": "huur", "kale_huur": "-650", "servicekosten": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="utrecht-form-field-error-message" id="id_kale_huur_error"><p class="utrecht-paragraph">De huur kan niet lager zijn dan 0 euro.</p></div>' in html
    assert 'aria-invalid="true"' in html
    assert "wonen" not in CheckAntwoorden.objects.get().antwoorden
