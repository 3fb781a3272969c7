"""Planning with the real budget asks it once for all households (budget.overzichten):
the number of queries does not grow with the number of households, and every planned
leefgeld is the amount the budget gives that household alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perspectief.huishoudboekje import budget
from perspectief.huishoudboekje.betalingen import betalingen_plannen
from perspectief.huishoudboekje.constants import BetalingSoort, LeefgeldFrequentie
from perspectief.huishoudboekje.models import Betaling

from .factories import AfspraakFactory, DeelnameFactory, TussenrekeningFactory
from .test_betalingen import met_tegoed
from .test_betalingen_hulp import VANDAAG

pytestmark = pytest.mark.django_db

TOT = date(2026, 12, 4)  # Friday: rent of 1 December and leefgeld of the next Friday


def _huishoudens(rekening, aantal: int, *, begin: int = 0):
    """Households with weekly leefgeld on Friday, rent 650.00 on the 1st and, per
    household, a different tegoed (so the amounts differ)."""
    uit = []
    for i in range(begin, begin + aantal):
        deelname = DeelnameFactory(tussenrekening=rekening, leefgeld_frequentie=LeefgeldFrequentie.WEEK,
                                   leefgeld_dag=4, buffer=Decimal("25.00"))
        AfspraakFactory(deelname=deelname, organisatie__gemeente=rekening.gemeente, bedrag=Decimal("650.00"), dag=1)
        met_tegoed(deelname, f"{900 + 37 * i}.55")
        uit.append(deelname)
    return uit


def _plannen_telt_queries(rekening) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        aantal = betalingen_plannen(tussenrekening=rekening, peildatum=VANDAAG, tot=TOT)
    return aantal, len(queries)


def test_planning_leefgeld_for_more_households_takes_no_more_queries():
    rekening = TussenrekeningFactory()
    weinig = _huishoudens(rekening, 2)
    aantal, bij_twee = _plannen_telt_queries(rekening)
    assert aantal == 4  # rent and leefgeld each
    Betaling.objects.all().delete()
    _huishoudens(rekening, 6, begin=2)
    aantal, bij_acht = _plannen_telt_queries(rekening)
    assert aantal == 16
    assert bij_acht == bij_twee
    assert weinig[0].pk in set(Betaling.objects.values_list("deelname_id", flat=True))


def test_every_planned_leefgeld_is_what_the_budget_gives_that_household_alone():
    rekening = TussenrekeningFactory()
    deelnames = _huishoudens(rekening, 5)
    # What each household's budget says once its rent is planned (the planning run plans
    # the rent first and then asks the budget), one household at a time.
    betalingen_plannen(tussenrekening=rekening, peildatum=VANDAAG, tot=TOT)
    gepland = dict(
        Betaling.objects.filter(soort=BetalingSoort.LEEFGELD).values_list("deelname_id", "bedrag")
    )
    Betaling.objects.filter(soort=BetalingSoort.LEEFGELD).delete()
    alleen = {d.pk: budget.overzicht(deelname=d, peildatum=VANDAAG).leefgeld_bedrag for d in deelnames}
    assert gepland == alleen
    # By hand for the first: 900.55 - 650.00 (rent planned) - 25.00 buffer = 225.55, one
    # Friday (27 November) before the assumed income of 1 December: 225.00.
    assert gepland[deelnames[0].pk] == Decimal("225.00")
    assert len(set(gepland.values())) == 5
