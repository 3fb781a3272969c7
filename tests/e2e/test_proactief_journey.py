"""Browser journeys for proactive granting, on a phone-sized viewport (issue 4, "Done means").

A klantmanager uploads a small CSV export, runs a proactive round, sees the candidates with
their reasons, grants one scheme, downloads a letter (a valid PDF), and the next run no longer
lists the granted scheme. The armoederegisseur runs a what-if. Every page is checked with axe.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from perspectief.audit.models import AuditRegel
from perspectief.proactief.models import Besluit, Kandidaat, Ronde
from perspectief.toegang.constants import Rol
from tests.factories import GebruikerFactory, TeamFactory

from .conftest import PHONE, staff_login

pytestmark = pytest.mark.e2e

VOORBEELD = Path(__file__).resolve().parents[2] / "docs" / "voorbeelden" / "proactief-voorbeeld.csv"


@pytest.fixture
def klantmanager(transactional_db):
    team = TeamFactory(naam="Wijkteam Noord")
    return GebruikerFactory(username="k.demir", first_name="Kim", last_name="Demir", rol=Rol.KLANTMANAGER, teams=[team])


def _no_horizontal_scroll(page) -> None:
    sizes = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], f"{page.url} scrolls sideways at {sizes[1]}px: content is {sizes[0]}px wide"


def _ronde_starten(page, axe) -> None:
    page.get_by_label("Peildatum").fill("2025-09-01")
    page.get_by_role("button", name="Nieuwe ronde starten").click()
    page.wait_for_url("**/proactief/")
    expect(page.get_by_text("De ronde is klaar: 5 huishoudens bekeken")).to_be_visible()
    axe(page)


def test_klantmanager_proactive_round_grant_and_letter(open_session, axe, klantmanager, tmp_path):
    page = open_session(PHONE).page
    staff_login(page, axe, klantmanager)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Proactief").click()
    page.wait_for_url("**/proactief/")
    axe(page)
    _no_horizontal_scroll(page)

    # A file with the wrong columns is refused whole, with the reason at the field.
    fout = tmp_path / "lijst.csv"
    fout.write_text("naam;bsn;adres\nJan;1;Straat\n", encoding="utf-8")
    page.get_by_label("CSV-bestand uit de bijstandsadministratie").set_input_files(str(fout))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.locator("#id_bestand_error")).to_contain_text("Deze kolommen ontbreken: huishouden, rol")
    expect(page.locator("#id_bestand_error")).to_contain_text("Er is niets ingelezen.")
    axe(page, "proactief-bestand-geweigerd")
    _no_horizontal_scroll(page)

    # Upload the sample export; the import runs as a task and shows its outcome.
    page.get_by_label("CSV-bestand uit de bijstandsadministratie").set_input_files(str(VOORBEELD))
    page.get_by_role("button", name="Inlezen").click()
    page.wait_for_url("**/proactief/imports/*/")
    expect(page.get_by_text("Status: Klaar")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("Nieuw in Perspectief")
    axe(page)
    _no_horizontal_scroll(page)

    # A proactive round; the voorbeeldpas has three candidates (Jansen already has it, Ramdin has savings).
    page.get_by_role("link", name="Terug naar Proactief").click()
    _ronde_starten(page, axe)
    _no_horizontal_scroll(page)
    page.get_by_role("link", name="Voorbeeldpas (stadspas)").click()
    page.wait_for_url("**/proactief/regelingen/voorbeeldpas/")
    axe(page)
    _no_horizontal_scroll(page)
    expect(page.get_by_text("3 huishoudens")).to_be_visible()
    rijen = page.locator("tbody tr")
    expect(rijen).to_have_count(3)
    assert "onder de grens van" in rijen.first.inner_text()
    assert "Jansen" not in page.locator("tbody").inner_text()

    # Open one candidate: the reason and the engine's explanation; grant it.
    page.get_by_role("link", name="el Amrani").click()
    page.wait_for_url("**/proactief/kandidaten/*/")
    axe(page)
    _no_horizontal_scroll(page)
    expect(page.get_by_role("heading", name="Uitleg van de rekenregels")).to_be_visible()
    page.get_by_label("Toekennen: het huishouden krijgt de regeling").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Uw besluit is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Toegekend op")).to_be_visible()
    axe(page)

    # Another candidate gets a letter: the PDF downloads and is a PDF.
    page.get_by_role("link", name="Voorbeeldpas (stadspas)").click()
    page.get_by_role("link", name="de Vries").click()
    page.get_by_label("Brief sturen: het huishouden krijgt een brief met wat het kan krijgen").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Brief gestuurd op")).to_be_visible()
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Brief downloaden (PDF)").click()
    pad = tmp_path / "brief.pdf"
    download_info.value.save_as(pad)
    inhoud = pad.read_bytes()
    assert inhoud.startswith(b"%PDF-") and inhoud.rstrip().endswith(b"%%EOF")
    assert download_info.value.suggested_filename == "brief-voorbeeldpas.pdf"

    # The next round no longer lists the granted scheme (nor the household with a letter).
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Proactief").click()
    _ronde_starten(page, axe)
    laatste = Ronde.objects.first()
    assert not Kandidaat.objects.filter(ronde=laatste, regeling="voorbeeldpas", huishouden__naam__in=["el Amrani", "de Vries"]).exists()
    assert Kandidaat.objects.filter(ronde=laatste, regeling="voorbeeldpas", huishouden__naam="Bakker").exists()
    page.get_by_role("link", name="Voorbeeldpas (stadspas)").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    axe(page)
    assert "el Amrani" not in page.locator("tbody").inner_text()

    besluiten = list(Besluit.objects.order_by("pk").values_list("soort", flat=True))
    assert besluiten == ["toekennen", "brief"]
    assert AuditRegel.objects.filter(object_type="proactief_besluit").count() == 2
    assert AuditRegel.objects.filter(object_type="proactief_brief").count() == 1


def test_armoederegisseur_what_if(open_session, axe, klantmanager):
    from perspectief.proactief import services

    services.import_verwerken(import_id=services.import_aanmaken(
        actor=klantmanager, gemeente=klantmanager.gemeente, team=klantmanager.teams.get(), inhoud=VOORBEELD.read_bytes()
    ).pk)
    regisseur = GebruikerFactory(username="a.regie", rol=Rol.ARMOEDEREGISSEUR)
    page = open_session(PHONE).page
    staff_login(page, axe, regisseur)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wat als").click()
    page.wait_for_url("**/beleid/wat-als/")
    page.get_by_label("Wat wilt u veranderen?").select_option(label="Voorbeeldpas (stadspas): inkomensgrens (% van de bijstandsnorm)")
    page.get_by_label("Nieuwe waarde").fill("140")
    page.get_by_role("button", name="Uitrekenen").click()
    page.wait_for_url("**/beleid/wat-als/?*")
    axe(page)
    _no_horizontal_scroll(page)
    expect(page.locator("svg[role=img]")).to_have_count(2)
    tabel = page.get_by_role("table", name="De cijfers van de grafieken")
    expect(tabel.locator("tbody tr")).to_have_count(6)
    assert "minder dan 10" in tabel.inner_text()  # five households: every group is small
    assert "Amrani" not in page.content()


def test_resident_chooses_no_letters(open_session, axe, klantmanager):
    from perspectief.huishoudens.models import Persoon
    from perspectief.proactief import services
    from perspectief.proactief.models import Afmelding
    from tests.factories import PASSWORD, InwonerFactory

    services.import_verwerken(import_id=services.import_aanmaken(
        actor=klantmanager, gemeente=klantmanager.gemeente, team=klantmanager.teams.get(), inhoud=VOORBEELD.read_bytes()
    ).pk)
    persoon = Persoon.objects.get(voornamen="Fatima")
    inwoner = InwonerFactory(username="fatima", gemeente=klantmanager.gemeente, persoon=persoon)
    page = open_session(PHONE).page
    page.goto("/toegang/inwoner/demo/")
    page.get_by_label("Gebruikersnaam").fill(inwoner.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/mijn-gegevens/")
    page.get_by_role("link", name="Kies het hier").click()
    page.wait_for_url("**/proactief/mijn-keuze/")
    axe(page)
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Ik wil geen brieven of telefoontjes hierover").click()
    expect(page.get_by_text("U krijgt van ons geen brief of telefoontje meer over regelingen.")).to_be_visible()
    axe(page)
    assert Afmelding.objects.filter(huishouden=persoon.huishouden, regeling="", via="inwoner").count() == 1
