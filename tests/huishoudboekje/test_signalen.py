"""Signals: income missing, amount outside its margin, paid twice, negative balance."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje.constants import (
    Frequentie,
    RekeningSoort,
    Richting,
    Rubriek,
    SignaalSoort,
    SignaalStatus,
    TransactieStatus,
)
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Rekening, Signaal
from perspectief.huishoudboekje.signalen import signaal_afhandelen, signalen_bijwerken

from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

PEILDATUM = date(2026, 11, 23)
_teller = itertools.count(1)


@pytest.fixture
def deelname():
    return DeelnameFactory(tussenrekening=TussenrekeningFactory())


def uitkering(deelname, **kwargs):
    """Income of 10.00 on the 1st of the month, window +/- 3 days (Utrecht's feature cases)."""
    velden = {
        "richting": Richting.INKOMEN,
        "rubriek": Rubriek.UITKERING,
        "omschrijving": "Uitkering",
        "bedrag": Decimal("10.00"),
        "marge_dagen": 3,
        "geldig_vanaf": date(2026, 9, 1),
        "organisatie__gemeente": deelname.tussenrekening.gemeente,
        **kwargs,
    }
    return AfspraakFactory(deelname=deelname, **velden)


def regel(deelname, boekdatum, bedrag, *, afspraak=None, richting=None, geboekt=True):
    """A bank line of the household's account, booked on ``afspraak`` (or open)."""
    rekening = deelname.tussenrekening
    bestand, _ = Bankbestand.objects.get_or_create(
        tussenrekening=rekening, sha256="0" * 64, defaults={"bestandsnaam": "afschrift.xml"}
    )
    return Banktransactie.objects.create(
        tussenrekening=rekening,
        bankbestand=bestand,
        kenmerk=f"regel-{next(_teller)}",
        boekdatum=boekdatum,
        richting=richting or (afspraak.richting if afspraak else Richting.INKOMEN),
        bedrag=Decimal(bedrag),
        status=TransactieStatus.GEBOEKT if geboekt and afspraak else TransactieStatus.OPEN,
        afspraak=afspraak if geboekt else None,
        deelname=deelname if geboekt and afspraak else None,
    )


def ingelezen_tot(deelname, dag):
    """An unrelated line on the account, so the statements reach ``dag``."""
    return regel(deelname, dag, "1.00", richting=Richting.UITGAVE, geboekt=False)


def signalen():
    return sorted(
        (s.soort, s.afspraak_id, s.periode, s.verschil, sorted(s.transacties.values_list("pk", flat=True)))
        for s in Signaal.objects.all()
    )


# --- amount outside the margin: Utrecht's acceptance cases ------------------------------------------
# Source: Huishoudboekje (Gemeente Utrecht/VNG), cypress/e2e/Signals/unexpected-payment.feature
# (research/huishoudboekje.md §4.3): agreement 10.00, margin 0 or 0.99.


@pytest.mark.parametrize(
    ("marge", "ontvangen", "verschil"),
    [
        ("0.00", "9.99", "-0.01"),  # too low, no margin: signal
        ("0.00", "10.00", None),
        ("0.00", "10.01", "0.01"),  # too high, no margin: signal
        ("0.99", "9.00", "-1.00"),  # too low, outside the margin: signal
        ("0.99", "9.01", None),  # on the margin
        ("0.99", "9.02", None),  # within the margin
        ("0.99", "10.00", None),
        ("0.99", "10.98", None),
        ("0.99", "10.99", None),  # on the margin
        ("0.99", "11.00", "1.00"),  # too high, outside the margin: signal
    ],
)
def test_amount_margin_boundaries(deelname, marge, ontvangen, verschil):
    afspraak = uitkering(deelname, marge_bedrag=Decimal(marge))
    lijn = regel(deelname, date(2026, 11, 2), ontvangen, afspraak=afspraak)
    regel(deelname, date(2026, 10, 1), "10.00", afspraak=afspraak)  # October on time and right
    regel(deelname, date(2026, 9, 1), "10.00", afspraak=afspraak)
    ingelezen_tot(deelname, PEILDATUM)
    aantal = signalen_bijwerken(peildatum=PEILDATUM)
    if verschil is None:
        assert (aantal, signalen()) == (0, [])
    else:
        assert aantal == 1
        assert signalen() == [
            (SignaalSoort.AFWIJKEND_BEDRAG, afspraak.pk, date(2026, 11, 1), Decimal(verschil), [lijn.pk])
        ]


@pytest.mark.parametrize(
    ("boekdatum", "signaal"),
    [
        (date(2026, 10, 28), False),  # before the window (1 November - 3 days)
        (date(2026, 10, 29), True),  # on its start
        (date(2026, 11, 2), True),  # in it
        (date(2026, 11, 4), True),  # on its end
        (date(2026, 11, 5), False),  # after it
    ],
)
def test_amount_signal_only_within_the_date_window(deelname, boekdatum, signaal):
    afspraak = uitkering(deelname, geldig_vanaf=date(2026, 11, 1))
    regel(deelname, boekdatum, "10.01", afspraak=afspraak)
    signalen_bijwerken(peildatum=date(2026, 11, 4))
    assert Signaal.objects.filter(soort=SignaalSoort.AFWIJKEND_BEDRAG).exists() is signaal


# --- income missing -------------------------------------------------------------------------------


def test_missing_income_once_its_window_has_passed(deelname):
    afspraak = uitkering(deelname, geldig_vanaf=date(2026, 10, 1))
    regel(deelname, date(2026, 10, 1), "10.00", afspraak=afspraak)
    ingelezen_tot(deelname, date(2026, 11, 10))
    # 4 November: the window 29 Oct - 4 Nov is still open.
    assert signalen_bijwerken(peildatum=date(2026, 11, 4)) == 0
    assert signalen_bijwerken(peildatum=date(2026, 11, 5)) == 1
    assert signalen() == [(SignaalSoort.GEEN_INKOMEN, afspraak.pk, date(2026, 11, 1), Decimal("-10.00"), [])]
    # Idempotent, also after it has been handled.
    signaal_afhandelen(actor=BudgetbeheerderFactory(), signaal=Signaal.objects.get(), toelichting="Gebeld met UWV")
    assert signalen_bijwerken(peildatum=date(2026, 11, 6)) == 0
    assert Signaal.objects.count() == 1


def test_no_missing_income_before_the_statements_reach_past_the_window(deelname):
    uitkering(deelname, geldig_vanaf=date(2026, 11, 1))
    ingelezen_tot(deelname, date(2026, 11, 4))  # the last statement ends on the window's last day
    assert signalen_bijwerken(peildatum=PEILDATUM) == 0
    ingelezen_tot(deelname, date(2026, 11, 5))
    assert signalen_bijwerken(peildatum=PEILDATUM) == 1


def test_missing_income_respects_validity_exclusions_and_participation(deelname):
    uitkering(deelname, geldig_vanaf=date(2026, 11, 1), uitgesloten_datums=["2026-11-01"])
    uitkering(deelname, geldig_vanaf=date(2026, 10, 1), geldig_tot=date(2026, 10, 31), omschrijving="Loon")
    uitkering(deelname, alarm=False, omschrijving="Toeslag")
    AfspraakFactory(deelname=deelname, organisatie__gemeente=deelname.tussenrekening.gemeente,
                    geldig_vanaf=date(2026, 10, 1))  # rent: an expense is never "missing income"
    ingelezen_tot(deelname, PEILDATUM)
    assert signalen_bijwerken(peildatum=PEILDATUM) == 1  # only October of "Loon"
    (signaal,) = Signaal.objects.all()
    assert (signaal.afspraak.omschrijving, signaal.periode) == ("Loon", date(2026, 10, 1))
    later = DeelnameFactory(tussenrekening=deelname.tussenrekening, startdatum=date(2026, 11, 10))
    uitkering(later)
    assert signalen_bijwerken(peildatum=PEILDATUM) == 0  # it joined after the 1 November term


def test_a_line_counts_for_the_nearest_term_only(deelname):
    # Weekly income with a window of 4 days: windows of Mondays 2 and 9 November overlap.
    afspraak = uitkering(deelname, frequentie=Frequentie.WEEK, dag=0, marge_dagen=4, geldig_vanaf=date(2026, 11, 2))
    # 5 November is 3 days after the 2nd and 4 days before the 9th: it belongs to the 2nd,
    # so the 9th is not "paid twice" and the 2nd is not "missing".
    regel(deelname, date(2026, 11, 5), "10.00", afspraak=afspraak)
    regel(deelname, date(2026, 11, 9), "10.00", afspraak=afspraak)
    regel(deelname, date(2026, 11, 16), "10.00", afspraak=afspraak)
    ingelezen_tot(deelname, PEILDATUM)
    assert signalen_bijwerken(peildatum=date(2026, 11, 21)) == 0
    # Without the line of the 16th, that term is missing.
    Banktransactie.objects.filter(boekdatum=date(2026, 11, 16)).update(status=TransactieStatus.OPEN, afspraak=None)
    assert signalen_bijwerken(peildatum=date(2026, 11, 21)) == 1
    assert signalen() == [(SignaalSoort.GEEN_INKOMEN, afspraak.pk, date(2026, 11, 16), Decimal("-10.00"), [])]


# --- paid twice -----------------------------------------------------------------------------------


def test_double_income_and_double_expense(deelname):
    inkomen = uitkering(deelname)
    huur = AfspraakFactory(deelname=deelname, organisatie__gemeente=deelname.tussenrekening.gemeente,
                           geldig_vanaf=date(2026, 9, 1), bedrag=Decimal("650.00"))
    a = regel(deelname, date(2026, 11, 1), "10.00", afspraak=inkomen)
    b = regel(deelname, date(2026, 11, 3), "10.00", afspraak=inkomen)
    c = regel(deelname, date(2026, 11, 2), "650.00", afspraak=huur)
    d = regel(deelname, date(2026, 11, 2), "650.00", afspraak=huur)
    regel(deelname, date(2026, 11, 3), "650.00", afspraak=huur, richting=Richting.INKOMEN)  # returned: not a payment
    regel(deelname, date(2026, 10, 1), "10.00", afspraak=inkomen)
    regel(deelname, date(2026, 9, 1), "10.00", afspraak=inkomen)
    regel(deelname, date(2026, 10, 1), "650.00", afspraak=huur)
    ingelezen_tot(deelname, PEILDATUM)
    assert signalen_bijwerken(peildatum=PEILDATUM) == 2
    assert signalen() == sorted(
        [
            (SignaalSoort.DUBBELE_BETALING, inkomen.pk, date(2026, 11, 1), Decimal("10.00"), sorted([a.pk, b.pk])),
            (SignaalSoort.DUBBELE_BETALING, huur.pk, date(2026, 11, 1), Decimal("650.00"), sorted([c.pk, d.pk])),
        ]
    )
    assert signalen_bijwerken(peildatum=PEILDATUM) == 0


# --- negative balance -----------------------------------------------------------------------------


def test_negative_balance_once_a_month(deelname):
    andere = DeelnameFactory(tussenrekening=deelname.tussenrekening)
    gemeente = deelname.tussenrekening.gemeente
    # Household accounts are credit accounts: saldo > 0 means the tegoed is negative.
    Rekening.objects.create(gemeente=gemeente, soort=RekeningSoort.HUISHOUDEN, naam="h1", deelname=deelname,
                            saldo=Decimal("12.50"))
    Rekening.objects.create(gemeente=gemeente, soort=RekeningSoort.HUISHOUDEN, naam="h2", deelname=andere,
                            saldo=Decimal("-300.00"))
    assert signalen_bijwerken(peildatum=PEILDATUM) == 1
    (signaal,) = Signaal.objects.all()
    assert (signaal.deelname, signaal.soort, signaal.afspraak, signaal.periode, signaal.verschil) == (
        deelname, SignaalSoort.NEGATIEF_SALDO, None, date(2026, 11, 1), Decimal("-12.50")
    )
    assert signalen_bijwerken(peildatum=PEILDATUM + timedelta(days=3)) == 0
    assert signalen_bijwerken(peildatum=date(2026, 12, 1)) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Signaal.objects.create(deelname=deelname, soort=SignaalSoort.NEGATIEF_SALDO, periode=date(2026, 12, 1))


def test_only_the_given_households(deelname):
    andere = DeelnameFactory(tussenrekening=deelname.tussenrekening)
    for d in (deelname, andere):
        uitkering(d, geldig_vanaf=date(2026, 11, 1))
    ingelezen_tot(deelname, PEILDATUM)
    assert signalen_bijwerken(peildatum=PEILDATUM, deelnames=[andere]) == 1
    assert list(Signaal.objects.values_list("deelname", flat=True)) == [andere.pk]


# --- handling ------------------------------------------------------------------------------------


def test_handling_a_signal(deelname):
    signaal = Signaal.objects.create(deelname=deelname, soort=SignaalSoort.NEGATIEF_SALDO, periode=date(2026, 11, 1))
    beheerder = BudgetbeheerderFactory()
    with pytest.raises(ValidationError):
        signaal_afhandelen(actor=beheerder, signaal=signaal, toelichting="   ")
    signaal = signaal_afhandelen(actor=beheerder, signaal=signaal, toelichting="Buffer aangevuld")
    assert (signaal.status, signaal.afgehandeld_door, signaal.toelichting) == (
        SignaalStatus.AFGEHANDELD, beheerder, "Buffer aangevuld"
    )
    assert signaal.afgehandeld_op is not None
    with pytest.raises(ValidationError):
        signaal_afhandelen(actor=beheerder, signaal=signaal, toelichting="nogmaals")
    regel_ = AuditRegel.objects.get(object_type="signaal")
    assert (regel_.object_id, regel_.huishouden_id, regel_.details["toelichting_lengte"]) == (
        str(signaal.pk), deelname.huishouden_id, 16
    )


def test_daily_task_and_its_schedule(deelname):
    from perspectief.celery import app
    from perspectief.huishoudboekje.tasks import SIGNALEN_SCHEDULE_NAME, signalen_dagelijks

    uitkering(deelname, geldig_vanaf=date(2026, 11, 1))
    ingelezen_tot(deelname, PEILDATUM)
    assert signalen_dagelijks.apply(kwargs={"peildatum": "2026-11-23"}).get() == 1
    assert signalen_dagelijks.apply(kwargs={"peildatum": "2026-11-23"}).get() == 0
    regels = AuditRegel.objects.filter(object_type="signalen_bijwerken").order_by("volgnummer")
    assert [r.details for r in regels] == [
        {"peildatum": "2026-11-23", "nieuw": 1},
        {"peildatum": "2026-11-23", "nieuw": 0},
    ]
    schema = app.conf.beat_schedule[SIGNALEN_SCHEDULE_NAME]
    assert schema["task"] == "perspectief.huishoudboekje.tasks.signalen_dagelijks"
    assert (schema["schedule"].hour, schema["schedule"].minute) == ({6}, {15})


def test_an_impossible_schedule_skips_that_afspraak_only(deelname, caplog):
    kapot = uitkering(deelname, geldig_vanaf=date(2026, 11, 1), dag=0)
    uitkering(deelname, geldig_vanaf=date(2026, 11, 1))
    ingelezen_tot(deelname, PEILDATUM)
    assert signalen_bijwerken(peildatum=PEILDATUM) == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"huishoudboekje: impossible schedule on Afspraak {kapot.pk}, no signals"
    ]
