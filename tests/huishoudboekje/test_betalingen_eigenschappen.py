"""Property test of payment planning: whatever the schedules and however the planning
runs overlap (several runs over windows that overlap, repeated, with payments cancelled
or refused in between), every term of every paid expense in the planned period has
exactly one active payment, none outside it, each on a bank day no later than its term
(unless that day had passed), and the end-to-end ids are unique."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspectief.contrib.bankformaten import is_execution_day
from perspectief.huishoudboekje.betalingen import betalingen_plannen
from perspectief.huishoudboekje.constants import BETALING_ACTIEF, BetalingSoort, BetalingStatus, Frequentie
from perspectief.huishoudboekje.models import Betaling
from perspectief.huishoudboekje.schema import afspraak_termijnen

from .factories import AfspraakFactory, DeelnameFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

BEGIN = date(2026, 12, 1)


class _Terug(Exception):
    """Rolls an example back so the next one starts empty."""


schema_ = st.one_of(
    st.tuples(st.just(Frequentie.MAAND), st.integers(1, 31), st.just(1)),
    st.tuples(st.just(Frequentie.WEEK), st.integers(0, 6), st.just(1)),
    st.tuples(st.just(Frequentie.KWARTAAL), st.integers(1, 31), st.integers(1, 12)),
    st.tuples(st.just(Frequentie.JAAR), st.integers(1, 31), st.integers(1, 12)),
    st.tuples(st.just(Frequentie.EENMALIG), st.just(1), st.just(1)),
)
afspraak_ = st.tuples(schema_, st.integers(0, 200), st.none() | st.integers(0, 400))  # schedule, start, end offset
run_ = st.tuples(st.integers(0, 300), st.integers(0, 120))  # planning date offset, horizon in days
ingreep_ = st.sampled_from(["niets", "annuleren", "weigeren"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(afspraken=st.lists(afspraak_, min_size=1, max_size=4), runs=st.lists(st.tuples(run_, ingreep_), min_size=1,
                                                                               max_size=5))
def test_every_term_once_whatever_the_runs(afspraken, runs):
    # No ledger account, so no leefgeld: this is about the fixed costs.
    try:
        with transaction.atomic():
            _speel(afspraken, runs)
            raise _Terug
    except _Terug:
        pass


def _speel(afspraken, runs) -> None:
    rekening = TussenrekeningFactory()
    deelname = DeelnameFactory(tussenrekening=rekening, startdatum=BEGIN)
    gemaakt = []
    for (frequentie, dag, maand), start, einde in afspraken:
        vanaf = BEGIN + timedelta(days=start)
        gemaakt.append(
            AfspraakFactory(
                deelname=deelname, organisatie__gemeente=rekening.gemeente, frequentie=frequentie, dag=dag,
                maand=maand, geldig_vanaf=vanaf,
                geldig_tot=None if einde is None else vanaf + timedelta(days=einde),
            )
        )
    gepland: set[tuple[int, date]] = set()  # (afspraak, term) that should have an active payment
    for (offset, horizon), ingreep in runs:
        peildatum = BEGIN + timedelta(days=offset)
        tot = peildatum + timedelta(days=horizon)
        aantal_voor = Betaling.objects.filter(status__in=BETALING_ACTIEF).count()
        nieuw = betalingen_plannen(tussenrekening=rekening, peildatum=peildatum, tot=tot)
        assert Betaling.objects.filter(status__in=BETALING_ACTIEF).count() == aantal_voor + nieuw
        assert betalingen_plannen(tussenrekening=rekening, peildatum=peildatum, tot=tot) == 0
        for afspraak in gemaakt:
            gepland.update((afspraak.pk, t) for t in afspraak_termijnen(afspraak, peildatum, tot))
        eerste = Betaling.objects.filter(status=BetalingStatus.GEPLAND).order_by("pk").first()
        if eerste is not None and ingreep != "niets":
            # Cancelled or refused: the term is free until a later run covers it again.
            status = BetalingStatus.GEANNULEERD if ingreep == "annuleren" else BetalingStatus.GEWEIGERD
            Betaling.objects.filter(pk=eerste.pk).update(status=status)
            gepland.discard((eerste.afspraak_id, eerste.termijn))

    actief = list(
        Betaling.objects.filter(status__in=BETALING_ACTIEF, soort=BetalingSoort.VASTE_LAST).values_list(
            "afspraak_id", "termijn", "uitvoerdatum", "end_to_end_id"
        )
    )
    sleutels = [(a, t) for a, t, _u, _e in actief]
    assert len(sleutels) == len(set(sleutels))  # never two active payments for a term
    assert set(sleutels) == gepland  # every covered term, none outside
    assert len({e for *_x, e in actief}) == len(actief)
    for _a, termijn, uitvoerdatum, _e in actief:
        # A bank day: the one before the term, or (when that had passed when it was
        # planned) the first one from the planning date; TARGET2 closes 4 days at most.
        assert is_execution_day(uitvoerdatum)
        assert abs(uitvoerdatum - termijn) <= timedelta(days=4)
