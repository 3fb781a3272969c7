"""On PostgreSQL, payments stay single when people and workers act at the same moment:
planning the same terms, preparing batches and approving one batch from several
connections at once."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Count, Sum

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import betalingen
from perspectief.huishoudboekje.betalingen import batch_goedkeuren, batch_voorbereiden, betalingen_plannen
from perspectief.huishoudboekje.constants import BatchStatus, BetalingSoort, BetalingStatus, Frequentie
from perspectief.huishoudboekje.grootboek import huishoudrekening
from perspectief.huishoudboekje.models import Betaalbatch, Betaling, Rekening

from ..core.required_services import require_postgresql
from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, TussenrekeningFactory
from .test_betalingen_hulp import VANDAAG, vast_vandaag  # noqa: F401  (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 4
DEELNAMES = 12
TOT = date(2027, 4, 30)


def tegelijk(werk, argumenten) -> tuple[list, list[BaseException]]:
    """Runs ``werk(argument)`` in one thread per argument, all starting at the same moment."""
    start = threading.Barrier(len(argumenten))
    resultaten: list = []
    fouten: list[BaseException] = []

    def draai(argument) -> None:
        try:
            start.wait(timeout=30)
            resultaten.append(werk(argument))
        except BaseException as fout:  # collected: a thread cannot fail the test itself
            fouten.append(fout)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draai, args=(a,)) for a in argumenten]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return resultaten, fouten


@pytest.fixture
def rekening_met_afspraken(monkeypatch):
    require_postgresql()
    monkeypatch.setattr(
        betalingen, "_leefgeld_bedragen", lambda *, deelnames, peildatum: {d.pk: Decimal("50.00") for d in deelnames}
    )
    rekening = TussenrekeningFactory()
    for _ in range(DEELNAMES):
        deelname = DeelnameFactory(tussenrekening=rekening)
        huishoudrekening(deelname)
        Rekening.objects.filter(deelname=deelname).update(saldo=Decimal("-2000.00"))  # tegoed 2,000.00
        organisatie = {"organisatie__gemeente": rekening.gemeente}
        AfspraakFactory(deelname=deelname, **organisatie)  # monthly on the 1st: 5 terms to 30 April
        AfspraakFactory(deelname=deelname, dag=31, bedrag=Decimal("80.10"), **organisatie)  # 6 terms
        AfspraakFactory(deelname=deelname, frequentie=Frequentie.WEEK, dag=2, bedrag=Decimal("12.00"), **organisatie)
    return rekening


VERWACHT_PER_DEELNAME = 5 + 6 + 23 + 1  # rent, day 31, Wednesdays 25 Nov..28 Apr, next leefgeld


def test_planning_at_the_same_moment_plans_each_term_once(rekening_met_afspraken):
    aantallen, fouten = tegelijk(
        lambda _n: betalingen_plannen(tussenrekening=rekening_met_afspraken, peildatum=VANDAAG, tot=TOT),
        range(THREADS),
    )
    assert fouten == []
    totaal = DEELNAMES * VERWACHT_PER_DEELNAME
    assert Betaling.objects.count() == totaal
    assert sum(aantallen) == totaal  # every payment counted by the one run that stored it
    dubbel = (
        Betaling.objects.values("deelname", "afspraak", "soort", "termijn").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert list(dubbel) == []
    assert Betaling.objects.filter(soort=BetalingSoort.LEEFGELD).count() == DEELNAMES
    assert connection.vendor == "postgresql"


def test_preparing_at_the_same_moment_puts_every_payment_in_one_batch(rekening_met_afspraken, vast_vandaag):
    gepland = betalingen_plannen(tussenrekening=rekening_met_afspraken, peildatum=VANDAAG, tot=TOT)
    beheerders = [BudgetbeheerderFactory() for _ in range(THREADS)]
    batches, fouten = tegelijk(
        lambda beheerder: batch_voorbereiden(
            actor=beheerder, tussenrekening=rekening_met_afspraken, uitvoerdatum=date(2027, 4, 30)
        ),
        beheerders,
    )
    # The ones that came too late found nothing left and made no batch.
    assert all(isinstance(f, ValidationError) and f.code == "leeg" for f in fouten)
    assert len(batches) + len(fouten) == THREADS
    assert Betaalbatch.objects.count() == len(batches) >= 1
    assert Betaling.objects.filter(batch=None).count() == 0
    assert set(Betaling.objects.values_list("status", flat=True)) == {BetalingStatus.IN_BATCH}
    assert sum(b.aantal for b in batches) == gepland
    for batch in Betaalbatch.objects.annotate(n=Count("betalingen"), som=Sum("betalingen__bedrag")):
        assert (batch.aantal, batch.totaal) == (batch.n, batch.som)


def test_approving_at_the_same_moment_approves_once(rekening_met_afspraken, vast_vandaag):
    betalingen_plannen(tussenrekening=rekening_met_afspraken, peildatum=VANDAAG, tot=TOT)
    batch = batch_voorbereiden(
        actor=BudgetbeheerderFactory(), tussenrekening=rekening_met_afspraken, uitvoerdatum=date(2027, 4, 30)
    )
    goedgekeurd, fouten = tegelijk(
        lambda beheerder: batch_goedkeuren(actor=beheerder, batch=batch),
        [BudgetbeheerderFactory() for _ in range(THREADS)],
    )
    assert len(goedgekeurd) == 1
    assert len(fouten) == THREADS - 1
    assert all(isinstance(f, ValidationError) and f.code == "status" for f in fouten)
    batch.refresh_from_db()
    assert (batch.status, batch.goedgekeurd_door_id, batch.sha256) == (
        BatchStatus.GOEDGEKEURD,
        goedgekeurd[0].goedgekeurd_door_id,
        goedgekeurd[0].sha256,
    )
    assert bytes(batch.bestand) == bytes(goedgekeurd[0].bestand)
    goedkeuringen = AuditRegel.objects.filter(object_type="betaalbatch", object_id=str(batch.pk), actie="wijzigen")
    assert goedkeuringen.count() == 1
    assert set(Betaling.objects.values_list("status", flat=True)) == {BetalingStatus.VERZONDEN}
