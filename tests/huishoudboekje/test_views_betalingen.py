"""The payments screens: planned payments, batches with four-eyes approval, the pain.001
download and the pain.002 upload."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.contrib.bankformaten import next_execution_date, read_credit_transfer
from perspectief.huishoudboekje.constants import BatchStatus, BetalingSoort, BetalingStatus
from perspectief.huishoudboekje.models import Betaalbatch, Betaling

from ..conftest import login_verified
from ..factories import GemeenteFactory, HuishoudenFactory, TeamFactory
from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

URL = "/huishoudboekje/betalingen/"


@pytest.fixture
def wereld():
    gemeente = GemeenteFactory()
    team = TeamFactory(gemeente=gemeente)
    tussenrekening = TussenrekeningFactory(gemeente=gemeente)
    bb1 = BudgetbeheerderFactory(gemeente=gemeente, teams=[team], first_name="Bo", last_name="Eerste")
    bb2 = BudgetbeheerderFactory(gemeente=gemeente, teams=[team], first_name="Mo", last_name="Tweede")
    deelname = DeelnameFactory(
        huishouden=HuishoudenFactory(gemeente=gemeente, team=team, naam="Bakker"),
        tussenrekening=tussenrekening, budgetbeheerder=bb1,
    )
    ander_team = DeelnameFactory(
        huishouden=HuishoudenFactory(gemeente=gemeente, team=TeamFactory(gemeente=gemeente), naam="Visser"),
        tussenrekening=tussenrekening, budgetbeheerder=bb1,
    )
    return {"gemeente": gemeente, "rekening": tussenrekening, "bb1": bb1, "bb2": bb2, "deelname": deelname,
            "ander_team": ander_team}


def _dag() -> dt.date:
    return next_execution_date(timezone.localdate() + dt.timedelta(days=1))


def _betaling(deelname, *, bedrag="650.00", status=BetalingStatus.GEPLAND, uitvoerdatum=None, naam="Woningstichting 1"):
    afspraak = AfspraakFactory(deelname=deelname, bedrag=Decimal(bedrag))
    dag = uitvoerdatum or _dag()
    return Betaling.objects.create(
        deelname=deelname, afspraak=afspraak, soort=BetalingSoort.VASTE_LAST, termijn=dag, uitvoerdatum=dag,
        bedrag=Decimal(bedrag), tegenrekening_iban=afspraak.tegenrekening_iban, tegenpartij_naam=naam,
        omschrijving="Huur", end_to_end_id=f"HHB-{uuid.uuid4().hex[:20]}", status=status,
    )


def _client(user) -> Client:
    return login_verified(Client(), user)


def test_overview_lists_the_planned_payments_of_the_caseload_by_date(wereld):
    later = _betaling(wereld["deelname"], bedrag="100.00", uitvoerdatum=_dag() + dt.timedelta(days=7))
    eerst = _betaling(wereld["deelname"], bedrag="200.00")
    _betaling(wereld["ander_team"], bedrag="300.00")  # not in this team's caseload
    _betaling(wereld["deelname"], bedrag="400.00", status=BetalingStatus.UITGEVOERD)  # paid already
    response = _client(wereld["bb1"]).get(URL)
    assert response.status_code == 200
    assert [b.pk for b in response.context["page"].object_list] == [eerst.pk, later.pk]
    html = response.content.decode()
    assert "€\xa0200,00" in html and "€\xa0300,00" not in html
    entry = AuditRegel.objects.filter(object_type="betalingen").get()
    assert entry.details == {"pagina": 1, "huishoudens": [wereld["deelname"].huishouden_id]}


def test_overview_filters_by_status(wereld):
    _betaling(wereld["deelname"], bedrag="200.00")
    betaald = _betaling(wereld["deelname"], bedrag="400.00", status=BetalingStatus.UITGEVOERD)
    response = _client(wereld["bb1"]).get(URL, {"status": "uitgevoerd"})
    assert [b.pk for b in response.context["page"].object_list] == [betaald.pk]


def test_overview_empty_state(wereld):
    html = _client(wereld["bb1"]).get(URL).content.decode()
    assert "Er staan geen betalingen klaar." in html
    assert "Er zijn nog geen betaalbestanden gemaakt." in html


def test_plannen_refuses_a_date_in_the_past(wereld):
    gisteren = timezone.localdate() - dt.timedelta(days=1)
    response = _client(wereld["bb1"]).post(URL + "plannen/", {
        "plannen-tussenrekening": wereld["rekening"].pk, "plannen-tot": gisteren.isoformat()})
    assert response.status_code == 200
    assert response.context["plannen_form"].errors == {"tot": ["Kies vandaag of een datum in de toekomst."]}
    assert not Betaling.objects.exists()


def test_batch_is_made_and_approved_by_another_budgetbeheerder(wereld):
    een = _betaling(wereld["deelname"], bedrag="650.00")
    twee = _betaling(wereld["deelname"], bedrag="45.10", naam="Waterbedrijf")
    client1 = _client(wereld["bb1"])
    response = client1.post(URL + "bestanden/", {
        "batch-tussenrekening": wereld["rekening"].pk, "batch-uitvoerdatum": _dag().isoformat(),
        "batch-pain_versie": "pain.001.001.09"})
    batch = Betaalbatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/huishoudboekje/betalingen/bestanden/{batch.uuid}/"
    assert (batch.aantal, batch.totaal, batch.voorbereid_door) == (2, Decimal("695.10"), wereld["bb1"])

    # The preparer sees no approve button, and the server refuses when asked anyway.
    page = client1.get(response["Location"])
    assert page.context["mag_goedkeuren"] is False
    assert ">Goedkeuren<" not in page.content.decode()
    assert "Een andere budgetbeheerder moet het goedkeuren (vier ogen)." in page.content.decode()
    refused = client1.post(response["Location"] + "goedkeuren/", follow=True)
    assert "U heeft dit betaalbestand zelf gemaakt. Een andere budgetbeheerder moet het goedkeuren" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VOORBEREID
    weigering = AuditRegel.objects.get(object_type="betaalbatch", resultaat="geweigerd")
    assert (weigering.actor_id, weigering.details) == (wereld["bb1"].pk, {"reden": "vier_ogen"})

    client2 = _client(wereld["bb2"])
    page = client2.get(response["Location"])
    assert page.context["mag_goedkeuren"] is True
    approved = client2.post(response["Location"] + "goedkeuren/", follow=True)
    assert "Het betaalbestand is goedgekeurd." in approved.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.goedgekeurd_door) == (BatchStatus.GOEDGEKEURD, wereld["bb2"])
    assert {b.status for b in Betaling.objects.filter(pk__in=[een.pk, twee.pk])} == {BetalingStatus.VERZONDEN}

    # The file: an attachment, valid against the XSD, with both payments; its download is logged.
    download = client1.get(response["Location"] + "downloaden/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{batch.message_id}.pain.001.001.09.xml"'
    bestand = read_credit_transfer(download.content, validate=True)
    assert bestand.message_id == batch.message_id
    assert sorted(p.amount for p in bestand.payments) == [Decimal("45.10"), Decimal("650.00")]
    log = AuditRegel.objects.filter(object_type="betaalbestand").get()
    assert (log.actor_id, log.object_id, log.resultaat) == (wereld["bb1"].pk, str(batch.pk), "gelukt")


def test_a_prepared_batch_cannot_be_downloaded(wereld):
    _betaling(wereld["deelname"])
    client = _client(wereld["bb1"])
    client.post(URL + "bestanden/", {"batch-tussenrekening": wereld["rekening"].pk,
                                     "batch-uitvoerdatum": _dag().isoformat(), "batch-pain_versie": "pain.001.001.03"})
    batch = Betaalbatch.objects.get()
    assert batch.pain_versie == "pain.001.001.03"
    assert client.get(f"{URL}bestanden/{batch.uuid}/downloaden/").status_code == 404


def test_batch_without_payments_shows_the_reason(wereld):
    response = _client(wereld["bb1"]).post(URL + "bestanden/", {
        "batch-tussenrekening": wereld["rekening"].pk, "batch-uitvoerdatum": _dag().isoformat(),
        "batch-pain_versie": "pain.001.001.09"})
    assert response.status_code == 200
    assert response.context["batch_form"].non_field_errors()[0].startswith("Er zijn geen geplande betalingen tot en met")
    assert not Betaalbatch.objects.exists()


def test_refusing_needs_a_reason_and_puts_the_payments_back(wereld):
    betaling = _betaling(wereld["deelname"])
    client = _client(wereld["bb1"])
    client.post(URL + "bestanden/", {"batch-tussenrekening": wereld["rekening"].pk,
                                     "batch-uitvoerdatum": _dag().isoformat(), "batch-pain_versie": "pain.001.001.09"})
    batch = Betaalbatch.objects.get()
    zonder = client.post(f"{URL}bestanden/{batch.uuid}/afkeuren/", {"reden": ""}, follow=True)
    assert "Schrijf op waarom u het bestand afkeurt." in zonder.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VOORBEREID
    client.post(f"{URL}bestanden/{batch.uuid}/afkeuren/", {"reden": "Verkeerde datum"})
    batch.refresh_from_db()
    betaling.refresh_from_db()
    assert (batch.status, betaling.status, betaling.batch) == (BatchStatus.AFGEKEURD, BetalingStatus.GEPLAND, None)


def test_batch_of_another_gemeente_is_hidden(wereld):
    elders = TussenrekeningFactory(gemeente=GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp"),
                                   iban="NL02ABNA0123456789")
    batch = Betaalbatch.objects.create(tussenrekening=elders, uitvoerdatum=_dag(), message_id="ELDERS-1",
                                       voorbereid_door=BudgetbeheerderFactory(gemeente=elders.gemeente))
    client = _client(wereld["bb1"])
    assert client.get(f"{URL}bestanden/{batch.uuid}/").status_code == 404
    assert client.post(f"{URL}bestanden/{batch.uuid}/goedkeuren/").status_code == 404
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VOORBEREID


def _pain002(message_id: str, regels: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>STATUS-1</MsgId><CreDtTm>2026-12-24T07:00:00+01:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>{message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>{message_id}-1</OrgnlPmtInfId>{regels}</OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>""".encode()


def test_status_report_upload_shows_the_counts(wereld):
    een = _betaling(wereld["deelname"], bedrag="650.00")
    twee = _betaling(wereld["deelname"], bedrag="45.10")
    client1, client2 = _client(wereld["bb1"]), _client(wereld["bb2"])
    client1.post(URL + "bestanden/", {"batch-tussenrekening": wereld["rekening"].pk,
                                      "batch-uitvoerdatum": _dag().isoformat(), "batch-pain_versie": "pain.001.001.09"})
    batch = Betaalbatch.objects.get()
    client2.post(f"{URL}bestanden/{batch.uuid}/goedkeuren/")
    regels = (
        f"<TxInfAndSts><OrgnlEndToEndId>{een.end_to_end_id}</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>"
        f"<TxInfAndSts><OrgnlEndToEndId>{twee.end_to_end_id}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>"
        "<TxInfAndSts><OrgnlEndToEndId>ONBEKEND-1</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    bestand = SimpleUploadedFile("status.xml", _pain002(batch.message_id, regels), content_type="application/xml")
    response = client1.post(URL + "statusrapport/", {"status-tussenrekening": wereld["rekening"].pk, "status-bestand": bestand})
    assert response.status_code == 200
    resultaat = response.context["statusresultaat"]
    assert (resultaat.geaccepteerd, resultaat.geweigerd, resultaat.onbekend) == (1, 1, 1)
    html = response.content.decode()
    assert "1 betaling geaccepteerd door de bank" in html
    assert "1 betaling geweigerd: die staat weer klaar om opnieuw te betalen" in html
    twee.refresh_from_db()
    assert twee.status == BetalingStatus.GEWEIGERD


def test_status_report_that_is_no_status_report_is_refused_with_the_reason(wereld):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bestand = SimpleUploadedFile("status.xml", b"dit is geen xml", content_type="application/xml")
    response = _client(wereld["bb1"]).post(URL + "statusrapport/", {
        "status-tussenrekening": wereld["rekening"].pk, "status-bestand": bestand})
    assert response.status_code == 200
    assert response.context["status_form"].errors["bestand"]
    assert response.context["statusresultaat"] is None


def test_overview_is_paginated_and_keeps_the_filter(wereld):
    eerste = _dag()
    for i in range(30):
        _betaling(wereld["deelname"], bedrag=f"{100 + i}.00", uitvoerdatum=eerste + dt.timedelta(days=i))
    client = _client(wereld["bb1"])
    page2 = client.get(URL, {"status": "gepland", "pagina": 2})
    assert [b.bedrag for b in page2.context["page"].object_list] == [Decimal(f"{125 + i}.00") for i in range(5)]
    assert 'href="?status=gepland&amp;pagina=1"' in page2.content.decode()


def test_overview_queries_do_not_grow_with_the_number_of_payments(wereld):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(wereld["bb1"])
    _betaling(wereld["deelname"])
    with CaptureQueriesContext(connection) as weinig:
        client.get(URL)
    for _ in range(15):
        _betaling(wereld["deelname"])
    with CaptureQueriesContext(connection) as veel:
        client.get(URL)
    assert len(veel) == len(weinig)


def test_the_batch_date_proposed_is_the_first_day_a_planned_payment_goes_out(wereld):
    client = _client(wereld["bb1"])
    assert client.get(URL).context["batch_form"]["uitvoerdatum"].value() == timezone.localdate()
    later = _dag() + dt.timedelta(days=7)
    _betaling(wereld["deelname"], uitvoerdatum=later + dt.timedelta(days=3))
    _betaling(wereld["deelname"], uitvoerdatum=later)
    assert client.get(URL).context["batch_form"]["uitvoerdatum"].value() == later
