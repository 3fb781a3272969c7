"""Payments: planning, execution dates, batches with four-eyes approval, pain.001 and pain.002."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from lxml import etree

from perspectief.audit.models import AuditRegel
from perspectief.contrib.bankformaten import read_credit_transfer
from perspectief.contrib.bankformaten._sepa import valid_identifier
from perspectief.huishoudboekje import betalingen
from perspectief.huishoudboekje.betalingen import (
    batch_afkeuren,
    batch_bestandsnaam,
    batch_goedkeuren,
    batch_voorbereiden,
    betaling_annuleren,
    betaling_opnieuw_plannen,
    betalingen_plannen,
    reden_tekst,
    statusrapport_verwerken,
    uitvoerdatum_voor,
)
from perspectief.huishoudboekje.constants import (
    BatchStatus,
    BetalingSoort,
    BetalingStatus,
    Frequentie,
    LeefgeldFrequentie,
    Richting,
    Rubriek,
)
from perspectief.huishoudboekje.models import Betaalbatch, Betaling

from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, TussenrekeningFactory
from .test_betalingen_hulp import VANDAAG, pain002, vast_vandaag  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

FIXTURE_XSD = "pain.001.001.03.xsd"


@pytest.fixture
def rekening():
    return TussenrekeningFactory()


def met_tegoed(deelname, bedrag="1000.00"):
    """Give the household a ledger account with ``bedrag`` on it (tegoed = -saldo)."""
    from perspectief.huishoudboekje.grootboek import huishoudrekening

    rekening = huishoudrekening(deelname)
    type(rekening).objects.filter(pk=rekening.pk).update(saldo=-Decimal(bedrag))
    return deelname


@pytest.fixture
def deelname(rekening):
    # Leefgeld weekly on Friday (dag 4), 1,000.00 on the account.
    return met_tegoed(
        DeelnameFactory(tussenrekening=rekening, leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=4)
    )


def vast_bedrag(bedrag: str):
    """A stand-in for the budget: every household asked gets ``bedrag`` as leefgeld."""
    return lambda *, deelnames, peildatum: {deelname.pk: Decimal(bedrag) for deelname in deelnames}


@pytest.fixture
def geen_leefgeld(monkeypatch):
    monkeypatch.setattr(betalingen, "_leefgeld_bedragen", vast_bedrag("0.00"))


@pytest.fixture
def leefgeld_75(monkeypatch):
    gevraagd = []

    def bedragen(*, deelnames, peildatum):
        gevraagd.extend((deelname.pk, peildatum) for deelname in deelnames)
        return {deelname.pk: Decimal("75.00") for deelname in deelnames}

    monkeypatch.setattr(betalingen, "_leefgeld_bedragen", bedragen)
    return gevraagd


def huur(deelname, **kwargs):
    return AfspraakFactory(deelname=deelname, organisatie__gemeente=deelname.tussenrekening.gemeente, **kwargs)


# --- execution dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("termijn", "verwacht"),
    [
        (date(2026, 12, 1), date(2026, 12, 1)),  # Tuesday
        (date(2026, 11, 28), date(2026, 11, 27)),  # Saturday -> Friday
        (date(2026, 11, 29), date(2026, 11, 27)),  # Sunday -> Friday
        (date(2026, 12, 25), date(2026, 12, 24)),  # Christmas Day (TARGET2 closed)
        (date(2026, 12, 26), date(2026, 12, 24)),  # Tweede Kerstdag on a Saturday
        (date(2027, 1, 1), date(2026, 12, 31)),  # New Year's Day
        (date(2027, 3, 29), date(2027, 3, 25)),  # Easter Monday; Good Friday 26 March closed too
        (date(2027, 5, 1), date(2027, 4, 30)),  # 1 May on a Saturday
        (date(2027, 4, 27), date(2027, 4, 27)),  # Koningsdag: Dutch banks pay (BNG Bank, see docs)
        (date(2027, 5, 6), date(2027, 5, 6)),  # Hemelvaartsdag: banks pay
        (date(2027, 5, 17), date(2027, 5, 17)),  # Tweede Pinksterdag: banks pay
        (date(2030, 5, 5), date(2030, 5, 3)),  # Bevrijdingsdag on a Sunday: only the weekend counts
    ],
)
def test_execution_date_is_the_bank_day_on_or_before_the_term(termijn, verwacht):
    assert uitvoerdatum_voor(termijn, peildatum=date(2026, 11, 23)) == verwacht


def test_execution_date_never_before_peildatum():
    # Term on Sunday 29 November, planned on Saturday 28: Friday has passed, so Monday.
    assert uitvoerdatum_voor(date(2026, 11, 29), peildatum=date(2026, 11, 28)) == date(2026, 11, 30)


# --- planning ------------------------------------------------------------------------------------


def test_plan_fixed_costs_once_per_term(deelname, geen_leefgeld):
    afspraak = huur(deelname, betalingskenmerk="5000056789012345", omschrijving="Huur Dorpsstraat")
    aantal = betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2027, 1, 31))
    assert aantal == 2
    rijen = list(Betaling.objects.order_by("termijn"))
    assert [(b.termijn, b.uitvoerdatum) for b in rijen] == [
        (date(2026, 12, 1), date(2026, 12, 1)),
        (date(2027, 1, 1), date(2026, 12, 31)),
    ]
    eerste = rijen[0]
    assert (eerste.soort, eerste.status, eerste.afspraak, eerste.deelname) == (
        BetalingSoort.VASTE_LAST,
        BetalingStatus.GEPLAND,
        afspraak,
        deelname,
    )
    assert (eerste.bedrag, eerste.tegenrekening_iban, eerste.tegenpartij_naam) == (
        Decimal("650.00"),
        "NL20INGB0001234567",
        afspraak.organisatie.naam,
    )
    assert (eerste.omschrijving, eerste.betalingskenmerk) == ("Huur Dorpsstraat", "5000056789012345")
    # A second run plans nothing.
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2027, 1, 31)) == 0
    assert Betaling.objects.count() == 2


def test_end_to_end_ids_are_sepa_identifiers_without_personal_data(deelname, geen_leefgeld):
    huur(deelname, frequentie=Frequentie.WEEK, dag=0)
    betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2027, 3, 31))
    kenmerken = list(Betaling.objects.values_list("end_to_end_id", "uuid"))
    assert len(kenmerken) == 19  # Mondays from 23 November 2026 to 29 March 2027
    assert len({k for k, _u in kenmerken}) == 19
    for kenmerk, sleutel in kenmerken:
        assert len(kenmerk) == 35 and valid_identifier(kenmerk)
        assert kenmerk == f"HHB{sleutel.hex.upper()}"


def test_only_paid_expenses_of_active_participations_within_validity(rekening, geen_leefgeld):
    actief = DeelnameFactory(tussenrekening=rekening)
    gestopt = DeelnameFactory(tussenrekening=rekening, einddatum=date(2026, 11, 1))
    stopt_binnenkort = DeelnameFactory(tussenrekening=rekening, einddatum=date(2026, 12, 15))
    andere_rekening = DeelnameFactory(tussenrekening=TussenrekeningFactory(iban="NL02ABNA0123456789"))
    huur(actief)
    huur(actief, richting=Richting.INKOMEN, rubriek=Rubriek.UITKERING)  # income is never paid
    huur(actief, betalen=False)  # the household pays this itself
    huur(actief, geldig_tot=date(2026, 10, 31))  # ended
    huur(actief, geldig_vanaf=date(2027, 1, 1), dag=15)  # starts later
    huur(gestopt)
    huur(stopt_binnenkort)
    huur(andere_rekening)
    assert betalingen_plannen(tussenrekening=rekening, peildatum=VANDAAG, tot=date(2027, 1, 31)) == 4
    assert sorted(Betaling.objects.values_list("deelname_id", "termijn")) == sorted(
        [
            (actief.pk, date(2026, 12, 1)),
            (actief.pk, date(2027, 1, 1)),
            (actief.pk, date(2027, 1, 15)),
            (stopt_binnenkort.pk, date(2026, 12, 1)),
        ]
    )


def test_leefgeld_only_for_the_next_term(deelname, leefgeld_75):
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 31)) == 1
    leefgeld = Betaling.objects.get()
    assert (leefgeld.soort, leefgeld.afspraak, leefgeld.termijn, leefgeld.uitvoerdatum, leefgeld.bedrag) == (
        BetalingSoort.LEEFGELD,
        None,
        date(2026, 11, 27),  # the first Friday
        date(2026, 11, 27),
        Decimal("75.00"),
    )
    assert (leefgeld.tegenrekening_iban, leefgeld.tegenpartij_naam) == ("NL91ABNA0417164300", deelname.leefgeld_naam)
    assert leefgeld.omschrijving == "Leefgeld 27-11-2026"
    assert leefgeld_75 == [(deelname.pk, VANDAAG)]
    # Again the same day: the next term is taken, the budget is not even asked.
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 31)) == 0
    assert len(leefgeld_75) == 1
    # The day after the payment the next Friday is due.
    assert (
        betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=date(2026, 11, 28), tot=date(2026, 12, 31))
        == 1
    )
    assert list(Betaling.objects.order_by("termijn").values_list("termijn", flat=True)) == [
        date(2026, 11, 27),
        date(2026, 12, 4),
    ]


def test_leefgeld_beyond_the_horizon_or_zero_is_not_planned(deelname, geen_leefgeld, monkeypatch):
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 31)) == 0
    monkeypatch.setattr(betalingen, "_leefgeld_bedragen", vast_bedrag("75.00"))
    # Friday 27 November is after the horizon of Wednesday 25.
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 11, 25)) == 0


def test_leefgeld_sees_the_fixed_costs_planned_in_the_same_run(deelname, monkeypatch):
    huur(deelname)
    gezien = []

    def bedragen(*, deelnames, peildatum):
        gezien.extend(
            Betaling.objects.filter(deelname=deelname, soort=BetalingSoort.VASTE_LAST).count() for deelname in deelnames
        )
        return {deelname.pk: Decimal("10.00") for deelname in deelnames}

    monkeypatch.setattr(betalingen, "_leefgeld_bedragen", bedragen)
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 31)) == 2
    assert gezien == [1]


def test_database_refuses_a_second_active_payment_for_a_term(deelname, geen_leefgeld):
    huur(deelname)
    betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 31))
    eerste = Betaling.objects.get()
    kopie = {f.attname: getattr(eerste, f.attname) for f in Betaling._meta.concrete_fields if f.attname != "id"}
    kopie.update(uuid=betalingen.uuid.uuid4(), end_to_end_id="HHB-KOPIE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Betaling.objects.create(**kopie)
    # A refused payment frees its term.
    Betaling.objects.filter(pk=eerste.pk).update(status=BetalingStatus.GEWEIGERD)
    Betaling.objects.create(**kopie)
    leefgeld = dict(kopie, soort=BetalingSoort.LEEFGELD, afspraak_id=None, uuid=betalingen.uuid.uuid4())
    Betaling.objects.create(**dict(leefgeld, end_to_end_id="HHB-LEEFGELD-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Betaling.objects.create(**dict(leefgeld, end_to_end_id="HHB-LEEFGELD-2", uuid=betalingen.uuid.uuid4()))


# --- batches --------------------------------------------------------------------------------------


def plan_twee_maanden(deelname):
    huur(deelname)
    huur(deelname, omschrijving="Energie", rubriek=Rubriek.ENERGIE, bedrag=Decimal("123.45"), dag=28,
         tegenrekening_iban="NL44RABO0123456789", betalingskenmerk="5000056789012345")
    return betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2027, 1, 1))


def test_prepare_takes_the_payments_due_up_to_the_date(deelname, geen_leefgeld, vast_vandaag):
    assert plan_twee_maanden(deelname) == 4  # 28 Nov (on 27 Nov), 1 Dec, 28 Dec, 1 Jan (on 31 Dec)
    beheerder = BudgetbeheerderFactory()
    batch = batch_voorbereiden(actor=beheerder, tussenrekening=deelname.tussenrekening, uitvoerdatum=date(2026, 12, 1))
    assert (batch.status, batch.aantal, batch.totaal, batch.pain_versie) == (
        BatchStatus.VOORBEREID,
        2,
        Decimal("773.45"),
        "pain.001.001.09",
    )
    assert batch.voorbereid_door == beheerder
    assert len(batch.message_id) <= 31 and valid_identifier(batch.message_id)
    assert batch.message_id.startswith("HHB-20261201-")
    assert sorted(Betaling.objects.filter(batch=batch).values_list("termijn", "status")) == [
        (date(2026, 11, 28), BetalingStatus.IN_BATCH),
        (date(2026, 12, 1), BetalingStatus.IN_BATCH),
    ]
    assert Betaling.objects.filter(batch=None, status=BetalingStatus.GEPLAND).count() == 2
    regel = AuditRegel.objects.get(object_type="betaalbatch")
    assert (regel.actie, regel.object_id, regel.actor_id) == ("aanmaken", str(batch.pk), beheerder.pk)
    # The rest in a second batch; then nothing is left.
    tweede = batch_voorbereiden(actor=beheerder, tussenrekening=deelname.tussenrekening, uitvoerdatum=date(2027, 1, 4))
    assert (tweede.aantal, tweede.totaal) == (2, Decimal("773.45"))
    with pytest.raises(ValidationError) as fout:
        batch_voorbereiden(actor=beheerder, tussenrekening=deelname.tussenrekening, uitvoerdatum=date(2027, 1, 4))
    assert fout.value.code == "leeg"
    assert "Er zijn geen geplande betalingen tot en met 04-01-2027" in fout.value.messages[0]
    assert Betaalbatch.objects.count() == 2


@pytest.mark.parametrize(
    ("uitvoerdatum", "code", "tekst"),
    [
        (date(2026, 11, 20), "verleden", "De uitvoerdatum ligt in het verleden."),
        (date(2026, 12, 25), "geen_bankdag", "Op 25-12-2026 voeren banken geen betalingen uit. Kies 28-12-2026."),
        (date(2026, 11, 28), "geen_bankdag", "Op 28-11-2026 voeren banken geen betalingen uit. Kies 30-11-2026."),
    ],
)
def test_prepare_refuses_a_date_that_is_not_a_bank_day(deelname, geen_leefgeld, vast_vandaag, uitvoerdatum, code,
                                                       tekst):
    plan_twee_maanden(deelname)
    with pytest.raises(ValidationError) as fout:
        batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                           uitvoerdatum=uitvoerdatum)
    assert fout.value.code == code
    assert fout.value.messages[0].startswith(tekst)
    assert Betaalbatch.objects.count() == 0


def test_prepare_refuses_an_unknown_pain_version(deelname, vast_vandaag):
    with pytest.raises(ValidationError):
        batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                           uitvoerdatum=date(2026, 12, 1), pain_versie="pain.001.001.11")


@pytest.mark.parametrize("versie", ["pain.001.001.09", "pain.001.001.03"])
def test_approve_writes_a_valid_pain001_and_sends_the_payments(deelname, geen_leefgeld, vast_vandaag, versie):
    plan_twee_maanden(deelname)
    voorbereider, goedkeurder = BudgetbeheerderFactory(), BudgetbeheerderFactory()
    batch = batch_voorbereiden(actor=voorbereider, tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1), pain_versie=versie)
    with pytest.raises(ValidationError) as fout:
        batch_goedkeuren(actor=voorbereider, batch=batch)
    assert fout.value.code == "vier_ogen"
    batch.refresh_from_db()
    assert (batch.status, batch.bestand) == (BatchStatus.VOORBEREID, None)

    batch = batch_goedkeuren(actor=goedkeurder, batch=batch)
    batch.refresh_from_db()
    inhoud = bytes(batch.bestand)
    assert (batch.status, batch.goedgekeurd_door) == (BatchStatus.GOEDGEKEURD, goedkeurder)
    assert batch.sha256 == hashlib.sha256(inhoud).hexdigest()
    gelezen = read_credit_transfer(inhoud)  # validates against the official XSD again
    betaald = list(Betaling.objects.filter(batch=batch).order_by("uitvoerdatum", "pk"))  # the file's order
    assert (gelezen.version, gelezen.message_id) == (versie, batch.message_id)
    assert (gelezen.number_of_transactions, gelezen.control_sum) == (2, Decimal("773.45"))
    assert [p.end_to_end_id for p in gelezen.payments] == [b.end_to_end_id for b in betaald]
    # Each payment on its own day: energy due Saturday 28 November on Friday 27, rent on 1 December.
    assert {p.end_to_end_id: p.requested_execution_date for p in gelezen.payments} == {
        b.end_to_end_id: date(2026, 11, 27) if b.omschrijving == "Energie" else date(2026, 12, 1) for b in betaald
    }
    assert (gelezen.debtor.iban, gelezen.debtor.bic) == ("NL36ABNA5632579034", "ABNANL2A")
    per_kenmerk = {p.end_to_end_id: p for p in gelezen.payments}
    energie = next(b for b in betaald if b.omschrijving == "Energie")
    assert per_kenmerk[energie.end_to_end_id].betalingskenmerk == "5000056789012345"
    assert per_kenmerk[energie.end_to_end_id].remittance_information is None
    huurbetaling = next(b for b in betaald if b.omschrijving == "Huur")
    assert per_kenmerk[huurbetaling.end_to_end_id].remittance_information == "Huur"
    assert {b.status for b in betaald} == {BetalingStatus.VERZONDEN}
    assert sorted(b.uitvoerdatum for b in betaald) == [date(2026, 11, 27), date(2026, 12, 1)]  # as in the file
    # Approving again changes nothing.
    with pytest.raises(ValidationError) as fout:
        batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)
    assert fout.value.code == "status"
    assert AuditRegel.objects.filter(object_type="betaalbatch", object_id=str(batch.pk)).count() == 2
    assert batch_bestandsnaam(batch) == f"{batch.message_id}.{versie}.xml"


def test_the_file_validates_against_the_fixture_xsd(deelname, geen_leefgeld, vast_vandaag):
    from .test_betalingen_hulp import fixture_xsd

    schema = etree.XMLSchema(etree.parse(str(fixture_xsd(FIXTURE_XSD))))
    plan_twee_maanden(deelname)
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1), pain_versie="pain.001.001.03")
    batch = batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)
    assert schema.validate(etree.fromstring(bytes(batch.bestand))), schema.error_log


def test_database_refuses_approver_equal_to_preparer(deelname, geen_leefgeld, vast_vandaag):
    plan_twee_maanden(deelname)
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Betaalbatch.objects.filter(pk=batch.pk).update(goedgekeurd_door=batch.voorbereid_door)
    with pytest.raises(IntegrityError), transaction.atomic():
        Betaalbatch.objects.filter(pk=batch.pk).update(status=BatchStatus.GOEDGEKEURD)  # without an approver


def test_an_invalid_betalingskenmerk_stops_approval_with_its_place(deelname, geen_leefgeld, vast_vandaag):
    huur(deelname, betalingskenmerk="1234567890123456")  # check digit wrong
    betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 1))
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1))
    with pytest.raises(ValidationError) as fout:
        batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)
    assert fout.value.messages == [
        "Het betaalbestand kan niet gemaakt worden: Het betalingskenmerk klopt niet. (betaling 1)"
    ]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VOORBEREID
    assert Betaling.objects.get().status == BetalingStatus.IN_BATCH


def test_refusing_a_batch_puts_its_payments_back(deelname, geen_leefgeld, vast_vandaag):
    plan_twee_maanden(deelname)
    beheerder = BudgetbeheerderFactory()
    batch = batch_voorbereiden(actor=beheerder, tussenrekening=deelname.tussenrekening, uitvoerdatum=date(2026, 12, 1))
    with pytest.raises(ValidationError):
        batch_afkeuren(actor=beheerder, batch=batch, reden="  ")
    batch_afkeuren(actor=beheerder, batch=batch, reden="Bedrag energie klopt niet")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.AFGEKEURD
    assert set(Betaling.objects.values_list("status", "batch")) == {(BetalingStatus.GEPLAND, None)}
    with pytest.raises(ValidationError):
        batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)
    opnieuw = batch_voorbereiden(actor=beheerder, tussenrekening=deelname.tussenrekening,
                                 uitvoerdatum=date(2026, 12, 1))
    assert opnieuw.aantal == 2
    regel = AuditRegel.objects.filter(object_id=str(batch.pk), object_type="betaalbatch").order_by("volgnummer").last()
    assert regel.details == {"status": "afgekeurd", "terug_naar_gepland": 2, "reden_lengte": 25}


# --- single payments ---------------------------------------------------------------------------------


def test_cancel_only_a_planned_payment(deelname, geen_leefgeld, vast_vandaag):
    plan_twee_maanden(deelname)
    beheerder = BudgetbeheerderFactory()
    batch_voorbereiden(actor=beheerder, tussenrekening=deelname.tussenrekening, uitvoerdatum=date(2026, 12, 1))
    vrij = Betaling.objects.filter(status=BetalingStatus.GEPLAND).order_by("termijn").first()
    in_batch = Betaling.objects.filter(status=BetalingStatus.IN_BATCH).first()
    assert betaling_annuleren(actor=beheerder, betaling=vrij).status == BetalingStatus.GEANNULEERD
    with pytest.raises(ValidationError):
        betaling_annuleren(actor=beheerder, betaling=in_batch)
    with pytest.raises(ValidationError):
        betaling_annuleren(actor=beheerder, betaling=vrij)
    regel = AuditRegel.objects.get(object_type="betaling")
    assert (regel.object_id, regel.huishouden_id) == (str(vrij.pk), deelname.huishouden_id)
    # The term is free: planning again fills it.
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2027, 1, 1)) == 1


# --- status reports ------------------------------------------------------------------------------------


@pytest.fixture
def verzonden(deelname, geen_leefgeld, vast_vandaag):
    plan_twee_maanden(deelname)
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1))
    return batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)


def test_status_report_refuses_and_frees_the_term(verzonden, deelname):
    eerste, tweede = Betaling.objects.filter(batch=verzonden).order_by("termijn")
    rapport = pain002(
        verzonden.message_id,
        [(eerste.end_to_end_id, "ACCP", None), (tweede.end_to_end_id, "RJCT", "AC04"), ("HHBONBEKEND", "RJCT", "AC01")],
    )
    beheerder = BudgetbeheerderFactory()
    resultaat = statusrapport_verwerken(actor=beheerder, tussenrekening=deelname.tussenrekening, inhoud=rapport)
    assert (resultaat.geweigerd, resultaat.geaccepteerd, resultaat.onbekend, resultaat.al_verwerkt) == (1, 1, 1, 0)
    assert resultaat.onbekende_kenmerken == ("HHBONBEKEND",)
    eerste.refresh_from_db()
    tweede.refresh_from_db()
    assert eerste.status == BetalingStatus.VERZONDEN
    assert (tweede.status, tweede.statusreden) == (
        BetalingStatus.GEWEIGERD,
        "De rekening van de ontvanger is opgeheven. (AC04)",
    )
    # The same report again: nothing changes.
    opnieuw = statusrapport_verwerken(actor=beheerder, tussenrekening=deelname.tussenrekening, inhoud=rapport)
    assert (opnieuw.geweigerd, opnieuw.al_verwerkt) == (0, 1)
    # The term (1 December) is free again and can be paid once more.
    nieuw = betaling_opnieuw_plannen(actor=beheerder, betaling=tweede, peildatum=date(2026, 12, 5))
    assert (nieuw.status, nieuw.termijn, nieuw.uitvoerdatum, nieuw.bedrag) == (
        BetalingStatus.GEPLAND,
        tweede.termijn,
        date(2026, 12, 7),
        tweede.bedrag,
    )
    assert nieuw.end_to_end_id != tweede.end_to_end_id
    with pytest.raises(ValidationError) as fout:
        betaling_opnieuw_plannen(actor=beheerder, betaling=tweede)
    assert fout.value.code == "dubbel"
    with pytest.raises(ValidationError):
        betaling_opnieuw_plannen(actor=beheerder, betaling=eerste)


def test_a_whole_file_refused(verzonden, deelname):
    rapport = pain002(verzonden.message_id, [], groep="RJCT", groep_reden="FF01")
    resultaat = statusrapport_verwerken(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                                        inhoud=rapport)
    assert resultaat.geweigerd == 2
    assert set(Betaling.objects.filter(batch=verzonden).values_list("status", "statusreden")) == {
        (BetalingStatus.GEWEIGERD, "Het bestand heeft een fout formaat. (FF01)")
    }


def test_a_report_for_another_file_is_refused(verzonden, deelname):
    with pytest.raises(ValidationError) as fout:
        statusrapport_verwerken(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                                inhoud=pain002("HHB-ANDER-BESTAND", [("X", "RJCT", "AC04")]))
    assert fout.value.code == "ander_bestand"
    andere = TussenrekeningFactory(iban="NL02ABNA0123456789")
    with pytest.raises(ValidationError):
        statusrapport_verwerken(actor=BudgetbeheerderFactory(), tussenrekening=andere,
                                inhoud=pain002(verzonden.message_id, [("X", "RJCT", "AC04")]))
    assert set(Betaling.objects.values_list("status", flat=True)) == {BetalingStatus.VERZONDEN, BetalingStatus.GEPLAND}


def test_reason_texts():
    assert reden_tekst("AM04") == "Er staat niet genoeg geld op de rekening. (AM04)"
    assert reden_tekst("ZZ99") == "Reden van de bank: ZZ99."
    assert reden_tekst(None) == "De bank heeft geen reden gegeven."


def test_leefgeld_amount_comes_from_the_budget(deelname):
    """With the real budget: tegoed 1,000.00, rent 650.00 due 1 December (planned in the
    same run), no buffer: the leefgeld of Friday 27 November is 350.00."""
    huur(deelname)
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 31)) == 2
    leefgeld = Betaling.objects.get(soort=BetalingSoort.LEEFGELD)
    assert (leefgeld.termijn, leefgeld.bedrag) == (date(2026, 11, 27), Decimal("350.00"))


@pytest.mark.parametrize(("tegoed", "buffer"), [("0.00", "0.00"), ("100.00", "100.00"), ("-5.00", "0.00")])
def test_no_room_no_leefgeld_and_the_budget_is_not_asked(deelname, leefgeld_75, tegoed, buffer):
    met_tegoed(deelname, tegoed)
    type(deelname).objects.filter(pk=deelname.pk).update(buffer=Decimal(buffer))
    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 11, 30)) == 0
    assert leefgeld_75 == []


def test_a_stale_candidate_list_cannot_move_a_payment_twice(deelname, geen_leefgeld, vast_vandaag):
    """What makes simultaneous preparing safe, without threads: the candidates were read,
    then another batch took two of them; putting the stale list in a batch moves only the
    payments that are still free."""
    plan_twee_maanden(deelname)
    kandidaten = list(Betaling.objects.order_by("pk").values_list("pk", flat=True))
    eerste = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                                uitvoerdatum=date(2026, 12, 1))
    tweede = Betaalbatch.objects.create(tussenrekening=deelname.tussenrekening, uitvoerdatum=date(2026, 12, 1),
                                        message_id="HHB-TWEEDE", voorbereid_door=BudgetbeheerderFactory())
    assert betalingen._in_batch_zetten(tweede, kandidaten) == 2
    assert Betaling.objects.filter(batch=eerste).count() == 2
    assert Betaling.objects.filter(batch=tweede).count() == 2
    assert betalingen._in_batch_zetten(tweede, kandidaten) == 0


def test_an_impossible_schedule_skips_that_row_only(rekening, leefgeld_75, caplog):
    goed = met_tegoed(DeelnameFactory(tussenrekening=rekening))
    fout = met_tegoed(DeelnameFactory(tussenrekening=rekening, leefgeld_frequentie=LeefgeldFrequentie.MAAND,
                                      leefgeld_dag=0))  # day 0 of the month: the form refuses it
    kapot = huur(goed, dag=0)
    huur(goed)
    assert betalingen_plannen(tussenrekening=rekening, peildatum=VANDAAG, tot=date(2026, 12, 1)) == 2
    assert sorted(Betaling.objects.values_list("deelname_id", "soort")) == sorted(
        [(goed.pk, BetalingSoort.VASTE_LAST), (goed.pk, BetalingSoort.LEEFGELD)]
    )
    assert [r.getMessage() for r in caplog.records] == [
        f"huishoudboekje: impossible schedule on Afspraak {kapot.pk}, no payment planned",
        f"huishoudboekje: impossible schedule on Deelname {fout.pk}, no payment planned",
    ]
