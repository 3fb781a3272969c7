"""On PostgreSQL, a change of an afspraak and the daily planning run at the same moment
(two connections) end with the planned payment holding the NEW values: the change's UPDATE
locks the afspraak row and betalingen_plannen reads the afspraken FOR NO KEY UPDATE in its
insert transaction, so the two take turns (betalingen._afspraken_vergrendeld).

Each test holds one side's transaction open at the dangerous moment, waits until
pg_stat_activity shows the other side waiting for a lock, and only then lets the first
commit. Without the run's lock the first test ends with the old amount and the second
with a payment for the old term (checked by removing the lock)."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from perspectief.huishoudboekje import deelname as services
from perspectief.huishoudboekje.betalingen import betalingen_plannen
from perspectief.huishoudboekje.constants import BETALING_ACTIEF
from perspectief.huishoudboekje.models import Betaling

from ..core.required_services import require_postgresql
from .factories import AfspraakFactory, DeelnameFactory
from .test_betalingen_hulp import VANDAAG, vast_vandaag  # noqa: F401  (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# As in test_betalingen_afspraak_wijzigen.py: the window is 23 Nov .. 7 Dec 2026, so a rent
# on the 1st has one term in it, Tuesday 1 December.
DAGEN = 14
TOT = VANDAAG + timedelta(days=DAGEN)
WACHTEN = 15  # seconds; only reached when something is wrong


class Kant(threading.Thread):
    """One side of the race on its own connection: records its backend pid, runs ``werk``,
    keeps the result or the error (a thread cannot fail the test itself)."""

    def __init__(self, werk):
        super().__init__(daemon=True)
        self.werk = werk
        self.pid: int | None = None
        self.bekend = threading.Event()
        self.resultaat = None
        self.fout: BaseException | None = None

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.bekend.set()
            self.resultaat = self.werk()
        except BaseException as fout:
            self.fout = fout
        finally:
            self.bekend.set()
            connections.close_all()


def wacht_op_slot(kant: Kant) -> bool:
    """True once ``kant``'s connection waits for a lock; False when it finished without."""
    assert kant.bekend.wait(WACHTEN)
    einde = time.monotonic() + WACHTEN
    while time.monotonic() < einde:
        if not kant.is_alive():
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [kant.pid])
            rij = cursor.fetchone()
        if rij and rij[0] == "Lock":
            return True
        time.sleep(0.02)
    raise AssertionError("the other side neither waited for a lock nor finished")


def open_houden(werk, klaar: threading.Event, los: threading.Event):
    """``werk`` in a transaction that stays open (its locks held) until ``los``."""

    def houden():
        with transaction.atomic():
            resultaat = werk()
            klaar.set()
            assert los.wait(WACHTEN)
            return resultaat

    return houden


@pytest.fixture(autouse=True)
def venster(settings, vast_vandaag):  # noqa: F811  (fixture)
    require_postgresql()
    settings.HUISHOUDBOEKJE_PLANNEN_DAGEN = DAGEN


@pytest.fixture
def huur():
    # Nothing planned yet, and no money on the ledger account (so no leefgeld).
    deelname = DeelnameFactory()
    return AfspraakFactory(deelname=deelname, organisatie__gemeente=deelname.tussenrekening.gemeente)


def plannen(afspraak) -> int:
    return betalingen_plannen(tussenrekening=afspraak.deelname.tussenrekening, peildatum=VANDAAG, tot=TOT)


def wijzigen(afspraak, **velden):
    return services.afspraak_wijzigen(actor=None, deelname=afspraak.deelname, afspraak=afspraak, **velden)


def actief(afspraak) -> list[tuple[date, Decimal]]:
    return list(
        Betaling.objects.filter(afspraak=afspraak, status__in=BETALING_ACTIEF)
        .order_by("termijn")
        .values_list("termijn", "bedrag")
    )


def test_a_change_during_the_run_replaces_the_runs_payment(huur):
    """The reported race: the run has inserted the term with the old amount and not
    committed; the change must not cancel around it and then give way to it."""
    gepland, los = threading.Event(), threading.Event()
    run = Kant(open_houden(lambda: plannen(huur), gepland, los))
    run.start()
    assert gepland.wait(WACHTEN), run.fout
    wijziging = Kant(lambda: wijzigen(huur, bedrag="700.00"))
    wijziging.start()

    assert wacht_op_slot(wijziging)  # the change waits for the run's transaction
    los.set()
    run.join(WACHTEN)
    wijziging.join(WACHTEN)

    assert (run.fout, wijziging.fout) == (None, None)
    assert actief(huur) == [(date(2026, 12, 1), Decimal("700.00"))]
    assert run.resultaat == 1
    resultaat = wijziging.resultaat  # it cancelled the run's payment and planned its own
    assert (resultaat.betalingen_geannuleerd, resultaat.betalingen_gepland) == (1, 1)


@pytest.mark.parametrize(
    ("velden", "verwacht"),
    [
        ({"bedrag": "700.00"}, [(date(2026, 12, 1), Decimal("700.00"))]),
        ({"dag": 3}, [(date(2026, 12, 3), Decimal("650.00"))]),  # a moved day: not the old term
        ({"betalen": False}, []),  # no longer paid by us: nothing from the old values
    ],
)
def test_a_run_during_a_change_plans_with_the_new_values(huur, velden, verwacht):
    """The run starts while the change is not committed yet: it must wait and then read the
    new values, not plan from the old ones."""
    gewijzigd, los = threading.Event(), threading.Event()
    wijziging = Kant(open_houden(lambda: wijzigen(huur, **velden), gewijzigd, los))
    wijziging.start()
    assert gewijzigd.wait(WACHTEN), wijziging.fout
    run = Kant(lambda: plannen(huur))
    run.start()

    gewacht = wacht_op_slot(run)
    los.set()
    wijziging.join(WACHTEN)
    run.join(WACHTEN)

    assert (wijziging.fout, run.fout) == (None, None)
    assert actief(huur) == verwacht
    assert run.resultaat == 0  # the change planned everything already
    assert gewacht  # because the run waited for the change


def test_a_run_and_a_change_one_after_the_other_still_work(huur):
    assert plannen(huur) == 1
    wijzigen(huur, bedrag="700.00")
    assert plannen(huur) == 0
    assert actief(huur) == [(date(2026, 12, 1), Decimal("700.00"))]
