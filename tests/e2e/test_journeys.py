"""Browser journeys per role (Foundation issue, "Done means"), each page checked with axe-core.

The audit log is checked afterwards in the database: the views and the refusal of the
journey are recorded, `audit_verify` passes, and it fails once one row is tampered with.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from perspectief.audit.models import AuditRegel
from perspectief.huishoudens.constants import Doel, Gegevensdeel, InkomenSoort, RolInHuishouden
from perspectief.huishoudens.models import Buddykoppeling, Huishouden, Inkomen, Persoon, Toestemming
from perspectief.toegang.constants import Rol
from tests.factories import (
    PASSWORD,
    AdresFactory,
    GebruikerFactory,
    HuishoudenFactory,
    InwonerFactory,
    PersoonFactory,
    TeamFactory,
    WijkFactory,
    test_bsn as make_bsn,
)

from .conftest import PHONE, audit_triggers_drop, staff_login

pytestmark = pytest.mark.e2e

INVALID_BSN = "123456789"  # fails the 11-proef
OWN_HOUSEHOLDS = 30  # more than one page of 25


def _household(*, naam: str, team, wijk, huisnummer: int, postcode: str = "9999 AA"):
    huishouden = HuishoudenFactory(
        naam=naam, team=team, adres=AdresFactory(wijk=wijk, huisnummer=huisnummer, postcode=postcode)
    )
    return huishouden


@pytest.fixture
def wereld(transactional_db):
    """A small gemeente: one team's caseload over two wijken, and a household of another team."""
    team = TeamFactory(naam="Wijkteam Noord")
    ander_team = TeamFactory(naam="Wijkteam Zuid")
    noord = WijkFactory(naam="Noord")
    oost = WijkFactory(naam="Oost", gemeente=noord.gemeente)
    klantmanager = GebruikerFactory(
        username="k.demir", first_name="Kim", last_name="Demir", rol=Rol.KLANTMANAGER, teams=[team]
    )
    bakker = _household(naam="Bakker", team=team, wijk=noord, huisnummer=1, postcode="9999 AB")
    bakker.contactpersoon = klantmanager
    bakker.save()
    aanvrager = PersoonFactory(
        huishouden=bakker, rol=RolInHuishouden.AANVRAGER, voornamen="Fatima", achternaam="Bakker",
        bsn=make_bsn(1), telefoon="06 12345678",
    )
    Inkomen.objects.create(persoon=aanvrager, soort=InkomenSoort.UITKERING, bruto_per_maand="1401.10")
    for number in range(2, OWN_HOUSEHOLDS + 1):
        _household(naam=f"Jansen {number:02d}", team=team, wijk=noord if number % 2 else oost, huisnummer=number)
    visser = _household(naam="Visser", team=ander_team, wijk=oost, huisnummer=99)
    PersoonFactory(huishouden=visser, voornamen="Noor", achternaam="Visser")
    return {
        "team": team, "noord": noord, "oost": oost, "klantmanager": klantmanager,
        "bakker": bakker, "aanvrager": aanvrager, "visser": visser,
    }


def _no_horizontal_scroll(page) -> None:
    sizes = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], f"{page.url} scrolls sideways at {sizes[1]}px: content is {sizes[0]}px wide"


def test_klantmanager_journey_and_audit_log(page, axe, wereld):
    klantmanager, bakker, visser = wereld["klantmanager"], wereld["bakker"], wereld["visser"]

    # Log in with password and TOTP.
    staff_login(page, axe, klantmanager)
    axe(page)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == ["Start", "Huishoudens", "Nieuw huishouden", "Proactief"]

    # The list of the own caseload, with pagination.
    nav.get_by_role("link", name="Huishoudens").click()
    page.wait_for_url("**/huishoudens/")
    axe(page)
    expect(page.get_by_text(f"{OWN_HOUSEHOLDS} huishoudens gevonden.")).to_be_visible()
    expect(page.get_by_text("Pagina 1 van 2")).to_be_visible()
    expect(page.locator("#resultaten tbody tr")).to_have_count(25)
    page.get_by_role("link", name="Volgende").click()
    page.wait_for_url(re.compile(r"pagina=2"))
    axe(page)
    expect(page.locator("#resultaten tbody tr")).to_have_count(OWN_HOUSEHOLDS - 25)
    assert "Visser" not in page.locator("#resultaten").inner_text()

    # Search through the form: the term never reaches the URL.
    page.get_by_role("textbox", name="Zoeken").fill("bakker")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"zoekopdracht="))
    assert "bakker" not in page.url.lower()
    results = page.locator("#resultaten")
    expect(page.locator("#zoekstatus")).to_have_text("1 huishouden gevonden.")  # the live region
    assert results.locator("tbody tr").all_inner_texts()[0].startswith("Bakker")
    axe(page)

    # Filter on wijk (the select submits by itself); the search term is kept.
    page.get_by_role("textbox", name="Zoeken").fill("")
    page.get_by_label("Wijk").select_option(label="Oost")
    expect(page.locator("#zoekstatus")).to_have_text("15 huishoudens gevonden.")
    assert "wijk=" in page.url
    expect(page.locator("#resultaten tbody tr")).to_have_count(15)
    axe(page)

    # A household of the own caseload.
    page.get_by_label("Wijk").select_option(label="Alle wijken")
    expect(page.locator("#zoekstatus")).to_have_text(f"{OWN_HOUSEHOLDS} huishoudens gevonden.")
    results.get_by_role("link", name="Bakker").click()
    page.wait_for_url(f"**/huishoudens/{bakker.uuid}/")
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Huishouden Bakker"
    expect(page.get_by_role("cell", name="Fatima Bakker", exact=True)).to_be_visible()
    expect(page.get_by_text("*****" + make_bsn(1)[-4:])).to_be_visible()
    assert make_bsn(1) not in page.content()

    # Printable: on paper the menu and buttons go, a confidentiality note comes.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
    expect(page.get_by_role("link", name="Persoon toevoegen")).to_be_hidden()
    expect(page.get_by_text("Vertrouwelijk: dit document bevat persoonsgegevens.")).to_be_visible()
    axe(page, "huishouden-afdrukken")
    page.emulate_media(media="screen")

    # Another team's household: refused with the 404 page, existence stays private.
    response = page.goto(f"/huishoudens/{visser.uuid}/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Deze pagina bestaat niet"
    assert "Visser" not in page.content()
    axe(page, "niet-gevonden")

    # Adding a person with an invalid BSN: a Dutch message at the field, nothing saved.
    page.goto(f"/huishoudens/{bakker.uuid}/")
    page.get_by_role("link", name="Persoon toevoegen").click()
    page.wait_for_url("**/personen/nieuw/")
    axe(page)
    page.get_by_label("Rol in het huishouden").select_option(label="Kind")
    page.get_by_label("Voornamen").fill("Sem")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("Geboortedatum").fill("2015-03-02")
    page.get_by_label("BSN").fill(INVALID_BSN)
    page.get_by_role("button", name="Opslaan").click()
    bsn_field = page.get_by_label("BSN")
    error = page.locator("#id_bsn_error")
    assert error.inner_text() == "Dit BSN klopt niet. Een BSN heeft 9 cijfers en moet de elfproef doorstaan."
    assert bsn_field.get_attribute("aria-invalid") == "true"
    assert "id_bsn_error" in bsn_field.get_attribute("aria-describedby").split()
    summary_link = page.get_by_role("alert").get_by_role("link", name="BSN: Dit BSN klopt niet.", exact=False)
    expect(summary_link).to_have_attribute("href", "#id_bsn")
    axe(page, "persoon-bsn-fout")
    assert Persoon.objects.filter(huishouden=bakker).count() == 1

    bsn_field.fill(make_bsn(2))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/huishoudens/{bakker.uuid}/")
    expect(page.get_by_role("cell", name="Sem Bakker", exact=True)).to_be_visible()
    assert Persoon.objects.filter(huishouden=bakker).count() == 2

    # The audit log recorded the views and the refusal ...
    own = AuditRegel.objects.filter(actor_id=klantmanager.pk)
    views = own.filter(actie="inzien", object_type="huishouden", huishouden_id=bakker.pk, resultaat="gelukt")
    assert views.count() == 3  # opened from the list, after the refusal, after saving the person
    refusals = own.filter(resultaat="geweigerd")
    assert list(refusals.values_list("object_type", "huishouden_id", "actie")) == [
        ("huishouden", visser.pk, "inzien")
    ]
    assert own.filter(actie="zoeken", object_type="huishouden_lijst").count() == 1
    assert own.filter(actie="aanmaken", object_type="persoon", huishouden_id=bakker.pk).count() == 1
    assert not AuditRegel.objects.filter(details__icontains="bakker").exists()

    # ... the chain verifies ...
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().startswith("Auditlog is in orde:")

    # ... and a tampered row is detected.
    tampered = views.order_by("volgnummer").first()
    audit_triggers_drop()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditregel SET doel = %s WHERE volgnummer = %s", ["anders", tampered.volgnummer])
    err = io.StringIO()
    with pytest.raises(CommandError, match="Auditlog is NIET in orde: 1 probleem"):
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().strip() == f"regel {tampered.volgnummer}: inhoud van de regel is gewijzigd"


def test_klantmanager_creates_household_and_records_consent(page, axe, wereld):
    staff_login(page, axe, wereld["klantmanager"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuw huishouden").click()
    page.wait_for_url("**/huishoudens/nieuw/")
    axe(page)
    page.get_by_label("Straat").fill("Kerkstraat")
    page.get_by_label("Huisnummer").fill("4")
    page.get_by_label("Postcode").fill("12345")
    page.get_by_label("Woonplaats").fill("Voorbeeld")
    page.get_by_label("Wijk").select_option(label="Oost")
    page.get_by_label("Voornamen").fill("Jip")
    page.get_by_label("Tussenvoegsel").fill("de")
    page.get_by_label("Achternaam").fill("Boer")
    page.get_by_label("Geboortedatum").fill("1990-01-31")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_adres-postcode_error")).to_have_text(
        "Deze postcode klopt niet. Een postcode heeft 4 cijfers en 2 letters, zoals 1234 AB."
    )
    expect(page.get_by_label("Postcode")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").get_by_role("link")).to_have_text(
        ["Postcode: Deze postcode klopt niet. Een postcode heeft 4 cijfers en 2 letters, zoals 1234 AB."]
    )
    axe(page, "huishouden-nieuw-fout")
    assert not Huishouden.objects.filter(naam="de Boer").exists()

    page.get_by_label("Postcode").fill("9999 ac")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huishouden de Boer")
    huishouden = Huishouden.objects.get(naam="de Boer")
    assert (huishouden.adres.postcode, huishouden.adres.wijk, huishouden.team) == ("9999 AC", wereld["oost"], wereld["team"])
    axe(page, "huishouden-nieuw-klaar")

    # Consent for at most one year: a longer period gets a message at the field.
    page.get_by_role("link", name="Toestemming vastleggen").click()
    page.wait_for_url("**/toestemmingen/nieuw/")
    axe(page)
    today = timezone.localdate()
    page.get_by_label("Welke gegevens").select_option(label="Inkomen")
    page.get_by_label("Voor wie (rol)").select_option(label="Buddy (vrijwilliger)")
    page.get_by_label("Waarvoor").select_option(label="Hulp door een buddy")
    page.get_by_label("Geldig tot en met").fill((today + datetime.timedelta(days=400)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_geldig_tot_error")).to_have_text(
        "Toestemming geldt hoogstens 1 jaar. Kies een eerdere datum."
    )
    axe(page, "toestemming-fout")
    page.get_by_label("Geldig tot en met").fill((today + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/huishoudens/{huishouden.uuid}/")
    consent = page.locator(".perspectief-consent")
    expect(consent).to_contain_text("Inkomen — Buddy (vrijwilliger), hulp door een buddy")
    axe(page, "huishouden-met-toestemming")

    consent.get_by_role("button", name="Intrekken").click()
    expect(consent).to_contain_text("(ingetrokken)")
    expect(consent.get_by_role("button")).to_have_count(0)
    toestemming = Toestemming.objects.get(huishouden=huishouden)
    assert toestemming.ingetrokken_op is not None
    assert list(
        AuditRegel.objects.filter(huishouden_id=huishouden.pk, object_type="toestemming")
        .order_by("volgnummer").values_list("actie", flat=True)
    ) == ["aanmaken", "wijzigen"]


def test_buddy_sees_only_consented_parts(page, axe, wereld):
    bakker, visser = wereld["bakker"], wereld["visser"]
    buddy = GebruikerFactory(username="b.smit", first_name="Bo", last_name="Smit", rol=Rol.BUDDY)
    today = timezone.localdate()
    Buddykoppeling.objects.create(huishouden=bakker, buddy=buddy, vanaf=today - datetime.timedelta(days=30))
    Toestemming.objects.create(
        huishouden=bakker, gegevensdeel=Gegevensdeel.PERSONALIA, ontvanger_rol=Rol.BUDDY,
        doel=Doel.VRIJWILLIGE_HULP, geldig_vanaf=today - datetime.timedelta(days=30),
        geldig_tot=today + datetime.timedelta(days=300),
    )

    staff_login(page, axe, buddy)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == ["Start", "Huishoudens"]
    nav.get_by_role("link", name="Huishoudens").click()
    page.wait_for_url("**/huishoudens/")
    axe(page)
    assert page.locator("#resultaten tbody tr").all_inner_texts()[0].startswith("Bakker")
    expect(page.locator("#resultaten tbody tr")).to_have_count(1)
    assert "Dorpsstraat" not in page.locator("#resultaten").inner_text()  # no consent for contact

    page.get_by_role("link", name="Bakker").click()
    page.wait_for_url(f"**/huishoudens/{bakker.uuid}/")
    axe(page, "huishouden-buddy")
    expect(page.get_by_text("U ziet alleen de gegevens die het huishouden met u wil delen.")).to_be_visible()
    content = page.locator("main").inner_text()
    assert "Fatima Bakker" in content  # personalia: consented
    assert "Dorpsstraat" not in content and "06 12345678" not in content  # contact: not consented
    assert "1401" not in content and "BSN" not in content  # income and BSN: not consented
    expect(page.get_by_role("link", name="Persoon toevoegen")).to_have_count(0)

    response = page.goto(f"/huishoudens/{visser.uuid}/")
    assert response.status == 404
    assert AuditRegel.objects.filter(
        actor_id=buddy.pk, resultaat="geweigerd", object_type="huishouden", huishouden_id=visser.pk
    ).count() == 1
    assert list(
        AuditRegel.objects.filter(actor_id=buddy.pk, actie="inzien", huishouden_id=bakker.pk).values_list(
            "details", flat=True
        )
    ) == [{"gegevensdelen": ["personalia"]}]


def test_resident_sees_who_looked_at_their_data(open_session, axe, wereld):
    bakker, aanvrager, klantmanager = wereld["bakker"], wereld["aanvrager"], wereld["klantmanager"]
    InwonerFactory(username="f.bakker", persoon=aanvrager, gemeente=bakker.gemeente)

    staff = open_session().page
    staff_login(staff, axe, klantmanager)
    staff.goto(f"/huishoudens/{bakker.uuid}/")
    assert staff.get_by_role("heading", level=1).inner_text() == "Huishouden Bakker"

    page = open_session().page
    page.goto("/")
    axe(page)
    page.get_by_role("link", name="Ik ben inwoner").click()
    page.wait_for_url("**/toegang/inwoner/")
    axe(page)
    page.get_by_role("link", name="Inloggen met demo-account").click()
    page.wait_for_url("**/toegang/inwoner/demo/")
    axe(page)
    page.get_by_label("Gebruikersnaam").fill("f.bakker")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/mijn-gegevens/")
    axe(page)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == ["Mijn gegevens", "Regelingencheck"]
    expect(page.get_by_text("Fatima Bakker").first).to_be_visible()
    rows = page.get_by_role("table", name=re.compile("Wie heeft mijn gegevens")).locator("tbody tr").all_inner_texts()
    assert len(rows) == 1
    assert "k.demir (Klantmanager / consulent)" in rows[0] and "Ingezien" in rows[0]

    page.set_viewport_size(PHONE)
    page.reload()
    axe(page)
    _no_horizontal_scroll(page)


def test_functioneel_beheerder_searches_audit_log(page, axe, wereld):
    beheerder = GebruikerFactory(username="f.beheer", rol=Rol.FUNCTIONEEL_BEHEERDER)
    klantmanager = wereld["klantmanager"]
    staff_login(page, axe, klantmanager)  # leaves an entry "ingelogd" by k.demir
    page.context.clear_cookies()

    staff_login(page, axe, beheerder)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == ["Start", "Cijfers", "Regelingen", "Auditlog"]
    nav.get_by_role("link", name="Auditlog").click()
    page.wait_for_url("**/audit/")
    axe(page)
    page.get_by_label("Gebruiker").fill("k.demir")
    page.get_by_label("Actie").select_option(label="Ingelogd")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"gebruiker=k.demir"))
    axe(page)
    expect(page.get_by_text("1 regel gevonden.")).to_be_visible()
    row = page.locator("tbody tr").inner_text()
    assert "k.demir" in row and "Ingelogd" in row

    # A household is none of the functioneel beheerder's business: 403, and recorded.
    response = page.goto("/huishoudens/")
    assert response.status == 403
    axe(page, "geen-toegang")
    assert AuditRegel.objects.filter(
        actor_id=beheerder.pk, resultaat="geweigerd", object_type="huishouden_lijst"
    ).count() == 1


def test_armoederegisseur_sees_cijfers(page, axe, wereld):
    regisseur = GebruikerFactory(username="a.regie", rol=Rol.ARMOEDEREGISSEUR)
    staff_login(page, axe, regisseur)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers").click()
    page.wait_for_url("**/cijfers/")
    axe(page)
    table = page.get_by_role("table", name="Huishoudens per wijk")
    # Noord: Bakker + 14 Jansen = 15; Oost: 15 Jansen + Visser = 16.
    assert table.locator("tbody tr").all_inner_texts() == ["Noord\t15", "Oost\t16"]
    assert "Bakker" not in page.content()


def test_public_pages_login_errors_enrolment_and_lockout(page, axe, transactional_db):
    GebruikerFactory(username="n.nieuw", rol=Rol.KLANTMANAGER, totp=False)

    page.goto("/toegang/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("n.nieuw")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("De gebruikersnaam of het wachtwoord klopt niet.")
    axe(page, "inloggen-fout")

    # Without an authenticator app yet: the enrolment page.
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/toegang/tweede-stap/instellen/")
    axe(page)
    expect(page.get_by_role("img", name="QR-code voor uw authenticator-app")).to_be_visible()
    page.get_by_label("Code uit uw app").fill("12345")
    page.get_by_role("button", name="Instellen").click()
    expect(page.locator("#id_token_error")).to_be_visible()
    axe(page, "tweede-stap-instellen-fout")

    # Lockout after repeated failures.
    page.context.clear_cookies()
    for _ in range(5):
        page.goto("/toegang/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("n.nieuw")
        page.get_by_label("Wachtwoord").fill("nog-steeds-fout")
        page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen is even niet mogelijk"
    axe(page, "geblokkeerd")


@pytest.mark.parametrize(("role", "width"), [
    (Rol.KLANTMANAGER, PHONE["width"]),
    (Rol.FUNCTIONEEL_BEHEERDER, PHONE["width"]),
    (Rol.KLANTMANAGER, 320),  # WCAG 1.4.10 reflow: 320 CSS pixels
])
def test_phone_pages_fit_and_navigation_works(open_session, axe, wereld, role, width):
    """On a phone no page scrolls sideways and the main menu can be used."""
    page = open_session({"width": width, "height": PHONE["height"]}).page
    user = wereld["klantmanager"] if role == Rol.KLANTMANAGER else GebruikerFactory(rol=role)
    staff_login(page, axe, user)
    _no_horizontal_scroll(page)
    if role == Rol.KLANTMANAGER:
        paths = [
            "/huishoudens/", f"/huishoudens/{wereld['bakker'].uuid}/",
            f"/huishoudens/{wereld['bakker'].uuid}/personen/nieuw/",
            f"/huishoudens/{wereld['bakker'].uuid}/personen/{wereld['aanvrager'].pk}/",
            f"/huishoudens/{wereld['bakker'].uuid}/toestemmingen/nieuw/", "/huishoudens/nieuw/",
        ]
        target = ("Huishoudens", "**/huishoudens/")
    else:
        paths = ["/audit/", "/cijfers/"]
        target = ("Auditlog", "**/audit/")
    for path in paths:
        page.goto(path)
        axe(page)
        _no_horizontal_scroll(page)

    page.goto("/start/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = page.get_by_text("Menu", exact=True)
    if toggle.is_visible():
        toggle.click()
    link = menu.get_by_role("link", name=target[0])
    assert link.is_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] >= 24  # WCAG 2.2 target size (minimum)
    link.click()
    page.wait_for_url(target[1])
    _no_horizontal_scroll(page)
