"""The statement screens: reading in a file (small, large through the task, refused, too
big), an import's page with its lines and reasons, the open lines with suggestions, and
booking and undoing a line after a confirmation step (POST only, nothing changed on error)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from perspectief.audit.constants import Resultaat
from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import grootboek, matching, tasks, wachtrij
from perspectief.huishoudboekje.constants import BestandStatus, JournaalSoort, RekeningSoort, TransactieStatus
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Journaalpost, Rekening
from perspectief.huishoudboekje.views import afschriften as afschriften_views
from perspectief.toegang.constants import Rol

from ..conftest import login_verified
from ..contrib.bankformaten.builders import camt_document, camt_entry
from ..factories import GebruikerFactory, GemeenteFactory, HuishoudenFactory, TeamFactory
from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

URL = "/huishoudboekje/afschriften/"
OPEN_POSTEN = URL + "open-posten/"
HUUR_IBAN = "NL20INGB0001234567"  # AfspraakFactory's landlord


@dataclass
class Wereld:
    gemeente: object
    team: object
    tussenrekening: object
    budgetbeheerder: object
    deelname: object  # Bakker, in the budgetbeheerder's team
    huur: object  # Bakker's rent: 650.00 on the 1st to HUUR_IBAN
    ander_team: object  # Visser, another team of the same gemeente
    huur_ander_team: object


def maak_wereld() -> Wereld:
    gemeente = GemeenteFactory()
    team = TeamFactory(gemeente=gemeente)
    tussenrekening = TussenrekeningFactory(gemeente=gemeente)
    budgetbeheerder = BudgetbeheerderFactory(gemeente=gemeente, teams=[team], first_name="Bo", last_name="Beheer")
    deelname = DeelnameFactory(
        huishouden=HuishoudenFactory(gemeente=gemeente, team=team, naam="Bakker"), tussenrekening=tussenrekening,
        budgetbeheerder=budgetbeheerder,
    )
    ander_team = DeelnameFactory(
        huishouden=HuishoudenFactory(gemeente=gemeente, team=TeamFactory(gemeente=gemeente), naam="Visser"),
        tussenrekening=tussenrekening, budgetbeheerder=budgetbeheerder,
    )
    return Wereld(
        gemeente=gemeente, team=team, tussenrekening=tussenrekening, budgetbeheerder=budgetbeheerder,
        deelname=deelname, huur=AfspraakFactory(deelname=deelname, omschrijving="Huur Bakker"), ander_team=ander_team,
        huur_ander_team=AfspraakFactory(deelname=ander_team, omschrijving="Huur Visser", tegenrekening_iban="NL69INGB0123456789"),
    )


@pytest.fixture
def wereld() -> Wereld:
    return maak_wereld()


@pytest.fixture
def client(wereld) -> Client:
    return login_verified(Client(), wereld.budgetbeheerder)


def huur_regel(bedrag: str = "650.00", datum: str = "2026-02-02", **kwargs) -> str:
    kwargs.setdefault("end_to_end_id", f"E2E-{bedrag}-{datum}")
    kwargs.setdefault("reference", f"REF-{bedrag}-{datum}")
    return camt_entry(bedrag, "DBIT", datum, name="Woningstichting", iban=HUUR_IBAN, remittance="Huur februari", **kwargs)


def gift(nummer: int) -> str:
    return camt_entry(f"{nummer}.00", "CRDT", "2026-02-03", name="Onbekende gever", iban="NL91ABNA0417164300",
                      remittance=f"Gift {nummer}", end_to_end_id=f"GIFT-{nummer}", reference=f"GIFT-{nummer}")


def upload(client: Client, data: bytes, naam: str = "afschrift.xml"):
    return client.post(URL, {"bestand": SimpleUploadedFile(naam, data, content_type="application/xml")})


def open_regel(wereld: Wereld, *, bedrag: str = "650.00", kenmerk: str = "open-1") -> Banktransactie:
    """An open line of money out, booked BANK -> ONVERDEELD as the import leaves a line it
    could not match (so the ledger check holds)."""
    bestand = Bankbestand.objects.create(
        tussenrekening=wereld.tussenrekening, sha256=hashlib.sha256(kenmerk.encode()).hexdigest(), bestandsnaam="hand.xml",
        status=BestandStatus.KLAAR,
    )
    regel = Banktransactie.objects.create(
        tussenrekening=wereld.tussenrekening, bankbestand=bestand, kenmerk=kenmerk, boekdatum=dt.date(2026, 2, 2),
        richting="uitgave", bedrag=Decimal(bedrag), tegenrekening_iban=HUUR_IBAN, tegenpartij_naam="Woningstichting",
        omschrijving="Huur februari",
    )
    bank, onverdeeld = grootboek.systeemrekeningen(wereld.tussenrekening)
    grootboek.boeken(gemeente=wereld.gemeente, soort=JournaalSoort.AFSCHRIFT, datum=regel.boekdatum, bankbestand=bestand, regels=[
        grootboek.Regel(rekening=bank, bedrag=-regel.bedrag),
        grootboek.Regel(rekening=onverdeeld, bedrag=regel.bedrag, banktransactie=regel),
    ])
    return regel


def tegoed(deelname) -> Decimal:
    return grootboek.huishoudrekening(deelname).tegoed


def weigeringen() -> int:
    return AuditRegel.objects.filter(resultaat=Resultaat.GEWEIGERD).count()


# --- reading in a statement -------------------------------------------------------------------


def test_upload_reads_the_file_books_the_clear_match_and_shows_its_reasons(client, wereld):
    response = upload(client, camt_document([huur_regel(), gift(5)]))
    bestand = Bankbestand.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{bestand.pk}/"
    assert (bestand.status, bestand.nieuw, bestand.al_bekend, bestand.automatisch_geboekt) == (BestandStatus.KLAAR, 2, 0, 1)
    huur = Banktransactie.objects.get(bedrag=Decimal("650.00"))
    assert (huur.status, huur.afspraak, huur.automatisch) == (TransactieStatus.GEBOEKT, wereld.huur, True)

    html = client.get(response["Location"]).content.decode()
    assert "Automatisch geboekt" in html
    assert "IBAN van de tegenpartij klopt" in html and "(40 punten)" in html
    assert "Bedrag is precies het afgesproken bedrag (€ 650,00)" in html and "(30 punten)" in html
    assert "Datum past bij de afspraak (binnen 3 dagen)" in html and "(20 punten)" in html
    assert "Samen 90 punten" in html
    assert "Huur Bakker" in html and "Bakker" in html
    assert "Nog niet geboekt" in html  # the gift
    assert "Onbekende gever" in html


def test_the_same_file_again_books_nothing_and_shows_the_first_import(client):
    data = camt_document([huur_regel(), gift(5)])
    eerste = upload(client, data)
    tweede = upload(client, data, naam="nog-een-keer.xml")
    assert tweede["Location"] == eerste["Location"]
    assert Bankbestand.objects.count() == 1
    assert Banktransactie.objects.count() == 2


def test_statement_of_another_account_is_refused_in_dutch_and_nothing_is_booked(client):
    response = upload(client, camt_document([huur_regel()], account="NL91ABNA0417164300"))
    bestand = Bankbestand.objects.get()
    assert bestand.status == BestandStatus.GEWEIGERD
    assert Banktransactie.objects.count() == 0
    assert Journaalpost.objects.count() == 0
    html = client.get(response["Location"]).content.decode()
    assert "Dit bestand is niet ingelezen." in html
    assert bestand.melding and bestand.melding in html
    assert "Er is niets uit dit bestand geboekt." in html
    lijst = client.get(URL).content.decode()
    assert "Niet ingelezen" in lijst and bestand.melding in lijst


def test_a_file_that_is_no_statement_is_refused(client):
    response = upload(client, b"dit is geen bankafschrift", naam="boodschappen.txt")
    assert response.status_code == 302
    assert Bankbestand.objects.get().status == BestandStatus.GEWEIGERD
    assert Banktransactie.objects.count() == 0


def test_a_file_over_the_limit_is_refused_with_a_clear_message_and_nothing_stored(client, monkeypatch):
    monkeypatch.setattr(afschriften_views, "MAX_BESTAND", 100)
    response = upload(client, camt_document([huur_regel()]))
    assert response.status_code == 200
    assert "Het bestand is groter dan 50 MB." in response.content.decode()
    assert Bankbestand.objects.count() == 0


def test_no_file_is_an_error_on_the_form(client):
    response = client.post(URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"bestand": ["Kies een bestand."]}


def test_a_large_file_goes_through_the_import_task_and_its_copy_is_removed(client, monkeypatch, settings, tmp_path):
    settings.HUISHOUDBOEKJE_UPLOAD_DIR = str(tmp_path)
    monkeypatch.setattr(afschriften_views, "DIRECT_INLEZEN_TOT", 10)
    geroepen = []

    origineel = tasks.bankbestand_inlezen_task.delay

    def delay(**kwargs):
        geroepen.append(kwargs)
        return origineel(**kwargs)

    monkeypatch.setattr(tasks.bankbestand_inlezen_task, "delay", delay)
    response = upload(client, camt_document([huur_regel(), gift(5)]), naam="groot.xml")
    bestand = Bankbestand.objects.get()
    assert response["Location"] == f"{URL}{bestand.pk}/"
    assert (bestand.status, bestand.nieuw, bestand.bestandsnaam) == (BestandStatus.KLAAR, 2, "groot.xml")
    assert len(geroepen) == 1 and (geroepen[0]["opruimen"], geroepen[0]["versleuteld"]) == (True, True)
    assert list(tmp_path.iterdir()) == []  # the task removed the stored copy


def test_a_running_import_polls_and_reloads_the_page_when_done(client, wereld):
    bestand = Bankbestand.objects.create(
        tussenrekening=wereld.tussenrekening, sha256="c" * 64, bestandsnaam="bezig.xml", status=BestandStatus.BEZIG, nieuw=5000,
    )
    html = client.get(f"{URL}{bestand.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and "5000 regels verwerkt" in html
    bezig = client.get(f"{URL}{bestand.pk}/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in bezig and 'hx-trigger="every 2s"' in bezig.content.decode()
    Bankbestand.objects.filter(pk=bestand.pk).update(status=BestandStatus.KLAAR, aantal_boekingen=5000)
    klaar = client.get(f"{URL}{bestand.pk}/", HTTP_HX_REQUEST="true")
    assert klaar["HX-Refresh"] == "true"
    assert "every 2s" not in klaar.content.decode()


# --- open lines, booking and undoing -------------------------------------------------------------


def test_open_posten_shows_the_ranked_suggestions_with_reasons(client, wereld):
    regel = open_regel(wereld)
    response = client.get(OPEN_POSTEN)
    assert response.status_code == 200
    [getoond] = response.context["page"].object_list
    assert getoond.pk == regel.pk
    assert [k.afspraak for k in getoond.suggesties] == [wereld.huur]  # Visser's rent is another team's
    html = response.content.decode()
    assert "90 punten" in html and "IBAN van de tegenpartij klopt" in html
    assert "Bedrag is precies het afgesproken bedrag (€ 650,00)" in html
    assert f"/huishoudboekje/afschriften/regels/{regel.pk}/boeken/?afspraak={wereld.huur.uuid}" in html
    assert "Huur Visser" not in html
    entry = AuditRegel.objects.filter(object_type="open_posten").get()
    assert entry.details == {"transacties": [regel.pk], "pagina": 1}


def test_open_posten_empty_state(client):
    assert "Geen open posten" in client.get(OPEN_POSTEN).content.decode()


def test_booking_asks_for_confirmation_first_and_then_books_exactly_that_line(client, wereld):
    regel = open_regel(wereld)
    ander = open_regel(wereld, kenmerk="open-2")
    bevestigen = client.get(f"{URL}regels/{regel.pk}/boeken/?afspraak={wereld.huur.uuid}")
    assert bevestigen.status_code == 200
    html = bevestigen.content.decode()
    assert "U boekt € 650,00 op de afspraak 'Huur Bakker' van huishouden Bakker." in html
    assert ">Boeken</button>" in html
    regel.refresh_from_db()
    assert regel.status == TransactieStatus.OPEN  # a GET changes nothing

    response = client.post(f"{URL}regels/{regel.pk}/boeken/", {"afspraak": str(wereld.huur.uuid)})
    assert response.status_code == 302 and response["Location"] == OPEN_POSTEN
    regel.refresh_from_db()
    ander.refresh_from_db()
    assert (regel.status, regel.afspraak, regel.deelname, regel.automatisch) == (
        TransactieStatus.GEBOEKT, wereld.huur, wereld.deelname, False)
    assert ander.status == TransactieStatus.OPEN
    assert tegoed(wereld.deelname) == Decimal("-650.00")
    assert grootboek.controleren() == []
    assert "De regel is geboekt." in client.get(OPEN_POSTEN).content.decode()


def test_booking_on_an_afspraak_outside_the_caseload_changes_nothing(client, wereld):
    regel = open_regel(wereld)
    posten = Journaalpost.objects.count()
    response = client.post(f"{URL}regels/{regel.pk}/boeken/", {"afspraak": str(wereld.huur_ander_team.uuid)})
    assert response.status_code == 302 and response["Location"] == f"{URL}regels/{regel.pk}/"
    regel.refresh_from_db()
    assert regel.status == TransactieStatus.OPEN
    assert Journaalpost.objects.count() == posten
    assert "Kies eerst een afspraak" in client.get(response["Location"]).content.decode()


def test_booking_a_line_that_is_already_booked_changes_nothing(client, wereld):
    regel = open_regel(wereld)
    matching.handmatig_boeken(actor=None, transactie=regel, afspraak=wereld.huur)
    posten = Journaalpost.objects.count()
    response = client.post(f"{URL}regels/{regel.pk}/boeken/", {"deelname": str(wereld.deelname.uuid)})
    assert response["Location"] == f"{URL}regels/{regel.pk}/"
    assert Journaalpost.objects.count() == posten
    assert "Deze regel is al geboekt." in client.get(response["Location"]).content.decode()


def test_booking_in_the_wrong_direction_is_refused_by_the_service_and_changes_nothing(client, wereld):
    inkomen = AfspraakFactory(deelname=wereld.deelname, richting="inkomen", rubriek="uitkering", omschrijving="Uitkering")
    regel = open_regel(wereld)  # money out
    response = client.post(f"{URL}regels/{regel.pk}/boeken/", {"afspraak": str(inkomen.uuid)})
    assert response["Location"] == f"{URL}regels/{regel.pk}/"
    regel.refresh_from_db()
    assert regel.status == TransactieStatus.OPEN
    assert "Deze afspraak past niet bij de richting van het geld." in client.get(response["Location"]).content.decode()


def test_booking_on_a_gemeente_category(client, wereld):
    regel = open_regel(wereld, bedrag="4.50")
    pagina = client.get(f"{URL}regels/{regel.pk}/").content.decode()
    assert '<option value="Bankkosten">Bankkosten</option>' in pagina
    bevestigen = client.get(f"{URL}regels/{regel.pk}/boeken/?categorie=Bankkosten").content.decode()
    assert "U boekt € 4,50 op de categorie 'Bankkosten' van de gemeente." in bevestigen
    client.post(f"{URL}regels/{regel.pk}/boeken/", {"categorie": "Bankkosten"})
    regel.refresh_from_db()
    assert regel.status == TransactieStatus.GEBOEKT
    assert regel.categorie == Rekening.objects.get(soort=RekeningSoort.CATEGORIE, naam="Bankkosten")
    assert regel.categorie.tegoed == Decimal("-4.50")


def test_an_unknown_category_is_not_booked(client, wereld):
    regel = open_regel(wereld, bedrag="4.50")
    client.post(f"{URL}regels/{regel.pk}/boeken/", {"categorie": "Zomaar iets"})
    regel.refresh_from_db()
    assert regel.status == TransactieStatus.OPEN
    assert not Rekening.objects.filter(soort=RekeningSoort.CATEGORIE).exists()


def test_search_finds_afspraken_of_households_in_the_caseload_only(client, wereld):
    regel = open_regel(wereld)
    gevonden = client.post(f"{URL}regels/{regel.pk}/", {"naam": "akk"})
    assert [d.pk for d in gevonden.context["gevonden"]] == [wereld.deelname.pk]
    assert f"?afspraak={wereld.huur.uuid}" in gevonden.content.decode()
    assert f"?deelname={wereld.deelname.uuid}" in gevonden.content.decode()
    niets = client.post(f"{URL}regels/{regel.pk}/", {"naam": "Visser"})
    assert niets.context["gevonden"] == []
    assert "Geen huishouden in uw werkvoorraad met deze naam" in niets.content.decode()
    assert "Visser" not in niets.content.decode().replace('value="Visser"', "")


def test_booking_on_a_household_without_afspraak(client, wereld):
    regel = open_regel(wereld, bedrag="20.00")
    client.post(f"{URL}regels/{regel.pk}/boeken/", {"deelname": str(wereld.deelname.uuid)})
    regel.refresh_from_db()
    assert (regel.status, regel.deelname, regel.afspraak) == (TransactieStatus.GEBOEKT, wereld.deelname, None)
    assert tegoed(wereld.deelname) == Decimal("-20.00")


def test_undo_asks_first_and_then_opens_the_line_again(client, wereld):
    regel = open_regel(wereld)
    matching.handmatig_boeken(actor=None, transactie=regel, afspraak=wereld.huur)
    pagina = client.get(f"{URL}regels/{regel.pk}/").content.decode()
    assert "Boeking ongedaan maken" in pagina
    bevestigen = client.get(f"{URL}regels/{regel.pk}/ongedaan-maken/")
    assert ">Ongedaan maken</button>" in bevestigen.content.decode()
    regel.refresh_from_db()
    assert regel.status == TransactieStatus.GEBOEKT
    response = client.post(f"{URL}regels/{regel.pk}/ongedaan-maken/")
    assert response["Location"] == f"{URL}regels/{regel.pk}/"
    regel.refresh_from_db()
    assert (regel.status, regel.afspraak) == (TransactieStatus.OPEN, None)
    assert tegoed(wereld.deelname) == Decimal("0.00")
    assert grootboek.controleren() == []


def test_undo_of_an_open_line_changes_nothing(client, wereld):
    regel = open_regel(wereld)
    posten = Journaalpost.objects.count()
    response = client.post(f"{URL}regels/{regel.pk}/ongedaan-maken/")
    assert response["Location"] == f"{URL}regels/{regel.pk}/"
    assert Journaalpost.objects.count() == posten


def test_a_line_booked_on_another_teams_household_shows_no_name_and_cannot_be_undone(client, wereld):
    regel = open_regel(wereld)
    matching.handmatig_boeken(actor=None, transactie=regel, afspraak=wereld.huur_ander_team)
    html = client.get(f"{URL}regels/{regel.pk}/").content.decode()
    assert "Een huishouden van een ander team" in html
    assert "Visser" not in html and "Boeking ongedaan maken" not in html
    voor = weigeringen()
    assert client.post(f"{URL}regels/{regel.pk}/ongedaan-maken/").status_code == 403
    assert weigeringen() == voor + 1
    regel.refresh_from_db()
    assert regel.status == TransactieStatus.GEBOEKT


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("pad", ["", "open-posten/", "regels/{regel}/", "regels/{regel}/boeken/?deelname={deelname}"])
def test_other_roles_are_refused_and_the_refusal_is_logged(wereld, pad):
    regel = open_regel(wereld)
    klantmanager = GebruikerFactory(rol=Rol.KLANTMANAGER, gemeente=wereld.gemeente, teams=[wereld.team])
    client = login_verified(Client(), klantmanager)
    voor = weigeringen()
    response = client.get(URL + pad.format(regel=regel.pk, deelname=wereld.deelname.uuid))
    assert response.status_code == 403
    assert weigeringen() == voor + 1


def test_a_line_of_another_gemeente_is_hidden(client, wereld):
    elders = TussenrekeningFactory(gemeente=GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp"),
                                   iban="NL02ABNA0123456789")
    bestand = Bankbestand.objects.create(tussenrekening=elders, sha256="d" * 64, status=BestandStatus.KLAAR)
    regel = Banktransactie.objects.create(
        tussenrekening=elders, bankbestand=bestand, kenmerk="elders", boekdatum=dt.date(2026, 2, 2), richting="uitgave",
        bedrag=Decimal("1.00"),
    )
    voor = weigeringen()
    assert client.get(f"{URL}{bestand.pk}/").status_code == 404
    assert client.get(f"{URL}regels/{regel.pk}/").status_code == 404
    assert client.post(f"{URL}regels/{regel.pk}/boeken/", {"categorie": "Bankkosten"}).status_code == 404
    assert weigeringen() == voor + 3
    assert client.get(OPEN_POSTEN).context["page"].paginator.count == 0


# --- a bounded number of queries -------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_import_page_runs_the_same_number_of_queries_for_few_and_many_lines(client, wereld):
    """Both first pages hold a line booked on a household (whose name is shown when it is in
    the caseload: one query for the page, none when no line on it is booked)."""
    klein = upload(client, camt_document([huur_regel(), gift(1)], message_id="A", statement_id="A"))["Location"]
    groot = upload(client, camt_document(
        [huur_regel(datum="2026-01-02")] + [gift(n) for n in range(2, 60)], message_id="B", statement_id="B",
    ))["Location"]
    assert _queries(client, klein) == _queries(client, groot)


def test_open_posten_runs_the_same_number_of_queries_for_few_and_many_lines_and_afspraken(client, wereld):
    """The suggestions of a page come from a fixed number of queries, however many lines are
    open and however many afspraken the caseload holds."""
    for n in range(afschriften_views.OPEN_POSTEN_PER_PAGINA):
        open_regel(wereld, kenmerk=f"open-{n}")
    volle_pagina = _queries(client, OPEN_POSTEN)
    for n in range(afschriften_views.OPEN_POSTEN_PER_PAGINA, 3 * afschriften_views.OPEN_POSTEN_PER_PAGINA):
        open_regel(wereld, kenmerk=f"open-{n}")
    for n in range(20):
        AfspraakFactory(deelname=DeelnameFactory(
            huishouden=HuishoudenFactory(gemeente=wereld.gemeente, team=wereld.team, naam=f"Extra {n}"),
            tussenrekening=wereld.tussenrekening, budgetbeheerder=wereld.budgetbeheerder,
        ), omschrijving=f"Huur {n}")
    assert _queries(client, OPEN_POSTEN) == volle_pagina
    page = client.get(OPEN_POSTEN).context["page"]
    assert len(page.object_list[0].suggesties) == afschriften_views.SUGGESTIES_PER_REGEL  # 21 rents fit; 3 shown


def test_with_a_real_worker_the_list_waits_for_the_file_and_polls(client, wereld, monkeypatch, settings, tmp_path):
    """Without the in-process task runner the page cannot wait: the list says the file is
    being read and polls until the import shows up."""
    from celery.result import AsyncResult

    settings.HUISHOUDBOEKJE_UPLOAD_DIR = str(tmp_path)
    monkeypatch.setattr(afschriften_views, "DIRECT_INLEZEN_TOT", 10)
    monkeypatch.setattr(tasks.bankbestand_inlezen_task, "delay", lambda **kwargs: AsyncResult("wacht"))
    data = camt_document([huur_regel()])
    response = upload(client, data, naam="groot.xml")
    assert response["Location"] == URL
    [wachtend] = tmp_path.iterdir()  # kept for the worker, encrypted
    assert HUUR_IBAN.encode() in data and HUUR_IBAN.encode() not in wachtend.read_bytes()
    assert wachtrij.lezen(wachtend) == data
    html = client.get(URL).content.decode()
    assert "Het bestand wordt ingelezen." in html
    assert "Wacht op verwerking: groot.xml" in html and 'hx-trigger="every 3s"' in html
    Bankbestand.objects.create(tussenrekening=wereld.tussenrekening, sha256="e" * 64, bestandsnaam="groot.xml",
                               status=BestandStatus.KLAAR)
    lijst = client.get(URL, HTTP_HX_REQUEST="true")
    assert lijst.templates[0].name == "huishoudboekje/_afschriften_lijst.html"
    assert "Wacht op verwerking" not in lijst.content.decode() and "every 3s" not in lijst.content.decode()
