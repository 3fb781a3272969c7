"""The bulk budget (budget.overzichten): many households in a constant number of queries,
each with exactly the budget that overzicht gives it alone.

``overzicht`` is ``overzichten`` for one household, so what these tests guard is that
households computed together do not see each other's money, afspraken or payments, also
across the rounds of ``PER_KEER`` households. The population below varies everything
the budget reads: leefgeld weekly and monthly, with and without income, buffer, an
einddatum, planned, sent, done and cancelled payments, a ledger account or none."""

import datetime
import itertools
from decimal import Decimal

import pytest

from perspectief.huishoudboekje import budget as budget_module
from perspectief.huishoudboekje.budget import overzicht, overzichten
from perspectief.huishoudboekje.constants import (
    BetalingSoort,
    BetalingStatus,
    Frequentie,
    JournaalSoort,
    LeefgeldFrequentie,
    Richting,
    Rubriek,
)
from perspectief.huishoudboekje.grootboek import Regel, boeken, huishoudrekening, systeemrekeningen

from .factories import AfspraakFactory, DeelnameFactory

pytestmark = pytest.mark.django_db

D = datetime.date
_e2e = itertools.count(1)
PEILDATUMS = [D(2026, 2, 26), D(2026, 3, 2), D(2026, 3, 13), D(2026, 3, 31)]


def _boek(deelname, bedrag: str, datum: datetime.date):
    bank, _ = systeemrekeningen(deelname.tussenrekening)
    waarde = Decimal(bedrag)
    boeken(
        gemeente=deelname.tussenrekening.gemeente,
        soort=JournaalSoort.HANDMATIG,
        datum=datum,
        regels=[
            Regel(rekening=bank, bedrag=waarde),
            Regel(rekening=huishoudrekening(deelname), bedrag=-waarde, rubriek=Rubriek.UITKERING),
        ],
    )


def _betaling(deelname, termijn, bedrag: str, *, afspraak=None, status=BetalingStatus.GEPLAND):
    from perspectief.huishoudboekje.models import Betaling

    return Betaling.objects.create(
        deelname=deelname,
        afspraak=afspraak,
        soort=BetalingSoort.VASTE_LAST if afspraak else BetalingSoort.LEEFGELD,
        termijn=termijn,
        uitvoerdatum=termijn,
        bedrag=Decimal(bedrag),
        tegenrekening_iban="NL20INGB0001234567",
        tegenpartij_naam="Ontvanger",
        end_to_end_id=f"BULK{next(_e2e)}",
        status=status,
    )


# (leefgeld frequency, leefgeld day, buffer, tegoed or None for no ledger account,
#  income day or None, einddatum, rent day, extra)
BEVOLKING = [
    (LeefgeldFrequentie.WEEK, 4, "50.00", "1500.00", 25, None, 1, ""),
    (LeefgeldFrequentie.WEEK, 0, "0.00", "820.37", 12, None, 28, "huur_gepland"),
    (LeefgeldFrequentie.MAAND, 31, "100.00", "2400.00", 24, None, 31, "leefgeld_gepland"),
    (LeefgeldFrequentie.WEEK, 2, "25.00", "300.00", None, None, 15, "verzonden_en_uitgevoerd"),
    (LeefgeldFrequentie.MAAND, 1, "0.00", "950.00", None, D(2026, 3, 20), 10, "geannuleerd"),
    (LeefgeldFrequentie.WEEK, 4, "0.00", "40.00", 5, None, 3, ""),  # not enough: no leefgeld
    (LeefgeldFrequentie.WEEK, 3, "10.00", None, 25, None, 1, ""),  # no ledger account
    (LeefgeldFrequentie.WEEK, 4, "0.00", "1200.00", 25, D(2026, 2, 27), 1, ""),  # ends early
    (LeefgeldFrequentie.MAAND, 15, "0.00", "3000.00", 1, None, 20, "kwartaal"),
]


@pytest.fixture
def bevolking():
    deelnames = []
    for frequentie, dag, buffer, tegoed, inkomen, einde, huurdag, extra in BEVOLKING:
        deelname = DeelnameFactory(
            leefgeld_frequentie=frequentie, leefgeld_dag=dag, buffer=Decimal(buffer), einddatum=einde
        )
        huur = AfspraakFactory(deelname=deelname, bedrag=Decimal("612.34"), dag=huurdag)
        AfspraakFactory(deelname=deelname, rubriek=Rubriek.ENERGIE, bedrag=Decimal("95.50"), dag=huurdag % 28 + 1)
        AfspraakFactory(deelname=deelname, bedrag=Decimal("700.00"), dag=5, betalen=False)  # paid by the household
        if inkomen is not None:
            AfspraakFactory(
                deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.UITKERING, bedrag=Decimal("1400.00"),
                dag=inkomen,
            )
        if tegoed is not None:
            _boek(deelname, tegoed, D(2026, 2, 20))
        if extra == "huur_gepland":
            _betaling(deelname, D(2026, 2, 28), "612.34", afspraak=huur)
            _betaling(deelname, D(2026, 3, 28), "612.34", afspraak=huur)
        elif extra == "leefgeld_gepland":
            _betaling(deelname, D(2026, 2, 28), "400.00")  # monthly day 31 in February
        elif extra == "verzonden_en_uitgevoerd":
            _betaling(deelname, D(2026, 3, 15), "612.34", afspraak=huur, status=BetalingStatus.VERZONDEN)
            _betaling(deelname, D(2026, 2, 15), "612.34", afspraak=huur, status=BetalingStatus.UITGEVOERD)
            _betaling(deelname, D(2026, 3, 4), "30.00", status=BetalingStatus.UITGEVOERD)  # done, term still ahead
        elif extra == "geannuleerd":
            _betaling(deelname, D(2026, 3, 10), "612.34", afspraak=huur, status=BetalingStatus.GEANNULEERD)
            _betaling(deelname, D(2026, 3, 1), "50.00", status=BetalingStatus.GEWEIGERD)
        elif extra == "kwartaal":
            AfspraakFactory(deelname=deelname, rubriek=Rubriek.WATER, bedrag=Decimal("88.00"), dag=10,
                            frequentie=Frequentie.KWARTAAL, maand=3)
        deelnames.append(deelname)
    return deelnames


@pytest.mark.parametrize("peildatum", PEILDATUMS)
def test_every_household_gets_the_budget_it_gets_alone(bevolking, peildatum):
    alleen = {deelname.pk: overzicht(deelname=deelname, peildatum=peildatum) for deelname in bevolking}
    assert overzichten(deelnames=bevolking, peildatum=peildatum) == alleen
    # The population is varied enough to mean something: some get leefgeld, some not,
    # some have reservations, open payments or no next leefgeld term.
    budgetten = list(alleen.values())
    assert any(b.leefgeld_bedrag > 0 for b in budgetten) and any(b.leefgeld_bedrag == 0 for b in budgetten)
    assert any(b.reserveringen for b in budgetten)
    if peildatum <= D(2026, 3, 13):
        assert any(b.open_betalingen > 0 for b in budgetten)


def test_rounds_of_households_give_the_same_budgets(bevolking, monkeypatch, django_assert_num_queries):
    peildatum = D(2026, 3, 2)
    samen = overzichten(deelnames=bevolking, peildatum=peildatum)
    monkeypatch.setattr(budget_module, "PER_KEER", 2)
    with django_assert_num_queries(3 * 5):  # nine households, two per round: five rounds of three queries
        in_rondes = overzichten(deelnames=list(reversed(bevolking)), peildatum=peildatum)
    assert in_rondes == samen


def test_the_number_of_queries_does_not_grow_with_the_households(bevolking, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert len(overzichten(deelnames=bevolking, peildatum=D(2026, 3, 2))) == len(bevolking)
    with django_assert_num_queries(3):
        assert len(overzichten(deelnames=bevolking[:1], peildatum=D(2026, 3, 2))) == 1


def test_no_households_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert overzichten(deelnames=[], peildatum=D(2026, 3, 2)) == {}


def test_a_known_household_in_the_crowd(bevolking):
    """The first household, by hand: tegoed 1500.00, buffer 50.00, income 1400.00 on the
    25th, rent 612.34 on the 1st and energy 95.50 on the 2nd. On Monday 2 March the next
    income is 25 March; from 2 up to and including 25 March only energy's term of 2 March
    falls, so it is reserved. Free: 1500.00 - 95.50 - 50.00 = 1354.50, over the Fridays
    6, 13 and 20 March: 451.50, rounded down to 451.00."""
    eerste = overzichten(deelnames=bevolking, peildatum=D(2026, 3, 2))[bevolking[0].pk]
    assert [(r.termijn, r.bedrag) for r in eerste.reserveringen] == [(D(2026, 3, 2), Decimal("95.50"))]
    assert (eerste.beschikbaar, eerste.leefgeld_termijnen_tot_inkomen, eerste.leefgeld_bedrag) == (
        Decimal("1354.50"),
        3,
        Decimal("451.00"),
    )
