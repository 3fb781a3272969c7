"""Property test of the ledger (issue 5, "Reliability"): any sequence of the ledger's flows
— importing a bank line (open, or matched to a household at once), matching an open line,
booking between households and categories, undoing a booking — keeps every saldo equal to
the sum of its mutations and to an independent model, the total over all accounts at
zero (no money created or lost), and ``controleren()`` empty."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspectief.huishoudboekje.constants import JournaalSoort, Richting, TransactieStatus
from perspectief.huishoudboekje.grootboek import (
    Regel,
    boeken,
    categorierekening,
    controleren,
    huishoudrekening,
    systeemrekeningen,
    terugdraaien,
)
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Mutatie, Rekening

from .factories import DeelnameFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

DAG = datetime.date(2026, 4, 1)
HUISHOUDENS = 3
_kenmerken = itertools.count(1)

centen = st.integers(min_value=1, max_value=250_000)
stap = st.one_of(
    st.tuples(st.just("inlezen"), st.sampled_from(list(Richting)), centen, st.none() | st.integers(0, HUISHOUDENS - 1)),
    st.tuples(st.just("matchen"), st.integers(0, 50), st.integers(0, HUISHOUDENS - 1)),
    st.tuples(st.just("overboeken"), st.integers(0, HUISHOUDENS), st.integers(0, HUISHOUDENS), centen),
    st.tuples(st.just("ongedaan"), st.integers(0, 50)),
)


class _Terug(Exception):
    """Rolls an example back so the next one starts from an empty ledger."""


def _cent(aantal: int) -> Decimal:
    return (Decimal(aantal) / 100).quantize(Decimal("0.01"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stappen=st.lists(stap, min_size=1, max_size=25))
def test_any_sequence_of_flows_keeps_the_ledger_right(stappen):
    try:
        with transaction.atomic():
            _speel(stappen)
            raise _Terug
    except _Terug:
        pass


def _speel(stappen) -> None:
    tussenrekening = TussenrekeningFactory()
    gemeente = tussenrekening.gemeente
    bestand = Bankbestand.objects.create(tussenrekening=tussenrekening, sha256="b" * 64, bestandsnaam="p.xml")
    bank, onverdeeld = systeemrekeningen(tussenrekening)
    deelnames = [DeelnameFactory(tussenrekening=tussenrekening) for _ in range(HUISHOUDENS)]
    huishoudens = [huishoudrekening(deelname) for deelname in deelnames]
    # Index HUISHOUDENS in "overboeken" is the gemeente's category.
    potjes = [*huishoudens, categorierekening(gemeente=gemeente, naam="Bankkosten")]
    verwacht: dict[int, Decimal] = {rekening.pk: Decimal("0.00") for rekening in [bank, onverdeeld, *potjes]}
    # Bookings that may be undone, each with the bank line it moved out of ONVERDEELD (if any).
    ongedaan_te_maken: list[tuple] = []

    def boek(soort, regels):
        post = boeken(gemeente=gemeente, soort=soort, datum=DAG, regels=regels)
        for regel in regels:
            verwacht[regel.rekening.pk] += regel.bedrag
        return post

    for actie, *args in stappen:
        if actie == "inlezen":
            richting, aantal, doel = args
            bedrag = _cent(aantal)
            teken = 1 if richting == Richting.INKOMEN else -1
            lijn = Banktransactie.objects.create(
                tussenrekening=tussenrekening,
                bankbestand=bestand,
                kenmerk=f"p{next(_kenmerken)}",
                boekdatum=DAG,
                richting=richting,
                bedrag=bedrag,
                status=TransactieStatus.OPEN if doel is None else TransactieStatus.GEBOEKT,
                deelname=None if doel is None else deelnames[doel],
            )
            tegen = onverdeeld if doel is None else huishoudens[doel]
            boek(
                JournaalSoort.AFSCHRIFT,
                [Regel(rekening=bank, bedrag=teken * bedrag), Regel(rekening=tegen, bedrag=-teken * bedrag, banktransactie=lijn)],
            )
        elif actie == "matchen":
            welke, doel = args
            open_lijnen = list(Banktransactie.objects.filter(status=TransactieStatus.OPEN).order_by("pk"))
            if not open_lijnen:
                continue
            lijn = open_lijnen[welke % len(open_lijnen)]
            teken = 1 if lijn.richting == Richting.INKOMEN else -1
            post = boek(
                JournaalSoort.MATCH,
                [
                    Regel(rekening=onverdeeld, bedrag=teken * lijn.bedrag, banktransactie=lijn),
                    Regel(rekening=huishoudens[doel], bedrag=-teken * lijn.bedrag, banktransactie=lijn),
                ],
            )
            Banktransactie.objects.filter(pk=lijn.pk).update(status=TransactieStatus.GEBOEKT, deelname=deelnames[doel])
            ongedaan_te_maken.append((post, lijn))
        elif actie == "overboeken":
            van, naar, aantal = args
            if van == naar:
                continue
            post = boek(
                JournaalSoort.HANDMATIG,
                [Regel(rekening=potjes[van], bedrag=_cent(aantal)), Regel(rekening=potjes[naar], bedrag=-_cent(aantal))],
            )
            ongedaan_te_maken.append((post, None))
        else:
            (welke,) = args
            if not ongedaan_te_maken:
                continue
            post, lijn = ongedaan_te_maken.pop(welke % len(ongedaan_te_maken))
            terug = terugdraaien(journaalpost=post, door=None, datum=DAG)
            for mutatie in terug.mutaties.all():
                verwacht[mutatie.rekening_id] += mutatie.bedrag
            if lijn is not None:
                Banktransactie.objects.filter(pk=lijn.pk).update(status=TransactieStatus.OPEN, deelname=None)
            with pytest.raises(ValueError, match="al teruggedraaid"):
                terugdraaien(journaalpost=post, door=None, datum=DAG)

    saldi = dict(Rekening.objects.values_list("pk", "saldo"))
    assert saldi == verwacht
    # Summed in Python: SQLite adds decimals as floats.
    sommen: dict[int, Decimal] = {}
    for pk, bedrag in Mutatie.objects.values_list("rekening_id", "bedrag"):
        sommen[pk] = sommen.get(pk, Decimal("0.00")) + bedrag
    assert {pk: sommen.get(pk, Decimal("0.00")) for pk in saldi} == saldi
    assert sum(saldi.values()) == 0
    assert controleren() == []
