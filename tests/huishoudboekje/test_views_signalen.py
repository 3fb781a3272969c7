"""The signals work list: open signals of the caseload, filter by kind, handled with a note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje.constants import Richting, SignaalSoort, SignaalStatus
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Signaal

from ..conftest import login_verified
from ..factories import GemeenteFactory, HuishoudenFactory, TeamFactory
from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

URL = "/huishoudboekje/signalen/"


@pytest.fixture
def wereld():
    gemeente = GemeenteFactory()
    team = TeamFactory(gemeente=gemeente)
    rekening = TussenrekeningFactory(gemeente=gemeente)
    beheerder = BudgetbeheerderFactory(gemeente=gemeente, teams=[team])
    eigen = DeelnameFactory(huishouden=HuishoudenFactory(gemeente=gemeente, team=team, naam="Bakker"),
                            tussenrekening=rekening, budgetbeheerder=beheerder)
    ander = DeelnameFactory(huishouden=HuishoudenFactory(gemeente=gemeente, team=TeamFactory(gemeente=gemeente),
                                                         naam="Visser"), tussenrekening=rekening, budgetbeheerder=beheerder)
    return {"rekening": rekening, "beheerder": beheerder, "eigen": eigen, "ander": ander}


def _signaal(deelname, soort=SignaalSoort.AFWIJKEND_BEDRAG, periode=dt.date(2026, 11, 1), **velden):
    return Signaal.objects.create(deelname=deelname, soort=soort, periode=periode, **velden)


def _regel(rekening, kenmerk: str, bedrag: str) -> Banktransactie:
    bestand = Bankbestand.objects.get_or_create(tussenrekening=rekening, sha256="0" * 64, defaults={"bestandsnaam": "a.xml"})[0]
    return Banktransactie.objects.create(
        tussenrekening=rekening, bankbestand=bestand, kenmerk=kenmerk, boekdatum=dt.date(2026, 11, 2),
        richting=Richting.INKOMEN, bedrag=Decimal(bedrag), tegenpartij_naam="Gemeente Voorbeeld Werk en Inkomen",
    )


def _client(user) -> Client:
    return login_verified(Client(), user)


def test_work_list_shows_open_signals_of_the_caseload_with_afspraak_and_lines(wereld):
    afspraak = AfspraakFactory(deelname=wereld["eigen"], richting=Richting.INKOMEN, omschrijving="Bijstand",
                               bedrag=Decimal("1369.06"))
    afwijkend = _signaal(wereld["eigen"], afspraak=afspraak, verschil=Decimal("-120.00"))
    afwijkend.transacties.add(_regel(wereld["rekening"], "K1", "1249.06"))
    nieuwer = _signaal(wereld["eigen"], soort=SignaalSoort.NEGATIEF_SALDO, periode=dt.date(2026, 11, 20))
    _signaal(wereld["eigen"], soort=SignaalSoort.GEEN_INKOMEN, periode=dt.date(2026, 10, 1), status=SignaalStatus.AFGEHANDELD)
    _signaal(wereld["ander"])  # another team's household
    response = _client(wereld["beheerder"]).get(URL)
    assert response.status_code == 200
    assert [r["signaal"].pk for r in response.context["rijen"]] == [nieuwer.pk, afwijkend.pk]
    html = response.content.decode()
    assert "Bedrag wijkt af van de afspraak" in html
    assert "Bijstand (Woningstichting" in html  # the afspraak with its organisation (factory name)
    assert "€\xa01.249,06" in html and "€\xa0120,00 minder" in html
    assert f'href="/huishoudboekje/{wereld["eigen"].uuid}/"' in html
    assert "Visser" not in html
    entry = AuditRegel.objects.get(object_type="signalen")
    assert entry.details == {"pagina": 1, "huishoudens": [wereld["eigen"].huishouden_id]}


def test_filter_by_kind_and_empty_state(wereld):
    _signaal(wereld["eigen"])
    client = _client(wereld["beheerder"])
    response = client.get(URL, {"soort": SignaalSoort.GEEN_INKOMEN})
    assert response.context["rijen"] == []
    assert "Er zijn geen open signalen van deze soort." in response.content.decode()
    assert len(client.get(URL, {"soort": SignaalSoort.AFWIJKEND_BEDRAG}).context["rijen"]) == 1


def test_no_signals_at_all(wereld):
    html = _client(wereld["beheerder"]).get(URL).content.decode()
    assert "Alles gaat zoals afgesproken in de huishoudens waar u voor werkt." in html


def test_handled_with_a_note_keeps_the_filter(wereld):
    signaal = _signaal(wereld["eigen"])
    client = _client(wereld["beheerder"])
    response = client.post(f"{URL}{signaal.pk}/afhandelen/?soort=afwijkend_bedrag", {"toelichting": "Gebeld, klopt"})
    assert response.status_code == 302
    assert response["Location"] == "/huishoudboekje/signalen/?soort=afwijkend_bedrag"
    signaal.refresh_from_db()
    assert (signaal.status, signaal.toelichting, signaal.afgehandeld_door) == (
        SignaalStatus.AFGEHANDELD, "Gebeld, klopt", wereld["beheerder"])
    again = client.post(f"{URL}{signaal.pk}/afhandelen/", {"toelichting": "Nog eens"}, follow=True)
    assert "Dit signaal was al afgehandeld." in again.content.decode()


def test_handling_without_a_note_shows_the_error_at_that_signal(wereld):
    signaal = _signaal(wereld["eigen"])
    response = _client(wereld["beheerder"]).post(f"{URL}{signaal.pk}/afhandelen/", {"toelichting": " "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Schrijf kort op wat u heeft gedaan." in html
    assert f'id="id_toelichting_{signaal.pk}_error"' in html
    signaal.refresh_from_db()
    assert signaal.status == SignaalStatus.OPEN


def test_signal_of_another_team_is_hidden_and_untouched(wereld):
    signaal = _signaal(wereld["ander"])
    response = _client(wereld["beheerder"]).post(f"{URL}{signaal.pk}/afhandelen/", {"toelichting": "Weg ermee"})
    assert response.status_code == 404
    signaal.refresh_from_db()
    assert signaal.status == SignaalStatus.OPEN
    refusal = AuditRegel.objects.get(resultaat="geweigerd")
    assert (refusal.object_type, refusal.huishouden_id) == ("signaal", wereld["ander"].huishouden_id)


def test_work_list_queries_do_not_grow_with_the_number_of_signals(wereld):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(wereld["beheerder"])
    _signaal(wereld["eigen"]).transacties.add(_regel(wereld["rekening"], "K0", "10.00"))
    with CaptureQueriesContext(connection) as weinig:
        client.get(URL)
    for i in range(1, 12):
        _signaal(wereld["eigen"], periode=dt.date(2026, 1, i)).transacties.add(_regel(wereld["rekening"], f"K{i}", "10.00"))
    with CaptureQueriesContext(connection) as veel:
        client.get(URL)
    assert len(veel) == len(weinig)
