"""Leefgeld spread evenly until the next income (budget.overzicht): the free money is
divided by the leefgeld terms before the next expected income, so the first leefgeld
after the income does not take it all. Every amount is worked out by hand in the
comments; weekdays of 2026: 26 February is a Thursday, 27 February a Friday, 25 March a
Wednesday, 25 April a Saturday."""

import datetime
import itertools
from decimal import Decimal

import pytest

from perspectief.huishoudboekje.betalingen import betalingen_plannen
from perspectief.huishoudboekje.budget import Reservering, overzicht, overzichten
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
from perspectief.huishoudboekje.models import Betaling

from .factories import AfspraakFactory, DeelnameFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DONDERDAG = D(2026, 2, 26)  # the day after the income of 25 February
VRIJDAGEN_TOT_25_MAART = [D(2026, 2, 27), D(2026, 3, 6), D(2026, 3, 13), D(2026, 3, 20)]
_e2e = itertools.count(1)


def _boek(deelname, bedrag: str, datum: datetime.date, rubriek: str = Rubriek.UITKERING):
    """Money in (positive ``bedrag``) or out (negative) of the household, against the bank."""
    bank, _ = systeemrekeningen(deelname.tussenrekening)
    waarde = Decimal(bedrag)
    boeken(
        gemeente=deelname.tussenrekening.gemeente,
        soort=JournaalSoort.HANDMATIG,
        datum=datum,
        regels=[Regel(rekening=bank, bedrag=waarde), Regel(rekening=huishoudrekening(deelname), bedrag=-waarde, rubriek=rubriek)],
    )


def _betaling(deelname, termijn, bedrag, *, afspraak=None):
    """A planned payment: leefgeld, or a fixed cost's term when ``afspraak`` is given."""
    return Betaling.objects.create(
        deelname=deelname,
        afspraak=afspraak,
        soort=BetalingSoort.VASTE_LAST if afspraak else BetalingSoort.LEEFGELD,
        termijn=termijn,
        uitvoerdatum=termijn,
        bedrag=Decimal(bedrag),
        tegenrekening_iban=deelname.leefgeld_iban,
        tegenpartij_naam="Ontvanger",
        end_to_end_id=f"E2E{next(_e2e)}",
        status=BetalingStatus.GEPLAND,
    )


def _huishouden(*, frequentie=LeefgeldFrequentie.WEEK, dag=4, buffer="50.00", inkomen=True, tegoed="1500.00"):
    """Leefgeld on Fridays (or monthly), rent 650.00 on the 1st, energy 95.50 on the 15th,
    an uitkering of 1500.00 on the 25th (booked on 25 February)."""
    deelname = DeelnameFactory(leefgeld_frequentie=frequentie, leefgeld_dag=dag, buffer=Decimal(buffer))
    huur = AfspraakFactory(deelname=deelname, bedrag=Decimal("650.00"), dag=1)
    energie = AfspraakFactory(deelname=deelname, rubriek=Rubriek.ENERGIE, bedrag=Decimal("95.50"), dag=15)
    if inkomen:
        AfspraakFactory(
            deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.UITKERING, bedrag=Decimal("1500.00"), dag=25
        )
    _boek(deelname, tegoed, D(2026, 2, 25))
    return deelname, huur, energie


def test_weekly_leefgeld_is_spread_evenly_until_the_income_on_the_25th():
    deelname, huur, energie = _huishouden()
    budget = overzicht(deelname=deelname, peildatum=DONDERDAG)
    assert (budget.volgende_leefgeld_datum, budget.volgend_inkomen_datum, budget.reserveren_tot) == (
        D(2026, 2, 27),
        D(2026, 3, 25),
        D(2026, 3, 25),
    )
    # Every fixed cost before the next income, not only those before the second Friday.
    assert budget.reserveringen == (
        Reservering(huur, D(2026, 3, 1), Decimal("650.00")),
        Reservering(energie, D(2026, 3, 15), Decimal("95.50")),
    )
    # 1500.00 - 650.00 - 95.50 - 50.00 = 704.50 over four Fridays (27 March is after the
    # income): 176.125, rounded down to 176.00. Before this change it was all 704.00.
    assert (budget.beschikbaar, budget.leefgeld_termijnen_tot_inkomen) == (Decimal("704.50"), 4)
    assert budget.leefgeld_bedrag == Decimal("176.00")


def test_every_friday_of_the_month_gets_the_same_and_the_cents_stay():
    """Week by week: each paid leefgeld is an open payment from then on, so the rest is
    shared by the Fridays left: 528.50 / 3, 352.50 / 2, 176.50 / 1 are all 176.00. The
    fixed costs are planned up front, so they stay counted once their term has passed."""
    deelname, huur, energie = _huishouden()
    _betaling(deelname, D(2026, 3, 1), huur.bedrag, afspraak=huur)
    _betaling(deelname, D(2026, 3, 15), energie.bedrag, afspraak=energie)
    assert overzicht(deelname=deelname, peildatum=DONDERDAG).open_betalingen == Decimal("745.50")
    bedragen = []
    for termijn in VRIJDAGEN_TOT_25_MAART:
        budget = overzicht(deelname=deelname, peildatum=termijn - datetime.timedelta(days=1))
        assert budget.volgende_leefgeld_datum == termijn
        bedragen.append(budget.leefgeld_bedrag)
        _betaling(deelname, termijn, budget.leefgeld_bedrag)
    assert bedragen == [Decimal("176.00")] * 4
    # After the last Friday before the income only the 0.50 is free: no leefgeld on
    # 27 March until the income has come in.
    budget = overzicht(deelname=deelname, peildatum=D(2026, 3, 21))
    assert (budget.volgende_leefgeld_datum, budget.leefgeld_termijnen_tot_inkomen) == (D(2026, 3, 27), 1)
    assert (budget.beschikbaar, budget.leefgeld_bedrag) == (Decimal("0.50"), Decimal("0.00"))


def test_planning_week_by_week_pays_four_equal_leefgelden_and_then_five_after_the_income():
    """betalingen_plannen asks the budget for the next term only, one run a week."""
    deelname, _, _ = _huishouden()
    rekening = deelname.tussenrekening
    for peildatum, tot in [
        (D(2026, 2, 26), D(2026, 2, 27)),
        (D(2026, 2, 28), D(2026, 3, 6)),
        (D(2026, 3, 7), D(2026, 3, 13)),
        (D(2026, 3, 14), D(2026, 3, 20)),
    ]:
        betalingen_plannen(tussenrekening=rekening, peildatum=peildatum, tot=tot)
    leefgeld = Betaling.objects.filter(deelname=deelname, soort=BetalingSoort.LEEFGELD).order_by("termijn")
    assert [(b.termijn, b.bedrag) for b in leefgeld] == [(t, Decimal("176.00")) for t in VRIJDAGEN_TOT_25_MAART]

    # The income of 25 March comes in. Open payments: 650.00 + 95.50 + 4 x 176.00 =
    # 1449.50; reserved until 25 April: rent 1 April and energy 15 April, 745.50. Free:
    # 3000.00 - 1449.50 - 745.50 - 50.00 = 755.00 over five Fridays (27 March to 24 April).
    _boek(deelname, "1500.00", D(2026, 3, 25))
    voor = overzicht(deelname=deelname, peildatum=D(2026, 3, 26))
    assert (voor.volgend_inkomen_datum, voor.leefgeld_termijnen_tot_inkomen) == (D(2026, 4, 25), 5)
    assert betalingen_plannen(tussenrekening=rekening, peildatum=D(2026, 3, 26), tot=D(2026, 3, 27)) == 1
    assert (leefgeld.last().termijn, leefgeld.last().bedrag) == (D(2026, 3, 27), Decimal("151.00"))  # 755.00 / 5


def test_monthly_leefgeld_is_one_term_with_the_fixed_costs_until_the_income_reserved():
    deelname, huur, energie = _huishouden(frequentie=LeefgeldFrequentie.MAAND, dag=1, buffer="0.00", tegoed="1500.99")
    budget = overzicht(deelname=deelname, peildatum=DONDERDAG)
    assert (budget.volgende_leefgeld_datum, budget.volgend_inkomen_datum) == (D(2026, 3, 1), D(2026, 3, 25))
    assert budget.reserveringen == (
        Reservering(huur, D(2026, 3, 1), Decimal("650.00")),
        Reservering(energie, D(2026, 3, 15), Decimal("95.50")),
    )
    # 1500.99 - 650.00 - 95.50 = 755.49 for the one term of 1 March.
    assert (budget.beschikbaar, budget.leefgeld_termijnen_tot_inkomen, budget.leefgeld_bedrag) == (
        Decimal("755.49"),
        1,
        Decimal("755.00"),
    )


def test_without_income_afspraak_income_is_assumed_on_the_first_of_the_next_month():
    deelname, huur, _ = _huishouden(inkomen=False)
    # Monday 2 March: Fridays 6, 13, 20 and 27 March before 1 April; the rent of 1 April
    # (the assumed income day itself) is reserved, March's energy too.
    budget = overzicht(deelname=deelname, peildatum=D(2026, 3, 2))
    assert (budget.volgend_inkomen_datum, budget.reserveren_tot, budget.leefgeld_termijnen_tot_inkomen) == (
        None,
        D(2026, 4, 1),
        4,
    )
    assert budget.gereserveerd == Decimal("745.50")
    # 1500.00 - 745.50 - 50.00 = 704.50 / 4 = 176.125
    assert budget.leefgeld_bedrag == Decimal("176.00")

    # Monday 30 March: the next Friday is 3 April, so the month is April: Fridays 3, 10, 17
    # and 24 April, and the rent of 1 April and 1 May plus April's energy are reserved.
    budget = overzicht(deelname=deelname, peildatum=D(2026, 3, 30))
    assert (budget.volgende_leefgeld_datum, budget.reserveren_tot, budget.leefgeld_termijnen_tot_inkomen) == (
        D(2026, 4, 3),
        D(2026, 5, 1),
        4,
    )
    assert [r.termijn for r in budget.reserveringen] == [D(2026, 4, 1), D(2026, 4, 15), D(2026, 5, 1)]
    # 1500.00 - 1395.50 - 50.00 = 54.50 / 4 = 13.625
    assert budget.leefgeld_bedrag == Decimal("13.00")


def test_an_income_that_is_late_is_not_counted_on():
    """The uitkering of 25 March has not come by 26 March: the next income counted on is
    25 April, so everything until then is reserved from what is there."""
    deelname, _, _ = _huishouden(tegoed="220.50")
    budget = overzicht(deelname=deelname, peildatum=D(2026, 3, 26))
    assert budget.volgend_inkomen_datum == D(2026, 4, 25)
    # 220.50 - 650.00 (1 April) - 95.50 (15 April) - 50.00
    assert (budget.beschikbaar, budget.leefgeld_bedrag) == (Decimal("-575.00"), Decimal("0.00"))
    # An income due on the peildatum itself is not counted on either.
    assert overzicht(deelname=deelname, peildatum=D(2026, 3, 25)).volgend_inkomen_datum == D(2026, 4, 25)

    # It comes in a day late: 1720.50 - 745.50 - 50.00 = 925.00 over the Fridays 27 March,
    # 3, 10, 17 and 24 April.
    _boek(deelname, "1500.00", D(2026, 3, 26))
    budget = overzicht(deelname=deelname, peildatum=D(2026, 3, 26))
    assert (budget.beschikbaar, budget.leefgeld_termijnen_tot_inkomen) == (Decimal("925.00"), 5)
    assert budget.leefgeld_bedrag == Decimal("185.00")


@pytest.mark.parametrize(
    ("buffer", "leefgeld"),
    [
        ("0.00", "250.00"),  # 1000.00 / 4
        ("100.00", "225.00"),  # (1000.00 - 100.00) / 4: the buffer comes off before sharing
        ("999.00", "0.00"),  # 1.00 / 4 is less than a euro
        ("1200.00", "0.00"),  # below zero
    ],
)
def test_the_buffer_is_kept_before_the_rest_is_shared(buffer, leefgeld):
    deelname = DeelnameFactory(leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=4, buffer=Decimal(buffer))
    AfspraakFactory(deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.LOON, bedrag=Decimal("1000.00"), dag=25)
    _boek(deelname, "1000.00", D(2026, 2, 25), Rubriek.LOON)
    budget = overzicht(deelname=deelname, peildatum=DONDERDAG)
    assert budget.leefgeld_termijnen_tot_inkomen == 4
    assert budget.leefgeld_bedrag == Decimal(leefgeld)


def test_an_end_before_the_income_shares_by_the_terms_left():
    deelname, huur, _ = _huishouden()
    deelname.einddatum = D(2026, 3, 13)  # a Friday: the last leefgeld
    deelname.save()
    budget = overzicht(deelname=deelname, peildatum=DONDERDAG)
    assert (budget.volgend_inkomen_datum, budget.reserveren_tot) == (D(2026, 3, 25), D(2026, 3, 13))
    # The energy of 15 March is after the end.
    assert budget.reserveringen == (Reservering(huur, D(2026, 3, 1), Decimal("650.00")),)
    # 1500.00 - 650.00 - 50.00 = 800.00 over 27 February, 6 and 13 March: 266.67 -> 266.00
    assert (budget.leefgeld_termijnen_tot_inkomen, budget.leefgeld_bedrag) == (3, Decimal("266.00"))


def test_a_leefgeld_term_after_the_income_takes_what_is_left_of_this_period():
    """Income on Wednesday 25 March comes before the next Friday (27 March): at least one
    term, and only the costs until the income are reserved (the rent of 1 April is paid
    from that income)."""
    deelname, _, _ = _huishouden(tegoed="300.00")
    budget = overzicht(deelname=deelname, peildatum=D(2026, 3, 23))
    assert (budget.volgende_leefgeld_datum, budget.volgend_inkomen_datum, budget.reserveren_tot) == (
        D(2026, 3, 27),
        D(2026, 3, 25),
        D(2026, 3, 25),
    )
    assert (budget.reserveringen, budget.leefgeld_termijnen_tot_inkomen) == ((), 1)
    # 300.00 - 50.00
    assert budget.leefgeld_bedrag == Decimal("250.00")


def test_income_afspraken_that_ended_or_are_one_off_in_the_past_are_no_next_income():
    deelname, _, _ = _huishouden(inkomen=False)
    AfspraakFactory(
        deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.LOON, bedrag=Decimal("900.00"), dag=20,
        geldig_tot=D(2026, 2, 28),
    )
    AfspraakFactory(
        deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.OVERIG_INKOMEN, bedrag=Decimal("85.00"),
        frequentie=Frequentie.EENMALIG, geldig_vanaf=D(2026, 2, 10),
    )
    # A yearly income is looked for up to a year ahead.
    jaarlijks = AfspraakFactory(
        deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.OVERIG_INKOMEN, bedrag=Decimal("300.00"),
        frequentie=Frequentie.JAAR, dag=2, maand=2,
    )
    budget = overzicht(deelname=deelname, peildatum=DONDERDAG)
    assert budget.volgend_inkomen_datum == D(2027, 2, 2)
    jaarlijks.delete()
    budget = overzicht(deelname=deelname, peildatum=DONDERDAG)
    assert (budget.volgend_inkomen_datum, budget.reserveren_tot) == (None, D(2026, 3, 1))


# --- the next MAIN income ------------------------------------------------------------------
# Weekdays of 2026: 1 April is a Wednesday, 3 April a Friday, 4 April a Saturday, 1 May a
# Friday. A main income brings in at least a third of the household's regular income per
# year (weekly x 52, monthly x 12, quarterly x 4); the largest always counts.
APRIL = D(2026, 4, 1)
VRIJDAGEN_APRIL = [D(2026, 4, 3), D(2026, 4, 10), D(2026, 4, 17), D(2026, 4, 24)]


def _inkomen(deelname, bedrag: str, dag: int, *, rubriek=Rubriek.UITKERING, **velden):
    return AfspraakFactory(
        deelname=deelname,
        richting=Richting.INKOMEN,
        rubriek=rubriek,
        bedrag=Decimal(bedrag),
        dag=dag,
        **velden,
    )


def _vrijdag_energie_en_zorg():
    """Leefgeld on Fridays, buffer 50.00, energy 95.50 on the 15th, health insurance
    140.00 on the 25th."""
    deelname = DeelnameFactory(
        leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=4, buffer=Decimal("50.00")
    )
    energie = AfspraakFactory(
        deelname=deelname, rubriek=Rubriek.ENERGIE, bedrag=Decimal("95.50"), dag=15
    )
    zorg = AfspraakFactory(
        deelname=deelname, rubriek=Rubriek.ZORGVERZEKERING, bedrag=Decimal("140.00"), dag=25
    )
    return deelname, energie, zorg


def _bijstand_en_zorgtoeslag():
    """Bijstand 1,200.00 on the 1st (booked on 1 April), zorgtoeslag 120.00 on the 20th,
    leefgeld on Fridays, buffer 50.00; energy 95.50 on the 15th and the health insurance
    140.00 on the 25th, between the zorgtoeslag and the next bijstand."""
    deelname, energie, zorg = _vrijdag_energie_en_zorg()
    _inkomen(deelname, "1200.00", 1)
    _inkomen(deelname, "120.00", 20, rubriek=Rubriek.TOESLAGEN)
    _boek(deelname, "1200.00", APRIL)
    return deelname, energie, zorg


def test_a_small_income_in_between_does_not_cut_the_month_short():
    deelname, energie, zorg = _bijstand_en_zorgtoeslag()
    budget = overzicht(deelname=deelname, peildatum=APRIL)
    # Zorgtoeslag is 1,440.00 of 15,840.00 a year (9 %): the next main income is the
    # bijstand of 1 May, not the zorgtoeslag of 20 April.
    assert (budget.volgend_inkomen_datum, budget.reserveren_tot) == (D(2026, 5, 1), D(2026, 5, 1))
    # The health insurance of 25 April (after the zorgtoeslag) is kept aside too.
    assert budget.reserveringen == (
        Reservering(energie, D(2026, 4, 15), Decimal("95.50")),
        Reservering(zorg, D(2026, 4, 25), Decimal("140.00")),
    )
    # 1200.00 - 95.50 - 140.00 - 50.00 = 914.50 over the Fridays 3, 10, 17 and 24 April:
    # 228.625 -> 228.00. With the zorgtoeslag as horizon it was 1200.00 - 95.50 - 50.00 =
    # 1054.50 over 3, 10 and 17 April: 351.50 -> 351.00, and the last week got 120.00.
    assert (budget.beschikbaar, budget.leefgeld_termijnen_tot_inkomen) == (Decimal("914.50"), 4)
    assert budget.leefgeld_bedrag == Decimal("228.00")


def test_the_small_income_goes_to_the_weeks_left_once_it_is_in():
    """Week by week, with the fixed costs planned up front (open payments) and each
    leefgeld an open payment once paid. Zorgtoeslag comes in on 20 April."""
    deelname, energie, zorg = _bijstand_en_zorgtoeslag()
    _betaling(deelname, D(2026, 4, 15), energie.bedrag, afspraak=energie)
    _betaling(deelname, D(2026, 4, 25), zorg.bedrag, afspraak=zorg)
    bedragen = []
    for termijn in VRIJDAGEN_APRIL:
        if termijn == D(2026, 4, 24):  # the ledger balance counts what is booked
            _boek(deelname, "120.00", D(2026, 4, 20), Rubriek.TOESLAGEN)
        budget = overzicht(deelname=deelname, peildatum=termijn - datetime.timedelta(days=1))
        assert budget.volgende_leefgeld_datum == termijn
        assert budget.volgend_inkomen_datum == D(2026, 5, 1)
        bedragen.append(budget.leefgeld_bedrag)
        _betaling(deelname, termijn, budget.leefgeld_bedrag)
    # Free before the zorgtoeslag: 1200.00 - 235.50 - 50.00 = 914.50.
    # 2 April: 914.50 / 4 = 228.625 -> 228; 9 April: 686.50 / 3 = 228.83 -> 228;
    # 16 April: 458.50 / 2 = 229.25 -> 229; 23 April (zorgtoeslag in): 229.50 + 120.00 =
    # 349.50 / 1 -> 349.
    assert bedragen == [Decimal("228.00"), Decimal("228.00"), Decimal("229.00"), Decimal("349.00")]


def test_two_equal_incomes_still_split_the_month():
    deelname, energie, _ = _vrijdag_energie_en_zorg()
    _inkomen(deelname, "900.00", 1, rubriek=Rubriek.LOON)
    _inkomen(deelname, "900.00", 15, rubriek=Rubriek.LOON)
    _boek(deelname, "900.00", APRIL, Rubriek.LOON)
    budget = overzicht(deelname=deelname, peildatum=APRIL)
    assert (budget.volgend_inkomen_datum, budget.reserveren_tot) == (D(2026, 4, 15), D(2026, 4, 15))
    # Only the energy up to and including 15 April: 900.00 - 95.50 - 50.00 = 754.50 over
    # 3 and 10 April: 377.25 -> 377.00.
    assert budget.reserveringen == (Reservering(energie, D(2026, 4, 15), Decimal("95.50")),)
    assert (budget.leefgeld_termijnen_tot_inkomen, budget.leefgeld_bedrag) == (2, Decimal("377.00"))


@pytest.mark.parametrize(
    ("tweede", "volgend_inkomen", "termijnen"),
    [
        ("450.00", D(2026, 4, 15), 2),  # 450 x 12 = 5,400 is a third of (900 + 450) x 12 = 16,200
        ("449.00", D(2026, 5, 1), 4),  # 449 x 12 = 5,388 < 16,188 / 3 = 5,396
    ],
)
def test_an_income_is_a_main_income_from_a_third_of_the_household_income(
    tweede, volgend_inkomen, termijnen
):
    deelname = DeelnameFactory(leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=4)
    _inkomen(deelname, "900.00", 1, rubriek=Rubriek.LOON)
    _inkomen(deelname, tweede, 15, rubriek=Rubriek.LOON)
    budget = overzicht(deelname=deelname, peildatum=APRIL)
    assert budget.volgend_inkomen_datum == volgend_inkomen
    assert budget.leefgeld_termijnen_tot_inkomen == termijnen


def test_with_only_small_incomes_the_largest_is_the_main_income():
    """Per year: alimentatie 100.00 a month = 1,200; zorgtoeslag 120.00 a month = 1,440;
    kinderbijslag 330.00 a quarter = 1,320; a small job of 28.00 every Saturday = 1,456.
    Total 5,416: none brings in a third (1,805.33), the job is the largest. Were weeks
    counted as four a month (1,344) the zorgtoeslag (20 April) would be the largest; were
    the quarterly amount counted monthly (3,960) the kinderbijslag (1 July)."""
    deelname = DeelnameFactory(leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=4)
    _inkomen(deelname, "100.00", 5, rubriek=Rubriek.OVERIG_INKOMEN)
    _inkomen(deelname, "120.00", 20, rubriek=Rubriek.TOESLAGEN)
    _inkomen(
        deelname, "330.00", 1, rubriek=Rubriek.KINDREGELINGEN, frequentie=Frequentie.KWARTAAL, maand=1
    )
    _inkomen(deelname, "28.00", 5, rubriek=Rubriek.LOON, frequentie=Frequentie.WEEK)
    budget = overzicht(deelname=deelname, peildatum=APRIL)
    assert budget.volgend_inkomen_datum == D(2026, 4, 4)  # the next Saturday
    assert budget.leefgeld_termijnen_tot_inkomen == 1


def test_a_one_off_income_and_a_job_that_starts_later():
    deelname = DeelnameFactory(leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=4)
    _inkomen(deelname, "600.00", 1)
    # A one-off 500.00 on 10 April is no regular income: not the next main income.
    _inkomen(deelname, "500.00", 1, rubriek=Rubriek.OVERIG_INKOMEN, frequentie=Frequentie.EENMALIG,
             geldig_vanaf=D(2026, 4, 10))
    # A job from September is compared with the income of today (600 x 12 = 7,200), not
    # with itself: the bijstand stays a main income. (Compared with 7,200 + 30,000 the
    # bijstand would be 19 % and the horizon 25 September.)
    _inkomen(deelname, "2500.00", 25, rubriek=Rubriek.LOON, geldig_vanaf=D(2026, 9, 1))
    assert overzicht(deelname=deelname, peildatum=APRIL).volgend_inkomen_datum == D(2026, 5, 1)
    # From September on both run: 30,000 and 7,200 of 37,200 a year; the job is the
    # largest and the bijstand is 19 %, so the horizon is the job's 25th.
    september = overzicht(deelname=deelname, peildatum=D(2026, 9, 1))
    assert september.volgend_inkomen_datum == D(2026, 9, 25)


def test_main_incomes_are_the_same_alone_and_in_bulk():
    huishoudens = [_bijstand_en_zorgtoeslag()[0], _huishouden()[0]]
    _inkomen(huishoudens[1], "100.00", 10, rubriek=Rubriek.TOESLAGEN)
    samen = overzichten(deelnames=huishoudens, peildatum=APRIL)
    alleen = {deelname.pk: overzicht(deelname=deelname, peildatum=APRIL) for deelname in huishoudens}
    assert samen == alleen
    # Toeslag 100.00 of 1,500.00 + 100.00 a month: the uitkering of the 25th stays the horizon.
    horizon = [samen[deelname.pk].volgend_inkomen_datum for deelname in huishoudens]
    assert horizon == [D(2026, 5, 1), D(2026, 4, 25)]
