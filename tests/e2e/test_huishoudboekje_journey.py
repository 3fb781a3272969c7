"""Browser journey for the huishoudboekje (issue 5, "Done means").

A budgetbeheerder imports a CAMT.053 statement of the tussenrekening, sees the automatic
match with its reasons, books the suggestion for the line that was not clear enough,
plans the payments and prepares a payment batch. The batch cannot be approved by the same
person; a second budgetbeheerder approves it and downloads the pain.001, which validates
against the official XSD. The resident then sees the new balance and the next leefgeld
date on a 320 px wide phone. Every page is checked with axe.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from perspectief.contrib.bankformaten import next_execution_date, read_credit_transfer
from perspectief.demo.huishoudboekje import Regel, camt053
from perspectief.huishoudboekje.constants import BatchStatus, BetalingSoort, Frequentie, Richting, Rubriek, TransactieStatus
from perspectief.huishoudboekje.models import Afspraak, Banktransactie, Betaalbatch, Betaling, Deelname
from perspectief.huishoudens.constants import RolInHuishouden
from perspectief.toegang.constants import Rol
from tests.factories import PASSWORD, GebruikerFactory, HuishoudenFactory, InwonerFactory, PersoonFactory, TeamFactory
from tests.huishoudboekje.factories import TUSSENREKENING_IBAN, OrganisatieFactory, TussenrekeningFactory

from .conftest import PHONE, staff_login

pytestmark = pytest.mark.e2e

SMALL_PHONE = {"width": 320, "height": 640}
GEMEENTE_IBAN = "NL38BNGH0285012345"  # fictional accounts, valid check digits
TOESLAGEN_IBAN = "NL86INGB0002445588"
VERHUURDER_IBAN = "NL20INGB0001234567"
LEEFGELD_IBAN = "NL91ABNA0417164300"
BIJSTAND = Decimal("1369.06")
ZORGTOESLAG = Decimal("131.00")
ZORGTOESLAG_BETAALD = Decimal("124.00")  # differs from the afspraak: not booked without a person
HUUR = Decimal("650.00")


@pytest.fixture
def wereld(transactional_db):
    vandaag = timezone.localdate()
    boekdag = vandaag - dt.timedelta(days=2)
    # The rent and the weekly leefgeld fall on the first bank day from today, so the batch for
    # that day carries both and nothing goes out later than its term.
    uitvoerdag = next_execution_date(vandaag)
    team = TeamFactory(naam="Wijkteam Midden")
    gemeente = team.gemeente
    bb1 = GebruikerFactory(username="b.eerste", first_name="Bo", last_name="Eerste", rol=Rol.BUDGETBEHEERDER,
                           gemeente=gemeente, teams=[team])
    bb2 = GebruikerFactory(username="m.tweede", first_name="Mo", last_name="Tweede", rol=Rol.BUDGETBEHEERDER,
                           gemeente=gemeente, teams=[team])
    huishouden = HuishoudenFactory(gemeente=gemeente, team=team, naam="Bakker")
    aanvrager = PersoonFactory(huishouden=huishouden, rol=RolInHuishouden.AANVRAGER, voornamen="Fenna", achternaam="Bakker")
    inwoner = InwonerFactory(username="f.bakker", gemeente=gemeente, persoon=aanvrager)
    rekening = TussenrekeningFactory(gemeente=gemeente)
    deelname = Deelname.objects.create(
        huishouden=huishouden, tussenrekening=rekening, budgetbeheerder=bb1, startdatum=vandaag - dt.timedelta(days=60),
        leefgeld_dag=uitvoerdag.weekday(), leefgeld_iban=LEEFGELD_IBAN, leefgeld_naam="F. Bakker",
    )

    def afspraak(richting, rubriek, omschrijving, organisatie, iban, bedrag, dag):
        return Afspraak.objects.create(
            deelname=deelname, richting=richting, rubriek=rubriek, omschrijving=omschrijving,
            organisatie=OrganisatieFactory(gemeente=gemeente, naam=organisatie), tegenrekening_iban=iban, bedrag=bedrag,
            frequentie=Frequentie.MAAND, dag=dag.day, geldig_vanaf=deelname.startdatum,
        )

    afspraak(Richting.INKOMEN, Rubriek.UITKERING, "Bijstand", "Gemeente Voorbeeld Werk en Inkomen", GEMEENTE_IBAN,
             BIJSTAND, boekdag)
    afspraak(Richting.INKOMEN, Rubriek.TOESLAGEN, "Zorgtoeslag", "Belastingdienst/Toeslagen", TOESLAGEN_IBAN,
             ZORGTOESLAG, boekdag)
    afspraak(Richting.UITGAVE, Rubriek.HUUR, "Huur", "Woningstichting Het Anker", VERHUURDER_IBAN, HUUR, uitvoerdag)
    statement = camt053([
        Regel(boekdag, BIJSTAND, True, "Gemeente Voorbeeld Werk en Inkomen", GEMEENTE_IBAN, "Bijstand"),
        Regel(boekdag, ZORGTOESLAG_BETAALD, True, "Belastingdienst/Toeslagen", TOESLAGEN_IBAN, "Toeslag"),
    ], rekening=TUSSENREKENING_IBAN, afschrift_id="AFSCHRIFT-E2E-1", datum=vandaag)
    return {"bb1": bb1, "bb2": bb2, "inwoner": inwoner, "deelname": deelname, "statement": statement,
            "vandaag": vandaag, "uitvoerdag": uitvoerdag}


def _euro(bedrag: Decimal) -> str:
    """843.5 -> '€\u00a0843,50' (the Dutch notation of the screens)."""
    return "€\u00a0" + f"{bedrag:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _no_horizontal_scroll(page) -> None:
    sizes = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], f"{page.url} scrolls sideways at {sizes[1]}px: content is {sizes[0]}px wide"


def _importeren_en_boeken(page, axe, wereld, tmp_path) -> None:
    bestand = tmp_path / "afschrift.xml"
    bestand.write_bytes(wereld["statement"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Huishoudboekje").click()
    page.wait_for_url("**/huishoudboekje/")
    axe(page)
    page.get_by_role("link", name="Bankafschrift inlezen").click()
    page.wait_for_url("**/huishoudboekje/afschriften/")
    axe(page)
    page.get_by_label("Bankafschrift").set_input_files(str(bestand))
    page.get_by_role("button", name="Inlezen").click()
    page.wait_for_url("**/huishoudboekje/afschriften/*/")
    axe(page)
    # The bijstand was booked by the import, with the reasons and the points.
    regels = page.locator("table")
    expect(regels).to_contain_text("IBAN van de tegenpartij klopt")
    expect(regels).to_contain_text("Bedrag is precies het afgesproken bedrag")
    expect(regels).to_contain_text("Samen 90 punten")
    bijstand = Banktransactie.objects.get(bedrag=BIJSTAND)
    assert (bijstand.status, bijstand.automatisch, bijstand.afspraak.omschrijving) == (TransactieStatus.GEBOEKT, True, "Bijstand")

    # The zorgtoeslag differs from the afspraak: a suggestion with its reasons, booked by a person.
    page.get_by_role("link", name="Open posten").first.click()
    page.wait_for_url("**/huishoudboekje/afschriften/open-posten/")
    axe(page)
    expect(page.get_by_text("1 open post.")).to_be_visible()
    voorstel = page.locator(".hhb-suggestie").first
    expect(voorstel).to_contain_text("Zorgtoeslag")
    expect(voorstel).to_contain_text("IBAN van de tegenpartij klopt")
    voorstel.get_by_role("link", name="Kiezen").click()
    expect(page.get_by_role("heading", name="Klopt dit?")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Boeken").click()
    page.wait_for_url("**/huishoudboekje/afschriften/open-posten/")
    expect(page.get_by_text("De regel is geboekt.")).to_be_visible()
    expect(page.get_by_text("Geen open posten")).to_be_visible()
    toeslag = Banktransactie.objects.get(bedrag=ZORGTOESLAG_BETAALD)
    assert (toeslag.status, toeslag.automatisch, toeslag.afspraak.omschrijving) == (TransactieStatus.GEBOEKT, False, "Zorgtoeslag")


def _betaalbestand_maken(page, axe, wereld) -> str:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Huishoudboekje").click()
    page.wait_for_url("**/huishoudboekje/")
    page.get_by_role("link", name="Signalen").click()
    page.wait_for_url("**/huishoudboekje/signalen/")
    axe(page)
    page.go_back()
    page.get_by_role("link", name="Betalingen").click()
    page.wait_for_url("**/huishoudboekje/betalingen/")
    axe(page)
    page.get_by_label("Klaarzetten tot en met").fill(wereld["uitvoerdag"].isoformat())
    page.get_by_role("button", name="Klaarzetten").click()
    expect(page.get_by_text("2 betalingen klaargezet.")).to_be_visible()  # the rent and the leefgeld
    expect(page.locator("table").first).to_contain_text("Woningstichting Het Anker")
    axe(page)
    page.get_by_label("Uitvoerdatum").fill(wereld["uitvoerdag"].isoformat())
    page.get_by_role("button", name="Betaalbestand maken").click()
    page.wait_for_url("**/huishoudboekje/betalingen/bestanden/*/")
    expect(page.locator("#batch-status")).to_have_text("Wacht op goedkeuring")
    # Four eyes: the one who made it gets no approve button, only the explanation.
    expect(page.get_by_role("button", name="Goedkeuren")).to_have_count(0)
    expect(page.get_by_text("Een andere budgetbeheerder moet het goedkeuren (vier ogen).")).to_be_visible()
    axe(page)
    return page.url


def _goedkeuren_en_downloaden(page, axe, batch_url: str) -> bytes:
    page.goto("/huishoudboekje/betalingen/")
    expect(page.get_by_text("1 betaalbestand wacht op goedkeuring.")).to_be_visible()
    page.locator("#bestanden-kop ~ table").get_by_role("link").first.click()
    page.wait_for_url(batch_url)
    axe(page)
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("Het betaalbestand is goedgekeurd.")).to_be_visible()
    expect(page.locator("#batch-status")).to_have_text("Goedgekeurd")
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pain.001.001.09.xml")
    return open(download.path(), "rb").read()


def test_import_match_book_batch_four_eyes_and_the_resident_sees_it(open_session, axe, wereld, tmp_path):
    from perspectief.huishoudboekje import budget

    eerste = open_session().page
    staff_login(eerste, axe, wereld["bb1"])
    _importeren_en_boeken(eerste, axe, wereld, tmp_path)
    batch_url = _betaalbestand_maken(eerste, axe, wereld)
    batch = Betaalbatch.objects.get()
    assert (batch.status, batch.voorbereid_door) == (BatchStatus.VOORBEREID, wereld["bb1"])

    tweede = open_session().page
    staff_login(tweede, axe, wereld["bb2"])
    pain001 = _goedkeuren_en_downloaden(tweede, axe, batch_url)
    bestand = read_credit_transfer(pain001, validate=True)  # the official XSD
    batch.refresh_from_db()
    assert (batch.status, batch.goedgekeurd_door) == (BatchStatus.GOEDGEKEURD, wereld["bb2"])
    assert bestand.message_id == batch.message_id
    huur = [p for p in bestand.payments if p.creditor_iban == VERHUURDER_IBAN]
    assert [p.amount for p in huur] == [HUUR]
    assert sum(p.amount for p in bestand.payments) == batch.totaal
    assert {p.requested_execution_date for p in bestand.payments} == {wereld["uitvoerdag"]}

    # The resident, on a small phone: the balance is both incomes (the approved payments
    # are not on a statement yet), and the next leefgeld with its amount.
    inwoner = open_session(SMALL_PHONE).page
    inwoner.goto("/toegang/inwoner/demo/")
    inwoner.get_by_label("Gebruikersnaam").fill(wereld["inwoner"].username)
    inwoner.get_by_label("Wachtwoord").fill(PASSWORD)
    inwoner.get_by_role("button", name="Inloggen").click()
    inwoner.wait_for_url("**/mijn-gegevens/")
    inwoner.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn huishoudboekje").click()
    inwoner.wait_for_url("**/mijn-huishoudboekje/")
    axe(inwoner)
    _no_horizontal_scroll(inwoner)
    expect(inwoner.locator("#tegoed")).to_have_text("€\u00a01.493,06")  # 1,369.06 + 124.00 from the statement
    expect(inwoner.locator("#apart")).to_have_text("€\u00a0650,00")  # the rent, sent but not yet on a statement
    # The next leefgeld went into the approved batch, with the amount budget.overzicht gave
    # when it was planned (its rules are tested in test_budget.py), on its term.
    leefgeld = Betaling.objects.get(batch=batch, soort=BetalingSoort.LEEFGELD)
    assert Decimal("0") < leefgeld.bedrag <= BIJSTAND + ZORGTOESLAG_BETAALD - HUUR
    expect(inwoner.locator("#leefgeld")).to_have_text(
        f"{_euro(leefgeld.bedrag)} op {date_format(leefgeld.termijn, 'l j F')}"
    )
    assert budget.overzicht(deelname=wereld["deelname"], peildatum=wereld["vandaag"]).tegoed == BIJSTAND + ZORGTOESLAG_BETAALD
    expect(inwoner.locator("#komende-betalingen")).to_contain_text("Huur aan Woningstichting Het Anker, €\u00a0650,00, op")
    expect(inwoner.locator("#recente-regels")).to_contain_text("Uitkering ontvangen van Gemeente Voorbeeld Werk en Inkomen")


def test_signal_with_its_bank_line_is_handled_with_a_note_on_a_phone(open_session, axe, wereld):
    """The work list shows the signal with its afspraak and bank line; a phone-sized screen
    does not scroll sideways; handling needs a note."""
    from perspectief.huishoudboekje.constants import SignaalSoort, SignaalStatus
    from perspectief.huishoudboekje.models import Bankbestand, Signaal

    deelname = wereld["deelname"]
    bijstand = deelname.afspraken.get(omschrijving="Bijstand")
    bestand = Bankbestand.objects.create(tussenrekening=deelname.tussenrekening, sha256="3" * 64, bestandsnaam="okt.xml")
    regel = Banktransactie.objects.create(
        tussenrekening=deelname.tussenrekening, bankbestand=bestand, kenmerk="K-OKT", boekdatum=wereld["vandaag"],
        richting=Richting.INKOMEN, bedrag=BIJSTAND - 120, tegenpartij_naam="Gemeente Voorbeeld Werk en Inkomen",
        status=TransactieStatus.GEBOEKT, afspraak=bijstand, deelname=deelname,
    )
    signaal = Signaal.objects.create(deelname=deelname, afspraak=bijstand, soort=SignaalSoort.AFWIJKEND_BEDRAG,
                                     periode=wereld["vandaag"], verschil=Decimal("-120.00"))
    signaal.transacties.add(regel)

    page = open_session(PHONE).page
    staff_login(page, axe, wereld["bb1"])
    page.goto("/huishoudboekje/signalen/")
    axe(page)
    _no_horizontal_scroll(page)
    kaart = page.locator(f"#signaal-{signaal.pk}")
    expect(kaart).to_contain_text("Bedrag wijkt af van de afspraak")
    expect(kaart).to_contain_text("Bijstand (Gemeente Voorbeeld Werk en Inkomen, €\u00a01.369,06)")
    expect(kaart).to_contain_text("ontvangen van Gemeente Voorbeeld Werk en Inkomen, €\u00a01.249,06")
    kaart.get_by_role("button", name="Afgehandeld").click()
    expect(page.get_by_text("Schrijf kort op wat u heeft gedaan.").first).to_be_visible()
    axe(page)
    page.locator(f"#signaal-{signaal.pk}").get_by_label("Wat heeft u gedaan?").fill("Gebeld: korting op de bijstand klopt.")
    page.locator(f"#signaal-{signaal.pk}").get_by_role("button", name="Afgehandeld").click()
    expect(page.get_by_text("Het signaal is afgehandeld.")).to_be_visible()
    expect(page.get_by_text("Geen open signalen")).to_be_visible()
    signaal.refresh_from_db()
    assert signaal.status == SignaalStatus.AFGEHANDELD

    page.goto("/huishoudboekje/betalingen/")
    axe(page)
    _no_horizontal_scroll(page)
