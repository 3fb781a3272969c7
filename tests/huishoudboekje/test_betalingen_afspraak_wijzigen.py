"""Changing an afspraak replaces its planned payments (deelname.afspraak_wijzigen and
betalingen.afspraak_plannen): new values for payments not in a batch yet, nothing
touched in a batch, nothing cancelled for a change that payments do not depend on."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import deelname as services
from perspectief.huishoudboekje.betalingen import (
    afspraak_plannen,
    batch_afkeuren,
    batch_voorbereiden,
    betaling_annuleren,
    betalingen_plannen,
)
from perspectief.huishoudboekje.constants import BetalingStatus, Frequentie, Richting
from perspectief.huishoudboekje.models import Afspraak, Betaling

from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory
from .test_betalingen_hulp import VANDAAG, vast_vandaag  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# VANDAAG is Monday 23 November 2026; with 14 days ahead the daily run plans 23 Nov .. 7 Dec,
# so a rent on the 1st has one term in the window: Tuesday 1 December (a bank day).
DAGEN = 14
TOT = VANDAAG + timedelta(days=DAGEN)
NIEUW_IBAN = "NL91ABNA0417164300"  # the ABN AMRO example IBAN (valid check digits)


@pytest.fixture(autouse=True)
def venster(settings, vast_vandaag):  # noqa: F811  (fixture)
    settings.HUISHOUDBOEKJE_PLANNEN_DAGEN = DAGEN


@pytest.fixture
def deelname():
    # No ledger account with money on it, so the planning plans no leefgeld.
    return DeelnameFactory()


@pytest.fixture
def huur(deelname) -> Afspraak:
    return AfspraakFactory(deelname=deelname, organisatie__gemeente=deelname.tussenrekening.gemeente)


def plannen(deelname, peildatum=VANDAAG, tot=TOT) -> int:
    """The daily run for this household's account."""
    return betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=peildatum, tot=tot)


def geplande(afspraak) -> list[Betaling]:
    return list(Betaling.objects.filter(afspraak=afspraak, status=BetalingStatus.GEPLAND).order_by("termijn"))


def wijzigen(afspraak, **velden) -> services.AfspraakWijziging:
    return services.afspraak_wijzigen(actor=None, deelname=afspraak.deelname, afspraak=afspraak, **velden)


def laatste_audit(afspraak) -> dict:
    return AuditRegel.objects.filter(object_type=services.OBJECT_AFSPRAAK, object_id=str(afspraak.pk)).latest(
        "volgnummer"
    ).details


def test_a_new_amount_and_iban_replace_the_planned_payment(deelname, huur):
    assert plannen(deelname) == 1
    oud = Betaling.objects.get(afspraak=huur)

    wijziging = wijzigen(huur, bedrag="700.00", tegenrekening_iban=NIEUW_IBAN)

    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland, wijziging.betalingen_in_batch) == (1, 1, 0)
    oud.refresh_from_db()
    assert oud.status == BetalingStatus.GEANNULEERD
    [nieuw] = geplande(huur)
    assert (nieuw.termijn, nieuw.uitvoerdatum, nieuw.bedrag, nieuw.tegenrekening_iban) == (
        date(2026, 12, 1),
        date(2026, 12, 1),
        Decimal("700.00"),
        NIEUW_IBAN,
    )
    assert nieuw.end_to_end_id != oud.end_to_end_id
    assert laatste_audit(huur) == {
        "velden": ["bedrag", "tegenrekening_iban"],
        "betalingen_geannuleerd": 1,
        "betalingen_gepland": 1,
        "betalingen_in_batch": 0,
    }


def test_name_description_and_reference_follow_the_change(deelname, huur):
    plannen(deelname)
    # Betaalvereniging reference 1000001234567894 (check digit worked out in test_deelname.py).
    wijzigen(huur, organisatie_naam="Woonstad Utrecht", omschrijving="Huur en servicekosten", betalingskenmerk="1000001234567894")
    [nieuw] = geplande(huur)
    assert (nieuw.tegenpartij_naam, nieuw.omschrijving, nieuw.betalingskenmerk) == (
        "Woonstad Utrecht",
        "Huur en servicekosten",
        "1000001234567894",
    )


def test_a_payment_in_a_prepared_batch_is_not_touched(deelname, huur):
    plannen(deelname)
    beheerder = BudgetbeheerderFactory()
    batch = batch_voorbereiden(actor=beheerder, tussenrekening=deelname.tussenrekening, uitvoerdatum=date(2026, 12, 1))
    [in_batch] = Betaling.objects.filter(afspraak=huur)

    wijziging = wijzigen(huur, bedrag="700.00")

    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland, wijziging.betalingen_in_batch) == (0, 0, 1)
    assert list(Betaling.objects.filter(afspraak=huur)) == [in_batch]
    in_batch.refresh_from_db()
    assert (in_batch.status, in_batch.batch_id, in_batch.bedrag) == (BetalingStatus.IN_BATCH, batch.pk, Decimal("650.00"))

    # The documented way out: refuse the batch and cancel the payment; the daily run plans
    # the term with the new amount.
    batch_afkeuren(actor=beheerder, batch=batch, reden="Huur is verhoogd")
    in_batch.refresh_from_db()
    betaling_annuleren(actor=beheerder, betaling=in_batch)
    assert plannen(deelname) == 1
    assert [b.bedrag for b in geplande(huur)] == [Decimal("700.00")]


@pytest.mark.parametrize(
    "velden",
    [
        {"zoektermen": ["huur bakker"]},
        {"marge_dagen": 7},
        {"marge_bedrag": "10.00"},
        {"alarm": False},
    ],
)
def test_a_change_payments_do_not_depend_on_cancels_nothing(deelname, huur, velden):
    plannen(deelname)
    [voor] = geplande(huur)

    wijziging = wijzigen(huur, **velden)

    assert wijziging.velden == tuple(velden)
    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland) == (0, 0)
    assert geplande(huur) == [voor]
    assert not Betaling.objects.filter(afspraak=huur).exclude(pk=voor.pk).exists()
    assert laatste_audit(huur) == {"velden": list(velden)}


def test_saving_the_same_values_cancels_nothing(deelname, huur):
    plannen(deelname)
    [voor] = geplande(huur)
    wijziging = wijzigen(huur, bedrag="650", tegenrekening_iban=huur.tegenrekening_iban)
    assert wijziging.velden == ()
    assert geplande(huur) == [voor]


def test_ending_earlier_cancels_the_later_terms(deelname, huur):
    plannen(deelname)
    wijziging = wijzigen(huur, geldig_tot=date(2026, 11, 30))
    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland) == (1, 0)
    assert geplande(huur) == []


def test_afspraak_beeindigen_still_cancels_only_later_terms(deelname):
    # Weekly on Monday: 23 and 30 November, 7 December in the window.
    week = AfspraakFactory(
        deelname=deelname, organisatie__gemeente=deelname.tussenrekening.gemeente, frequentie=Frequentie.WEEK, dag=0
    )
    assert plannen(deelname) == 3
    services.afspraak_beeindigen(actor=None, afspraak=week, geldig_tot=date(2026, 11, 30))
    assert [b.termijn for b in geplande(week)] == [date(2026, 11, 23), date(2026, 11, 30)]
    assert laatste_audit(week) == {"velden": ["geldig_tot"], "betalingen_geannuleerd": 1}


def test_moving_the_day_plans_the_new_term_and_cancels_the_old_one(deelname, huur):
    plannen(deelname)
    [oud] = geplande(huur)

    wijziging = wijzigen(huur, dag=3)

    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland) == (1, 1)
    oud.refresh_from_db()
    assert (oud.termijn, oud.status) == (date(2026, 12, 1), BetalingStatus.GEANNULEERD)
    assert [(b.termijn, b.uitvoerdatum) for b in geplande(huur)] == [(date(2026, 12, 3), date(2026, 12, 3))]


def test_planning_again_plans_nothing(deelname, huur):
    plannen(deelname)
    wijzigen(huur, bedrag="700.00")
    huur.refresh_from_db()
    assert afspraak_plannen(afspraak=huur, peildatum=VANDAAG, tot=TOT) == 0
    assert plannen(deelname) == 0
    assert len(geplande(huur)) == 1


def test_a_change_plans_terms_that_were_not_planned_yet(deelname, huur):
    # Nothing planned before the change: it plans what the daily run would plan.
    wijziging = wijzigen(huur, bedrag="700.00")
    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland) == (0, 1)
    assert [(b.termijn, b.bedrag) for b in geplande(huur)] == [(date(2026, 12, 1), Decimal("700.00"))]


def test_an_overdue_planned_payment_is_replaced_but_a_cancelled_past_term_stays_cancelled(deelname):
    # Weekly on Monday; planned on 9 November up to 16 November (9 and 16 Nov), the payment
    # of 9 November cancelled by hand, the one of 16 November not sent yet (overdue).
    week = AfspraakFactory(
        deelname=deelname, organisatie__gemeente=deelname.tussenrekening.gemeente, frequentie=Frequentie.WEEK, dag=0
    )
    assert plannen(deelname, peildatum=date(2026, 11, 9), tot=date(2026, 11, 16)) == 2
    betaling_annuleren(actor=None, betaling=Betaling.objects.get(afspraak=week, termijn=date(2026, 11, 9)))
    assert plannen(deelname) == 3  # 23 and 30 November, 7 December

    wijziging = wijzigen(week, bedrag="25.00")

    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland) == (4, 4)
    assert [(b.termijn, b.uitvoerdatum, b.bedrag) for b in geplande(week)] == [
        (date(2026, 11, 16), VANDAAG, Decimal("25.00")),  # overdue: first bank day from today
        (date(2026, 11, 23), date(2026, 11, 23), Decimal("25.00")),
        (date(2026, 11, 30), date(2026, 11, 30), Decimal("25.00")),
        (date(2026, 12, 7), date(2026, 12, 7), Decimal("25.00")),
    ]
    assert not Betaling.objects.filter(afspraak=week, termijn=date(2026, 11, 9)).exclude(
        status=BetalingStatus.GEANNULEERD
    ).exists()


def test_turning_payment_off_or_into_income_cancels_and_plans_nothing(deelname, huur):
    plannen(deelname)
    wijziging = wijzigen(huur, betalen=False)
    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland) == (1, 0)
    assert geplande(huur) == []
    wijziging = wijzigen(huur, richting=Richting.INKOMEN, betalen=False)
    assert (wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland) == (0, 0)


def test_afspraak_opslaan_still_returns_the_afspraak(deelname, huur):
    plannen(deelname)
    assert services.afspraak_opslaan(actor=None, deelname=deelname, afspraak=huur, bedrag="700.00") == huur
    assert [b.bedrag for b in geplande(huur)] == [Decimal("700.00")]
