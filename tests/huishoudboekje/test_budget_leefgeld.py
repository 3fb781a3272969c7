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
from perspectief.huishoudboekje.budget import Reservering, overzicht
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
