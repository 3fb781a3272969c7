"""The questionnaire end to end through the test client: the result equals the engine's
answer for the same input, in the order ja, misschien, nee; back and forward keep answers."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from perspectief.regelingen.selectors import catalogus_voor_gemeente
from perspectief.regelingencheck.antwoorden import engine_huishouden
from perspectief.regelingencheck.models import CheckAntwoorden
from rekenregels import bereken
from tests.factories import GemeenteFactory

from .helpers import ALLEENSTAANDE_OUDER, start, vul_in
from .pdf_tekst import bladwijzers


@pytest.fixture
def gemeente(db):
    return GemeenteFactory(wijkteam_telefoon="0800 1234567", wijkteam_email="wijkteam@voorbeeld.example")


def _euro(bedrag: float) -> str:
    return "€\u00a0" + f"{bedrag:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _verwacht(gemeente) -> dict:
    check = CheckAntwoorden.objects.get()
    vandaag = timezone.localdate()
    return bereken(
        engine_huishouden(antwoorden=check.antwoorden, peildatum=vandaag),
        catalogus=catalogus_voor_gemeente(gemeente=gemeente, peildatum=vandaag),
    )


def test_the_result_shows_every_scheme_with_the_engines_amounts_ja_first(gemeente):
    client = Client()
    vul_in(client)
    response = client.get("/check/voorbeeld/uitkomst/")
    assert response.status_code == 200
    html = response.content.decode()
    verwacht = _verwacht(gemeente)

    # Every scheme, once, in the order ja, misschien, nee (the engine's order within a group).
    volgorde = {"ja": 0, "misschien": 1, "nee": 2}
    codes = [r["code"] for r in sorted(verwacht["regelingen"], key=lambda r: volgorde[r["recht"]])]
    assert re.findall(r'<article class="regelingencheck-regeling regelingencheck-regeling--\w+" aria-labelledby="regeling-(\w+)"', html) == codes
    for regeling in verwacht["regelingen"]:
        assert f'regelingencheck-regeling--{regeling["recht"]}" aria-labelledby="regeling-{regeling["code"]}"' in html
        if regeling["recht"] == "ja":
            assert f"Ongeveer {_euro(regeling['bedrag_per_maand'])} per maand ({_euro(regeling['bedrag_per_jaar'])} per jaar)." in html
    totaal = round(sum(r["bedrag_per_maand"] for r in verwacht["regelingen"] if r["recht"] == "ja"), 2)
    assert f"Samen is dat ongeveer <strong>{_euro(totaal)} per maand</strong>" in html
    # The nee group is collapsed, and "misschien" comes with the wijkteam's contact details.
    assert '<details class="regelingencheck-nee">' in html
    assert 'href="tel:08001234567"' in html and 'href="mailto:wijkteam@voorbeeld.example"' in html


def test_known_household_matches_the_golden_cases(gemeente):
    """A single parent with a child of 8, no income, 3 years low income: the Voorbeeld
    catalogue's golden cases (tests/rekenregels/golden/voorbeeld_catalogus.yaml, 'IIT
    alleenstaande ouder: 460 per jaar') and the 2026 kinderbijslag for a child of 8
    (golden/kinderbijslag.yaml, 'kind van 8 jaar (2026)': 358,30 per kwartaal)."""
    client = Client()
    vul_in(client)
    html = client.get("/check/voorbeeld/uitkomst/").content.decode()
    assert f"Ongeveer {_euro(38.33)} per maand ({_euro(460.00)} per jaar)." in html  # IIT 460 / 12
    assert "U krijgt € 358,30 kinderbijslag per kwartaal." in html
    check = CheckAntwoorden.objects.get()
    per_code = {r["code"]: r for r in check.uitkomst["regelingen"]}
    assert (per_code["individuele_inkomenstoeslag"]["recht"], per_code["individuele_inkomenstoeslag"]["bedrag_per_jaar"]) == ("ja", 460.0)
    assert per_code["kinderbijslag"]["bedrag_per_jaar"] == pytest.approx(4 * 358.30, abs=0.01)


def test_the_result_is_stored_small_and_reused_until_the_answers_change(gemeente, django_assert_max_num_queries):
    client = Client()
    vul_in(client)
    client.get("/check/voorbeeld/uitkomst/")
    check = CheckAntwoorden.objects.get()
    sleutel = check.uitkomst_sleutel
    assert len(sleutel) == 64 and len(str(check.uitkomst)) < 20_000
    # session read and save (every request), gemeente, check, catalogue (2), transaction: no result save
    with django_assert_max_num_queries(8):
        client.get("/check/voorbeeld/uitkomst/")
    client.post("/check/voorbeeld/stap/5/", {"bedrag": "50000"})
    client.get("/check/voorbeeld/uitkomst/")
    check.refresh_from_db()
    assert check.uitkomst_sleutel != sleutel
    per_code = {r["code"]: r["recht"] for r in check.uitkomst["regelingen"]}
    assert per_code["individuele_inkomenstoeslag"] == "nee"  # 50,000 is above the vermogen limit


def test_weet_ik_niet_gives_misschien_with_the_missing_fact(gemeente):
    client = Client()
    stappen = {**ALLEENSTAANDE_OUDER, 3: {"aanvrager_soort": "weet_niet", "laag_inkomen": "weet_niet"}}
    vul_in(client, stappen)
    html = client.get("/check/voorbeeld/uitkomst/").content.decode()
    assert "U heeft misschien recht op deze regeling." in html
    assert "Hoe lang heeft uw huishouden al een laag inkomen (in maanden)?" in html
    check = CheckAntwoorden.objects.get()
    assert {r["code"]: r["recht"] for r in check.uitkomst["regelingen"]}["zorgtoeslag"] == "misschien"


def test_back_and_forward_keep_the_answers(gemeente):
    client = Client()
    vul_in(client)
    # "Vorige" from step 4 saves step 4 and goes to step 3, which shows what was chosen.
    response = client.post("/check/voorbeeld/stap/4/", {"soort": "huur", "kale_huur": "700", "servicekosten": "30", "terug": "1"})
    assert response["Location"] == "/check/voorbeeld/stap/3/"
    html = client.get("/check/voorbeeld/stap/3/").content.decode()
    assert 'value="geen" id="id_aanvrager_soort_0" checked' in html
    assert 'value="3_jaar_of_langer" id="id_laag_inkomen_2" checked' in html
    html = client.get("/check/voorbeeld/stap/4/").content.decode()
    assert 'name="kale_huur" value="700"' in html
    assert CheckAntwoorden.objects.get().antwoorden["wonen"] == {"soort": "huur", "kale_huur": "700.00", "servicekosten": "30.00"}
    # "Vorige" with an invalid entry goes back without saving it.
    response = client.post("/check/voorbeeld/stap/4/", {"soort": "huur", "kale_huur": "-1", "terug": "1"})
    assert response["Location"] == "/check/voorbeeld/stap/3/"
    assert CheckAntwoorden.objects.get().antwoorden["wonen"]["kale_huur"] == "700.00"


def test_a_new_child_needs_an_age_before_the_result(gemeente):
    client = Client()
    vul_in(client)
    client.post("/check/voorbeeld/stap/1/", {"partner": "nee", "kinderen": "2", "volwassenen": "0"})
    assert client.get("/check/voorbeeld/uitkomst/")["Location"] == "/check/voorbeeld/stap/2/"
    assert client.get("/check/voorbeeld/stap/5/")["Location"] == "/check/voorbeeld/stap/2/"


def test_steps_before_starting_and_unknown_gemeente(gemeente):
    client = Client()
    assert client.get("/check/voorbeeld/stap/1/")["Location"] == "/check/voorbeeld/"
    assert client.get("/check/onbekend/").status_code == 404
    start(client)
    assert client.get("/check/voorbeeld/stap/7/").status_code == 404
    assert client.get("/check/voorbeeld/stap/3/")["Location"] == "/check/voorbeeld/stap/1/"


def test_one_topic_per_screen_with_progress_and_help_without_javascript(gemeente):
    client = Client()
    start(client)
    html = client.get("/check/voorbeeld/stap/1/").content.decode()
    assert "Stap 1 van 6" in html and '<progress class="regelingencheck-balk" max="6" value="1"' in html
    client.post("/check/voorbeeld/stap/1/", {"partner": "nee", "kinderen": "0", "volwassenen": "0"})
    client.post("/check/voorbeeld/stap/2/", {"aanvrager_leeftijd": "40"})
    html = client.get("/check/voorbeeld/stap/3/").content.decode()
    assert "Wat is bruto?" in html and "Wat is toetsingsinkomen?" in html and "<details" in html
    client.post("/check/voorbeeld/stap/3/", {"aanvrager_soort": "geen", "laag_inkomen": "weet_niet"})
    html = client.get("/check/voorbeeld/stap/4/").content.decode()
    assert "Wat is kale huur?" in html and "Wat zijn servicekosten?" in html
    client.post("/check/voorbeeld/stap/4/", {"soort": "koop"})
    assert "Wat is vermogen?" in client.get("/check/voorbeeld/stap/5/").content.decode()


def test_pdf_is_a_pdf_with_the_amounts(gemeente):
    client = Client()
    vul_in(client)
    response = client.get("/check/voorbeeld/uitkomst/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    titels = bladwijzers(response.content)
    per_code = {r["code"]: r for r in CheckAntwoorden.objects.get().uitkomst["regelingen"]}
    totaal = CheckAntwoorden.objects.get().uitkomst["totaal_per_maand"]
    assert f"Samen ongeveer {_euro(totaal)} per maand" in titels
    assert f"Individuele inkomenstoeslag: {_euro(38.33)} per maand" in titels
    assert f"Zorgtoeslag: {_euro(per_code['zorgtoeslag']['bedrag_per_maand'])} per maand" in titels


def test_start_and_choose_gemeente(gemeente):
    client = Client()
    assert client.get("/check/")["Location"] == "/check/voorbeeld/"
    GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp")
    html = client.get("/check/").content.decode()
    assert 'href="/check/anderdorp/"' in html and 'href="/check/voorbeeld/"' in html
    assert "Begin de check" in client.get("/check/voorbeeld/").content.decode()
