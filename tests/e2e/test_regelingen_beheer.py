"""Browser journey (issue 4, "Done means"): a beheerder changes a scheme, previews it and
publishes it with a valid-from date; the public check shows the change from that date and
not before. The check computes for today (it has no date override), so the journey
publishes the change first for tomorrow (the check still shows the old amount; the API and
the selector show the new one for tomorrow) and then for today (the check shows it).

The beheer pages are desktop pages; the public check runs on a phone-sized viewport.
Every beheer page and the check's result page are checked with axe-core (the check's other
pages are checked by the regelingencheck journeys, tests/e2e/test_regelingencheck_*.py).
"""

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from perspectief.audit.models import AuditRegel
from perspectief.regelingen import selectors, services
from perspectief.regelingen.constants import CatalogusStatus
from perspectief.regelingen.models import CatalogusVersie
from perspectief.toegang.constants import Rol
from tests.factories import GebruikerFactory, GemeenteFactory

from .conftest import PHONE, staff_login

pytestmark = pytest.mark.e2e

REGELING = "Meedoenregeling voor volwassenen"

# A single parent (35) with a child of 8 and no income: bijstand, so the meedoenregeling
# for adults applies (150 a year = 12.50 a month in the shipped catalogue).
CHECK_STAPPEN = [
    {"partner": "nee", "kinderen": "1", "volwassenen": "0"},
    {"aanvrager_leeftijd": "35", "kind1_leeftijd": "8"},
    {"aanvrager_soort": "geen", "laag_inkomen": "3_jaar_of_langer"},
    {"soort": "huur", "kale_huur": "650", "servicekosten": "30"},
    {"bedrag": "500"},
    {},
]


def _vul(page, naam: str, waarde: str) -> None:
    veld = page.locator(f'[name="{naam}"]')
    soort = (veld.first.get_attribute("type") or "").lower()
    tag = veld.first.evaluate("element => element.tagName").lower()
    if soort in ("radio", "checkbox"):
        page.locator(f'[name="{naam}"][value="{waarde}"]').check()
    elif tag == "select":
        veld.select_option(waarde)
    else:
        veld.fill(waarde)


def _check_invullen(page) -> None:
    """The public check on a phone, through the real questionnaire, to the result page."""
    page.goto("/check/voorbeeld/")
    page.locator("form button[type=submit]").first.click()
    for stap in CHECK_STAPPEN:
        page.wait_for_url(re.compile(r".*/check/voorbeeld/stap/\d+/"))
        for naam, waarde in stap.items():
            _vul(page, naam, waarde)
        page.locator('button[name="verder"]').click()
    page.wait_for_url("**/check/voorbeeld/uitkomst/")


def _bedrag_in_check(page) -> str:
    rij = page.locator("tr", has=page.locator(f'th:text-is("{REGELING}")')).first
    return rij.locator("td").first.inner_text().strip().replace("\xa0", " ")


def _api_bedrag(peildatum: datetime.date) -> float:
    huishouden = {
        "peildatum": peildatum.isoformat(), "gemeente": "voorbeeld",
        "personen": [{"id": "a", "rol": "aanvrager", "geboortedatum": "1990-01-01", "inkomsten": [], "vermogen": 0}],
        "woning": {"soort": "huur", "kale_huur_per_maand": 650},
    }
    response = Client().post("/api/v1/berekening/", json.dumps(huishouden), content_type="application/json")
    assert response.status_code == 200
    return next(r for r in response.json()["regelingen"] if r["code"] == "meedoenregeling_volwassenen")["bedrag_per_maand"]


def test_beheerder_changes_a_scheme_and_the_check_shows_it_from_its_valid_from_date(open_session, axe):
    gemeente = GemeenteFactory(wijkteam_telefoon="14 099", wijkteam_email="wijkteam@voorbeeld.example")
    services.demo_catalogus_publiceren(gemeente_id=gemeente.pk)
    beheerder = GebruikerFactory(
        username="f.jansen", first_name="Fleur", last_name="Jansen", rol=Rol.FUNCTIONEEL_BEHEERDER, gemeente=gemeente
    )
    vandaag = timezone.localdate()
    morgen = vandaag + datetime.timedelta(days=1)

    # --- the beheerder (desktop) ------------------------------------------------------------
    beheer = open_session().page
    staff_login(beheer, axe, beheerder)
    beheer.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regelingen").click()
    beheer.wait_for_url("**/beheer/regelingen/")
    expect(beheer.get_by_text("Vandaag geldt versie 1 (vanaf 1-1-2025).")).to_be_visible()
    axe(beheer)

    beheer.get_by_role("button", name="Nieuw concept maken").click()
    beheer.wait_for_url(re.compile(r".*/beheer/regelingen/\d+/$"))
    expect(beheer.get_by_role("heading", name="Concept versie 2 bewerken")).to_be_visible()
    axe(beheer)

    # a mistake first: the error is shown with its line and field
    tekstvak = beheer.get_by_label("Regelingen (YAML)")
    origineel = tekstvak.input_value()
    assert "      per_volwassene_per_jaar: 150\n" in origineel
    tekstvak.fill(origineel.replace("      per_volwassene_per_jaar: 150\n", "      per_volwassene_per_jaar: veel\n"))
    beheer.get_by_label("Wat is er veranderd").fill("Meedoenregeling volwassenen naar 300 euro per jaar")
    beheer.get_by_role("button", name="Opslaan en controleren").click()
    expect(beheer.locator("#fouten-kop")).to_have_text("1 fout in de regelingen:")
    regel = origineel.split("\n").index("      per_volwassene_per_jaar: 150") + 1
    expect(beheer.locator(".regelingen-fout")).to_have_text(
        f"Regel {regel}, regelingen[3].bedrag.per_volwassene_per_jaar: Verwacht getal, maar gevonden: 'veel'. "
        "Op die regel staat: per_volwassene_per_jaar: veel"
    )
    # the message is the text box's description, so a screen reader reads it with the field
    expect(tekstvak).to_have_accessible_description(re.compile(rf"Regel {regel}, regelingen\[3\]"))
    axe(beheer, "regelingen-concept-fout")

    tekstvak.fill(origineel.replace("      per_volwassene_per_jaar: 150\n", "      per_volwassene_per_jaar: 300\n"))
    beheer.get_by_role("button", name="Opslaan en controleren").click()
    expect(beheer.get_by_text("Opgeslagen. De regelingen zijn in orde")).to_be_visible()

    beheer.get_by_role("link", name="Voorbeeld met huishoudens").first.click()
    beheer.wait_for_url("**/voorbeeld/")
    veranderd = beheer.locator('tr.regelingen-veranderd[data-regeling="meedoenregeling_volwassenen"]').first
    expect(veranderd.locator("td").nth(1)).to_have_text("€ 12,50")
    expect(veranderd.locator("td").nth(3)).to_have_text("€ 25,00")
    axe(beheer)

    beheer.get_by_role("link", name="Publiceren").first.click()
    beheer.wait_for_url("**/publiceren/")
    axe(beheer)
    beheer.get_by_label("Geldig vanaf").fill(morgen.isoformat())
    beheer.get_by_role("button", name="Publiceren").click()
    beheer.wait_for_url("**/beheer/regelingen/")
    expect(beheer.get_by_text(f"Versie 2 is gepubliceerd en geldt vanaf {morgen:%d-%m-%Y}.")).to_be_visible()
    axe(beheer, "regelingen-lijst-na-publiceren")
    beheer.get_by_role("link", name="Versie 1", exact=True).click()
    expect(beheer.get_by_text("Deze versie kan niet meer veranderen.")).to_be_visible()
    expect(beheer.get_by_role("button", name="Versie intrekken")).to_be_visible()
    axe(beheer, "regelingen-versie-gepubliceerd")
    beheer.get_by_role("link", name="Regelingen", exact=True).first.click()
    beheer.wait_for_url("**/beheer/regelingen/")

    # --- not before the valid-from date: the check today still shows the old amount ---------
    inwoner = open_session(PHONE).page
    _check_invullen(inwoner)
    axe(inwoner, "check-uitkomst-voor")
    assert _bedrag_in_check(inwoner) == "€ 12,50"
    # ... and from that date the new one (the check has no date override: API and selector)
    assert (_api_bedrag(vandaag), _api_bedrag(morgen)) == (12.5, 25.0)
    assert selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=morgen).regeling(
        "meedoenregeling_volwassenen")["bedrag"]["per_volwassene_per_jaar"] == 300

    # --- the same change valid from today, made with the form without YAML --------------------
    beheer.get_by_role("button", name="Nieuw concept maken").click()
    beheer.wait_for_url(re.compile(r".*/beheer/regelingen/\d+/$"))
    beheer.get_by_text("Snel een bedrag of inkomensgrens aanpassen (zonder YAML)").click()
    beheer.get_by_label("Regeling", exact=True).select_option("meedoenregeling_volwassenen")
    beheer.get_by_label("Wat wilt u veranderen").select_option("bedrag.per_volwassene_per_jaar")
    beheer.get_by_label("Nieuwe waarde").fill("300")
    beheer.get_by_role("button", name="Waarde aanpassen").click()
    expect(beheer.get_by_text("De waarde is aangepast.")).to_be_visible()
    axe(beheer, "regelingen-concept-bedrag")
    beheer.get_by_role("link", name="Publiceren").first.click()
    beheer.wait_for_url("**/publiceren/")
    expect(beheer.get_by_text(f"versie 2 vanaf {morgen.day}-{morgen.month}-{morgen.year}")).to_be_visible()
    axe(beheer, "regelingen-publiceren-met-latere-versie")
    beheer.get_by_label("Geldig vanaf").fill(vandaag.isoformat())
    beheer.get_by_role("button", name="Publiceren").click()
    beheer.wait_for_url("**/beheer/regelingen/")
    expect(beheer.get_by_text("Vandaag geldt versie 3")).to_be_visible()

    inwoner.reload()
    assert _bedrag_in_check(inwoner) == "€ 25,00"
    axe(inwoner, "check-uitkomst-na")

    # --- the record ---------------------------------------------------------------------------
    versies = list(CatalogusVersie.objects.order_by("versie").values_list("versie", "status", "geldig_vanaf"))
    assert versies == [
        (1, CatalogusStatus.GEPUBLICEERD, datetime.date(2025, 1, 1)),
        (2, CatalogusStatus.GEPUBLICEERD, morgen),
        (3, CatalogusStatus.GEPUBLICEERD, vandaag),
    ]
    handelingen = [
        (regel.actie, regel.details.get("versie"), regel.details.get("handeling", ""))
        for regel in AuditRegel.objects.filter(object_type="catalogusversie", actor_id=beheerder.pk).order_by("volgnummer")
    ]
    assert handelingen == [
        ("aanmaken", 2, ""), ("wijzigen", 2, ""), ("wijzigen", 2, ""), ("wijzigen", 2, "publiceren"),
        ("aanmaken", 3, ""), ("wijzigen", 3, ""), ("wijzigen", 3, "publiceren"),
    ]


def test_api_documentation_page_works_under_the_csp(open_session, axe):
    """The API's documentation is a server-rendered page: no external script, no CSP report."""
    GemeenteFactory()
    page = open_session(PHONE).page
    page.goto("/api/")
    expect(page.get_by_role("heading", name="API voor rekenregels", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="POST /api/v1/berekening/: Eén huishouden doorrekenen")).to_be_visible()
    axe(page)
    # nothing sticks out sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto("/api/schema/?format=json")
    document = json.loads(page.locator("body").inner_text())
    assert document["openapi"] == "3.1.0"
