"""Resident journeys through the anonymous regelingencheck on a phone (issue 4, "Done means"):
complete the questionnaire and see the expected schemes and amounts, print the result and
download the PDF, reopen it with the code on another device, try "Wat als ik ga werken?",
and share it with the consultant. axe-core checks every page.

The known household: a single parent of 35 with a child of 8, no income (or only bijstand),
kale huur 650 + 30 servicekosten, 500 savings, a low income for 3 years or more. Expected
amounts come from `rekenregels.bereken` on the same input, and two of them from golden
cases with a cited source: the Voorbeeld catalogue's individuele inkomenstoeslag for a
single parent, 460 per year (tests/rekenregels/golden/voorbeeld_catalogus.yaml, "IIT
alleenstaande ouder: 460 per jaar"), and the 2026 kinderbijslag for a child of 8, 358,30 per
quarter (tests/rekenregels/golden/kinderbijslag.yaml, "kind van 8 jaar (2026)").
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from perspectief.regelingen.selectors import catalogus_voor_gemeente
from perspectief.regelingencheck.antwoorden import engine_huishouden
from perspectief.regelingencheck.models import CheckAntwoorden
from perspectief.toegang.constants import Rol
from rekenregels import bereken
from tests.factories import (
    PASSWORD,
    GebruikerFactory,
    GemeenteFactory,
    HuishoudenFactory,
    InwonerFactory,
    PersoonFactory,
    TeamFactory,
)
from tests.regelingencheck.pdf_tekst import bladwijzers

from .conftest import PHONE, staff_login

pytestmark = pytest.mark.e2e


def _geen_zijwaarts_scrollen(page) -> None:
    breedte = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert breedte[0] <= breedte[1], f"{page.url} scrolls sideways: content {breedte[0]}px in {breedte[1]}px"


def _euro(bedrag: float) -> str:
    return "€\u00a0" + f"{bedrag:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture
def gemeente(transactional_db):
    return GemeenteFactory(wijkteam_telefoon="0800 1234567", wijkteam_email="wijkteam@voorbeeld.example")


def _vul_de_check_in(page, axe) -> None:
    page.goto("/")
    axe(page)
    page.get_by_role("link", name="Welke hulp is er voor mij?").click()
    page.wait_for_url("**/check/voorbeeld/")
    axe(page)
    page.get_by_role("button", name="Begin de check").click()

    page.wait_for_url("**/check/voorbeeld/stap/1/")
    expect(page.get_by_text("Stap 1 van 6")).to_be_visible()
    axe(page)
    page.get_by_label("Ik woon zonder partner").check()
    page.get_by_label("Hoeveel kinderen jonger dan 18 jaar wonen bij u?").fill("1")
    page.get_by_label("Hoeveel andere volwassenen wonen bij u?").fill("0")
    page.get_by_role("button", name="Volgende").click()

    page.wait_for_url("**/check/voorbeeld/stap/2/")
    axe(page)
    # An impossible answer first: a child older than the parent.
    page.locator("#id_aanvrager_leeftijd").fill("35")
    page.locator("#id_kind1_leeftijd").fill("40")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("#id_kind1_geboortedatum_error")).to_have_text(
        "Dit kind is 18 jaar of ouder. Ga terug en tel dit kind mee bij de andere volwassenen."
    )
    axe(page, "stap-2-fout")
    page.locator("#id_kind1_leeftijd").fill("8")
    page.get_by_role("button", name="Volgende").click()

    page.wait_for_url("**/check/voorbeeld/stap/3/")
    axe(page)
    page.get_by_text("Wat is bruto?").click()
    expect(page.get_by_text("Bruto is het bedrag voordat er belasting af gaat.")).to_be_visible()
    page.get_by_label("Geen inkomen (of alleen bijstand)").check()
    page.get_by_label("3 jaar of langer").check()
    page.get_by_role("button", name="Volgende").click()

    page.wait_for_url("**/check/voorbeeld/stap/4/")
    axe(page)
    page.get_by_label("Ik huur een huis").check()
    page.get_by_label("Kale huur per maand in euro").fill("650")
    page.get_by_label("Servicekosten per maand in euro").fill("30")
    # Back and forward: the answers stay.
    page.get_by_role("button", name="Vorige").click()
    page.wait_for_url("**/check/voorbeeld/stap/3/")
    expect(page.get_by_label("Geen inkomen (of alleen bijstand)")).to_be_checked()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/check/voorbeeld/stap/4/")
    expect(page.get_by_label("Kale huur per maand in euro")).to_have_value("650")
    page.get_by_role("button", name="Volgende").click()

    page.wait_for_url("**/check/voorbeeld/stap/5/")
    axe(page)
    page.get_by_label("Hoeveel geld en bezit heeft u samen met uw partner, in euro?").fill("500")
    page.get_by_role("button", name="Volgende").click()

    page.wait_for_url("**/check/voorbeeld/stap/6/")
    expect(page.get_by_text("Stap 6 van 6")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Bekijk de uitkomst").click()
    page.wait_for_url("**/check/voorbeeld/uitkomst/")
    axe(page)
    _geen_zijwaarts_scrollen(page)


def _verwacht(gemeente) -> dict:
    check = CheckAntwoorden.objects.get()
    vandaag = timezone.localdate()
    return bereken(
        engine_huishouden(antwoorden=check.antwoorden, peildatum=vandaag),
        catalogus=catalogus_voor_gemeente(gemeente=gemeente, peildatum=vandaag),
    )


def test_resident_completes_the_check_prints_it_and_reopens_it_with_the_code(open_session, axe, gemeente):
    page = open_session(PHONE).page
    _vul_de_check_in(page, axe)
    verwacht = _verwacht(gemeente)

    # The expected schemes and amounts: every "ja" with the engine's amount, in the table.
    tabel = page.get_by_role("table", name="Bedragen per regeling")
    rijen = tabel.locator("tbody tr").all_inner_texts()
    ja = [r for r in verwacht["regelingen"] if r["recht"] == "ja"]
    assert len(rijen) == len(ja) >= 10
    for rij, regeling in zip(rijen, ja, strict=True):
        assert rij.split("\t") == [regeling["naam"], _euro(regeling["bedrag_per_maand"]), _euro(regeling["bedrag_per_jaar"])]
    totaal = round(sum(r["bedrag_per_maand"] for r in ja), 2)
    expect(page.locator(".regelingencheck-totaal__zin")).to_contain_text(f"Samen is dat ongeveer {_euro(totaal)} per maand.")
    # The golden cases (see the module docstring).
    iit = page.get_by_role("article", name="Individuele inkomenstoeslag")
    expect(iit).to_contain_text(f"Ongeveer {_euro(38.33)} per maand ({_euro(460.00)} per jaar).")
    expect(page.get_by_role("article", name="Kinderbijslag")).to_contain_text("U krijgt € 358,30 kinderbijslag per kwartaal.")
    # Ja first, then misschien, then nee (collapsed).
    koppen = page.locator("main h2").all_inner_texts()
    assert koppen[:3] == ["Hier heeft u waarschijnlijk recht op", "Hier heeft u misschien recht op", "Andere regelingen"]
    expect(page.locator("details.regelingencheck-nee")).not_to_have_attribute("open", "")
    expect(page.get_by_role("article", name="Schoolkostenregeling voortgezet onderwijs")).to_be_hidden()

    # Print: the print stylesheet hides the links and buttons and shows the print heading.
    page.emulate_media(media="print")
    expect(page.locator(".regelingencheck-acties")).to_be_hidden()
    expect(page.locator(".perspectief-footer")).to_be_hidden()
    expect(page.locator(".perspectief-print-only").first).to_be_visible()
    expect(page.get_by_role("table", name="Bedragen per regeling")).to_be_visible()
    page.emulate_media(media="screen")

    # PDF: a real PDF with the amounts (its bookmarks hold the headings).
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de uitkomst als PDF").click()
    pdf = open(download_info.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF-")
    titels = bladwijzers(pdf)
    assert f"Samen ongeveer {_euro(totaal)} per maand" in titels
    assert f"Individuele inkomenstoeslag: {_euro(38.33)} per maand" in titels

    # The code, then reopening it on another device.
    page.get_by_role("button", name="Maak een code").click()
    page.wait_for_url("**/check/voorbeeld/uitkomst/#code")
    axe(page, "uitkomst-met-code")
    code = page.get_by_test_id("code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    ander = open_session(PHONE).page
    ander.goto("/check/voorbeeld/")
    ander.get_by_role("link", name="Open uw uitkomst met een code").click()
    ander.wait_for_url("**/check/voorbeeld/openen/")
    axe(ander)
    ander.get_by_label("Uw code").fill("XXXX-XXXX")
    ander.get_by_role("button", name="Open mijn uitkomst").click()
    expect(ander.locator("#id_code_error")).to_contain_text("Deze code kennen wij niet.")
    axe(ander, "openen-fout")
    ander.get_by_label("Uw code").fill(code.lower())
    ander.get_by_role("button", name="Open mijn uitkomst").click()
    ander.wait_for_url("**/check/voorbeeld/uitkomst/")
    expect(ander.locator(".regelingencheck-totaal__zin")).to_contain_text(f"{_euro(totaal)} per maand")
    axe(ander, "uitkomst-heropend")


def test_resident_sees_what_working_does_to_their_income(open_session, axe, gemeente):
    page = open_session(PHONE).page
    _vul_de_check_in(page, axe)
    page.get_by_role("link", name="Wat als ik ga werken?").click()
    page.wait_for_url("**/check/voorbeeld/werken/")
    axe(page)
    expect(page.locator("svg.regelingencheck-grafiek")).to_be_visible()
    page.get_by_label("Hoeveel uur per week wilt u werken?").fill("24")
    page.get_by_role("button", name="Reken uit").click()
    page.wait_for_url("**/check/voorbeeld/werken/?uren=24*")
    expect(page.locator(".regelingencheck-totaal__zin")).to_contain_text("Als u 24 uur per week werkt")
    page.get_by_text("Bekijk de bedragen in een tabel").click()
    expect(page.get_by_role("table", name="Geld per maand bij elk aantal uren werk")).to_be_visible()
    axe(page, "werken-tabel")
    _geen_zijwaarts_scrollen(page)


def test_resident_shares_the_result_and_the_klantmanager_sees_it(open_session, axe, gemeente):
    team = TeamFactory(gemeente=gemeente)
    huishouden = HuishoudenFactory(gemeente=gemeente, team=team, naam="Bakker")
    aanvrager = PersoonFactory(huishouden=huishouden, voornamen="Fatima")
    InwonerFactory(username="f.bakker", persoon=aanvrager, gemeente=gemeente)
    klantmanager = GebruikerFactory(username="k.demir", rol=Rol.KLANTMANAGER, gemeente=gemeente, teams=[team])

    page = open_session(PHONE).page
    _vul_de_check_in(page, axe)
    page.get_by_role("link", name="Deel met mijn consulent").click()
    page.wait_for_url("**/check/voorbeeld/delen/")
    axe(page)
    page.get_by_role("link", name="Inloggen").last.click()
    page.wait_for_url("**/toegang/inwoner/?next=**")
    page.get_by_role("link", name="Inloggen met demo-account").click()
    page.get_by_label("Gebruikersnaam").fill("f.bakker")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # The login returns to the page that asked for it; the check survives the login (same session).
    page.wait_for_url("**/check/voorbeeld/delen/")
    axe(page, "delen-ingelogd")
    page.get_by_role("button", name="Deel de uitkomst").click()
    expect(page.locator("#id_toestemming_error")).to_have_text("Zet een vinkje als u de uitkomst wilt delen.")
    page.get_by_label("Ja, mijn consulent mag deze uitkomst 30 dagen zien.").check()
    page.get_by_role("button", name="Deel de uitkomst").click()
    page.wait_for_url("**/check/voorbeeld/uitkomst/")
    expect(page.get_by_text("Uw consulent kan de uitkomst nu zien.")).to_be_visible()
    # Printed while logged in: the menu is hidden on paper.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
    page.emulate_media(media="screen")

    staff = open_session().page
    staff_login(staff, axe, klantmanager)
    staff.goto(f"/huishoudens/{huishouden.uuid}/")
    sectie = staff.get_by_role("region", name="Regelingencheck gedeeld door het huishouden")
    expect(sectie).to_contain_text("Individuele inkomenstoeslag")
    expect(sectie).to_contain_text(_euro(38.33))
    axe(staff, "huishouden-met-check")
