"""The budget (budget.py): balance, open payments, reservations, buffer, leefgeld, and the
monthly overview. Every amount below is worked out by hand in the test's comments."""

import datetime
import itertools
from decimal import Decimal

import pytest

from perspectief.huishoudboekje.budget import MaandRij, Reservering, maandoverzicht, overzicht
from perspectief.huishoudboekje.constants import (
    BetalingSoort,
    BetalingStatus,
    Frequentie,
    JournaalSoort,
    LeefgeldFrequentie,
    Richting,
    Rubriek,
)
from perspectief.huishoudboekje.grootboek import Regel, boeken, huishoudrekening, systeemrekeningen, terugdraaien
from perspectief.huishoudboekje.models import Betaling

from .factories import AfspraakFactory, DeelnameFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MAANDAG = D(2026, 3, 2)  # a Monday; the Fridays after it are 6, 13 and 20 March
_e2e = itertools.count(1)


def _boek(deelname, bedrag: str, datum: datetime.date, rubriek: str = "", soort=JournaalSoort.HANDMATIG):
    """Money in (positive ``bedrag``) or out (negative) of the household, against the bank."""
    bank, _ = systeemrekeningen(deelname.tussenrekening)
    huishouden = huishoudrekening(deelname)
    waarde = Decimal(bedrag)
    return boeken(
        gemeente=deelname.tussenrekening.gemeente,
        soort=soort,
        datum=datum,
        regels=[Regel(rekening=bank, bedrag=waarde), Regel(rekening=huishouden, bedrag=-waarde, rubriek=rubriek)],
    )


def _betaling(deelname, termijn, bedrag: str, *, afspraak=None, status=BetalingStatus.GEPLAND):
    return Betaling.objects.create(
        deelname=deelname,
        afspraak=afspraak,
        soort=BetalingSoort.VASTE_LAST if afspraak else BetalingSoort.LEEFGELD,
        termijn=termijn,
        uitvoerdatum=termijn,
        bedrag=Decimal(bedrag),
        tegenrekening_iban="NL20INGB0001234567",
        tegenpartij_naam="Ontvanger",
        end_to_end_id=f"E2E{next(_e2e)}",
        status=status,
    )


@pytest.fixture
def wekelijks():
    """Weekly leefgeld on Friday (dag 4), a buffer of 50, 1500.00 on the account."""
    deelname = DeelnameFactory(leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=4, buffer=Decimal("50.00"))
    _boek(deelname, "1500.00", D(2026, 2, 25), Rubriek.UITKERING)
    return deelname


def test_weekly_leefgeld_after_open_payments_reservations_and_buffer(wekelijks, django_assert_num_queries):
    deelname = wekelijks
    verzekering = AfspraakFactory(deelname=deelname, rubriek=Rubriek.ZORGVERZEKERING, bedrag=Decimal("120.00"), dag=10)
    energie = AfspraakFactory(deelname=deelname, rubriek=Rubriek.ENERGIE, bedrag=Decimal("95.50"), dag=13)
    AfspraakFactory(deelname=deelname, rubriek=Rubriek.WATER, bedrag=Decimal("30.00"), dag=14)  # after 13 March
    AfspraakFactory(deelname=deelname, bedrag=Decimal("700.00"), dag=11, betalen=False)  # the household pays it
    # The next income is on 12 March: fixed costs are reserved up to and including that day.
    AfspraakFactory(deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.LOON, bedrag=Decimal("900.00"), dag=12)
    # Energie's 13 March term is planned already: counted as an open payment, not reserved.
    _betaling(deelname, D(2026, 3, 13), "95.50", afspraak=energie)
    # Done and cancelled payments are not open.
    _betaling(deelname, D(2026, 2, 13), "95.50", afspraak=energie, status=BetalingStatus.UITGEVOERD)
    _betaling(deelname, D(2026, 2, 10), "120.00", afspraak=verzekering, status=BetalingStatus.GEANNULEERD)

    with django_assert_num_queries(3):
        budget = overzicht(deelname=deelname, peildatum=MAANDAG)

    assert budget.tegoed == Decimal("1500.00")
    assert budget.open_betalingen == Decimal("95.50")
    assert budget.reserveringen == (Reservering(verzekering, D(2026, 3, 10), Decimal("120.00")),)
    assert budget.gereserveerd == Decimal("120.00")
    assert budget.buffer == Decimal("50.00")
    # 1500.00 - 95.50 - 120.00 - 50.00
    assert budget.beschikbaar == Decimal("1234.50")
    assert (budget.volgende_leefgeld_datum, budget.volgend_inkomen_datum, budget.reserveren_tot) == (
        D(2026, 3, 6),
        D(2026, 3, 12),
        D(2026, 3, 12),
    )
    # One Friday (6 March) before the income of 12 March; rounded down to whole euros.
    assert budget.leefgeld_termijnen_tot_inkomen == 1
    assert budget.leefgeld_bedrag == Decimal("1234.00")


def test_a_planned_leefgeld_moves_the_next_date_on_and_is_not_counted_again(wekelijks):
    """No income afspraak: income is assumed on 1 April, the first of the month after the
    next unpaid Friday (13 March). The paid 6 March is not one of the terms to share by."""
    deelname = wekelijks
    water = AfspraakFactory(deelname=deelname, rubriek=Rubriek.WATER, bedrag=Decimal("30.00"), dag=14)
    _betaling(deelname, D(2026, 3, 6), "400.00", status=BetalingStatus.IN_BATCH)
    budget = overzicht(deelname=deelname, peildatum=MAANDAG)
    assert (budget.volgende_leefgeld_datum, budget.volgend_inkomen_datum, budget.reserveren_tot) == (
        D(2026, 3, 13),
        None,
        D(2026, 4, 1),
    )
    assert budget.reserveringen == (Reservering(water, D(2026, 3, 14), Decimal("30.00")),)
    # 1500.00 - 400.00 - 30.00 - 50.00 = 1020.00 over 13, 20 and 27 March: 340.00 each.
    assert (budget.beschikbaar, budget.leefgeld_termijnen_tot_inkomen) == (Decimal("1020.00"), 3)
    assert budget.leefgeld_bedrag == Decimal("340.00")


def test_monthly_leefgeld_on_day_31_reserves_rent_on_day_31_in_february():
    """Leefgeld and rent both on 'the 31st': in February that is the 28th (schema.py). No
    income afspraak: income is assumed on 1 March, so February's rent is reserved and the
    one leefgeld term gets the rest."""
    deelname = DeelnameFactory(leefgeld_frequentie=LeefgeldFrequentie.MAAND, leefgeld_dag=31)
    huur = AfspraakFactory(deelname=deelname, bedrag=Decimal("650.00"), dag=31)
    _boek(deelname, "2000.99", D(2026, 1, 30), Rubriek.UITKERING)
    budget = overzicht(deelname=deelname, peildatum=D(2026, 2, 1))
    assert (budget.volgende_leefgeld_datum, budget.reserveren_tot) == (D(2026, 2, 28), D(2026, 3, 1))
    assert budget.reserveringen == (Reservering(huur, D(2026, 2, 28), Decimal("650.00")),)
    # 2000.99 - 650.00 = 1350.99 for one term; the 0.99 stays on the account.
    assert (budget.beschikbaar, budget.leefgeld_termijnen_tot_inkomen) == (Decimal("1350.99"), 1)
    assert budget.leefgeld_bedrag == Decimal("1350.00")


def test_not_enough_money_gives_no_leefgeld_and_a_negative_available_amount(wekelijks):
    deelname = wekelijks
    AfspraakFactory(deelname=deelname, bedrag=Decimal("1460.25"), dag=9)
    budget = overzicht(deelname=deelname, peildatum=MAANDAG)
    # 1500.00 - 1460.25 - 50.00
    assert (budget.beschikbaar, budget.leefgeld_bedrag) == (Decimal("-10.25"), Decimal("0.00"))
    assert budget.volgende_leefgeld_datum == D(2026, 3, 6)


def test_an_amount_below_one_euro_is_no_leefgeld(wekelijks):
    deelname = wekelijks
    AfspraakFactory(deelname=deelname, bedrag=Decimal("1449.01"), dag=9)
    budget = overzicht(deelname=deelname, peildatum=MAANDAG)
    assert (budget.beschikbaar, budget.leefgeld_bedrag) == (Decimal("0.99"), Decimal("0.00"))


def test_no_leefgeld_after_the_end_and_reservations_until_the_end(wekelijks):
    deelname = wekelijks
    deelname.einddatum = D(2026, 3, 4)  # a Wednesday: no Friday left
    deelname.save()
    op_de_derde = AfspraakFactory(deelname=deelname, bedrag=Decimal("200.00"), dag=3)
    AfspraakFactory(deelname=deelname, bedrag=Decimal("120.00"), dag=10)  # after the end
    budget = overzicht(deelname=deelname, peildatum=MAANDAG)
    assert (budget.volgende_leefgeld_datum, budget.reserveren_tot) == (None, D(2026, 3, 4))
    assert budget.reserveringen == (Reservering(op_de_derde, D(2026, 3, 3), Decimal("200.00")),)
    # 1500.00 - 200.00 - 50.00, but no leefgeld without a term.
    assert (budget.beschikbaar, budget.leefgeld_bedrag) == (Decimal("1250.00"), Decimal("0.00"))
    assert budget.leefgeld_termijnen_tot_inkomen == 0


def test_an_end_before_the_assumed_income_limits_the_reservations_and_the_terms(wekelijks):
    deelname = wekelijks
    deelname.einddatum = D(2026, 3, 10)
    deelname.save()
    verzekering = AfspraakFactory(deelname=deelname, bedrag=Decimal("120.00"), dag=10)
    AfspraakFactory(deelname=deelname, bedrag=Decimal("99.00"), dag=11)
    budget = overzicht(deelname=deelname, peildatum=MAANDAG)
    assert (budget.volgende_leefgeld_datum, budget.reserveren_tot) == (D(2026, 3, 6), D(2026, 3, 10))
    assert budget.reserveringen == (Reservering(verzekering, D(2026, 3, 10), Decimal("120.00")),)
    # 1500.00 - 120.00 - 50.00 for the last Friday (6 March) of the participation.
    assert budget.leefgeld_termijnen_tot_inkomen == 1
    assert budget.leefgeld_bedrag == Decimal("1330.00")


def test_a_household_without_ledger_account_has_nothing():
    deelname = DeelnameFactory(leefgeld_dag=0)
    budget = overzicht(deelname=deelname, peildatum=MAANDAG)
    assert (budget.tegoed, budget.beschikbaar, budget.leefgeld_bedrag, budget.volgende_leefgeld_datum) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        MAANDAG,
    )


# --- monthly overview --------------------------------------------------------------------------


def test_monthly_overview_per_rubriek_with_balances(django_assert_num_queries):
    deelname = DeelnameFactory()
    _boek(deelname, "200.00", D(2025, 12, 20), Rubriek.OVERIG_INKOMEN)  # before the window
    _boek(deelname, "1500.00", D(2026, 1, 25), Rubriek.UITKERING)
    _boek(deelname, "-650.00", D(2026, 2, 1), Rubriek.HUUR)
    _boek(deelname, "1500.00", D(2026, 2, 25), Rubriek.UITKERING)
    toeslag = _boek(deelname, "100.00", D(2026, 2, 26), Rubriek.TOESLAGEN, soort=JournaalSoort.MATCH)
    terugdraaien(journaalpost=toeslag, door=None, datum=D(2026, 3, 2))  # wrongly matched, undone in March
    _boek(deelname, "-650.00", D(2026, 3, 1), Rubriek.HUUR)
    _boek(deelname, "-12.34", D(2026, 3, 3))  # no rubriek
    _boek(deelname, "999.00", D(2026, 3, 20), Rubriek.LOON)  # after 'tot'

    with django_assert_num_queries(3):
        rijen = maandoverzicht(deelname=deelname, tot=D(2026, 3, 15), maanden=3)

    assert rijen == [
        MaandRij(
            maand=D(2026, 1, 1),
            begin_tegoed=Decimal("200.00"),
            eind_tegoed=Decimal("1700.00"),
            inkomen=Decimal("1500.00"),
            uitgaven=Decimal("0.00"),
            per_rubriek={Rubriek.UITKERING: Decimal("1500.00")},
            in_per_rubriek={Rubriek.UITKERING: Decimal("1500.00")},
            uit_per_rubriek={},
        ),
        MaandRij(
            maand=D(2026, 2, 1),
            begin_tegoed=Decimal("1700.00"),
            # 1700.00 + 1500.00 + 100.00 - 650.00
            eind_tegoed=Decimal("2650.00"),
            inkomen=Decimal("1600.00"),
            uitgaven=Decimal("650.00"),
            per_rubriek={
                Rubriek.HUUR: Decimal("-650.00"),
                Rubriek.TOESLAGEN: Decimal("100.00"),
                Rubriek.UITKERING: Decimal("1500.00"),
            },
            in_per_rubriek={Rubriek.TOESLAGEN: Decimal("100.00"), Rubriek.UITKERING: Decimal("1500.00")},
            uit_per_rubriek={Rubriek.HUUR: Decimal("650.00")},
        ),
        MaandRij(
            maand=D(2026, 3, 1),
            begin_tegoed=Decimal("2650.00"),
            # The undone toeslag lowers March's income: 2650.00 - 100.00 - 650.00 - 12.34
            eind_tegoed=Decimal("1887.66"),
            inkomen=Decimal("-100.00"),
            uitgaven=Decimal("662.34"),
            per_rubriek={
                "": Decimal("-12.34"),
                Rubriek.HUUR: Decimal("-650.00"),
                Rubriek.TOESLAGEN: Decimal("-100.00"),
            },
            in_per_rubriek={Rubriek.TOESLAGEN: Decimal("-100.00")},
            uit_per_rubriek={"": Decimal("12.34"), Rubriek.HUUR: Decimal("650.00")},
        ),
    ]
    # The end balance of the last month is the balance up to 'tot': everything but the 999.00.
    rekening = huishoudrekening(deelname)
    assert rijen[-1].eind_tegoed == rekening.tegoed - Decimal("999.00")


def test_monthly_overview_without_bookings_is_all_zero():
    deelname = DeelnameFactory()
    rijen = maandoverzicht(deelname=deelname, tot=D(2026, 2, 10), maanden=2)
    assert [(rij.maand, rij.begin_tegoed, rij.eind_tegoed, rij.inkomen, rij.uitgaven) for rij in rijen] == [
        (D(2026, 1, 1), 0, 0, 0, 0),
        (D(2026, 2, 1), 0, 0, 0, 0),
    ]
    assert maandoverzicht(deelname=deelname, tot=D(2026, 2, 10), maanden=0) == []
    # Twelve months back crosses the year.
    assert maandoverzicht(deelname=deelname, tot=D(2026, 2, 10), maanden=12)[0].maand == D(2025, 3, 1)


def test_weekly_frequency_afspraak_is_reserved_every_week(wekelijks):
    deelname = wekelijks
    boodschappen = AfspraakFactory(
        deelname=deelname, rubriek=Rubriek.OVERIGE_UITGAVEN, frequentie=Frequentie.WEEK, dag=2, bedrag=Decimal("10.00")
    )
    budget = overzicht(deelname=deelname, peildatum=MAANDAG)
    # Every Wednesday up to and including the assumed income on 1 April.
    assert budget.reserveringen == tuple(
        Reservering(boodschappen, dag, Decimal("10.00"))
        for dag in (D(2026, 3, 4), D(2026, 3, 11), D(2026, 3, 18), D(2026, 3, 25), D(2026, 4, 1))
    )
