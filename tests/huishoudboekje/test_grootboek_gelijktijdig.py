"""The ledger under concurrent writers (PostgreSQL) and in transactional tests (both
databases: the test flush must get past the append-only triggers)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connections

from perspectief.huishoudboekje.constants import JournaalSoort
from perspectief.huishoudboekje.grootboek import (
    Regel,
    boeken,
    categorierekening,
    controleren,
    systeemrekeningen,
    terugdraaien,
)
from perspectief.huishoudboekje.models import Journaalpost, Rekening

from ..core.required_services import require_postgresql
from ..factories import GemeenteFactory
from .factories import TussenrekeningFactory

DAG = datetime.date(2026, 5, 1)
REKENINGEN = 40
POSTEN = 15


def _parallel(werk, aantal: int) -> list[BaseException]:
    start = threading.Barrier(aantal)
    fouten: list[BaseException] = []

    def draai(nummer: int) -> None:
        try:
            start.wait(timeout=30)
            werk(nummer)
        except BaseException as fout:  # reported by the test; a thread cannot fail it itself
            fouten.append(fout)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draai, args=(nummer,)) for nummer in range(aantal)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return fouten


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_books_and_is_flushed_afterwards():
    """Runs on both databases; its teardown flush (TRUNCATE or DELETE) has to lift the
    append-only triggers, which tests/conftest.py does."""
    gemeente = GemeenteFactory()
    a = categorierekening(gemeente=gemeente, naam="A")
    b = categorierekening(gemeente=gemeente, naam="B")
    boeken(
        gemeente=gemeente,
        soort=JournaalSoort.CATEGORIE,
        datum=DAG,
        regels=[Regel(rekening=a, bedrag=Decimal("1.00")), Regel(rekening=b, bedrag=Decimal("-1.00"))],
    )
    assert Journaalpost.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bookings_over_the_same_accounts_in_opposite_orders_do_not_deadlock():
    """Each thread lists the accounts in another order; boeken locks them in pk order, so
    no two bookings wait for each other in a circle (PostgreSQL would abort one with a
    deadlock error)."""
    require_postgresql()
    gemeente = GemeenteFactory()
    rekeningen = [categorierekening(gemeente=gemeente, naam=f"R{nummer}") for nummer in range(REKENINGEN)]

    def werk(nummer: int) -> None:
        volgorde = rekeningen if nummer % 2 == 0 else list(reversed(rekeningen))
        for _ in range(POSTEN):
            regels = [Regel(rekening=rekening, bedrag=Decimal("1.00")) for rekening in volgorde[:-1]]
            regels.append(Regel(rekening=volgorde[-1], bedrag=Decimal(-(REKENINGEN - 1)).quantize(Decimal("0.01"))))
            boeken(gemeente=gemeente, soort=JournaalSoort.HANDMATIG, datum=DAG, regels=regels)

    assert _parallel(werk, 4) == []
    saldi = dict(Rekening.objects.values_list("naam", "saldo"))
    # Threads 0 and 2 credit R39, threads 1 and 3 credit R0: 2 x 15 x 39 each; the others
    # get 1.00 from all 60 postings.
    assert saldi["R0"] == Decimal("30.00") - Decimal("1170.00")
    assert saldi[f"R{REKENINGEN - 1}"] == Decimal("30.00") - Decimal("1170.00")
    assert {saldi[f"R{nummer}"] for nummer in range(1, REKENINGEN - 1)} == {Decimal("60.00")}
    assert controleren() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_reversals_of_one_booking_book_once():
    require_postgresql()
    gemeente = GemeenteFactory()
    a = categorierekening(gemeente=gemeente, naam="A")
    b = categorierekening(gemeente=gemeente, naam="B")
    post = boeken(
        gemeente=gemeente,
        soort=JournaalSoort.CATEGORIE,
        datum=DAG,
        regels=[Regel(rekening=a, bedrag=Decimal("12.34")), Regel(rekening=b, bedrag=Decimal("-12.34"))],
    )
    gelukt: list[int] = []

    def werk(_nummer: int) -> None:
        gelukt.append(terugdraaien(journaalpost=post, door=None, datum=DAG).pk)

    fouten = _parallel(werk, 4)
    assert len(gelukt) == 1
    assert len(fouten) == 3
    assert all(isinstance(fout, ValueError) and "al teruggedraaid" in str(fout) for fout in fouten)
    assert dict(Rekening.objects.values_list("naam", "saldo")) == {"A": Decimal("0.00"), "B": Decimal("0.00")}
    assert controleren() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_system_accounts_created_at_the_same_time_exist_once():
    require_postgresql()
    tussenrekening = TussenrekeningFactory()
    gevonden: list[tuple[int, int]] = []

    def werk(_nummer: int) -> None:
        bank, onverdeeld = systeemrekeningen(tussenrekening)
        gevonden.append((bank.pk, onverdeeld.pk))

    assert _parallel(werk, 4) == []
    assert len(set(gevonden)) == 1
    assert Rekening.objects.filter(tussenrekening=tussenrekening).count() == 2
