"""Property test (issue 5, "Reliability"): any sequence of imports (open lines, lines
matched to an afspraak, our own payments, their returns, lines seen twice), manual
bookings, bookings on a category and undos never creates or loses money:
``controleren()`` stays empty, the bank balance equals the signed sum of the lines, and
every euro on the bank is owned by exactly one household, category or ONVERDEELD."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspectief.huishoudboekje import grootboek
from perspectief.huishoudboekje.constants import (
    BetalingSoort,
    BetalingStatus,
    RekeningSoort,
    Richting,
    TransactieStatus,
)
from perspectief.huishoudboekje.inlezen import bankbestand_inlezen
from perspectief.huishoudboekje.matching import (
    BoekenGeweigerd,
    handmatig_boeken,
    ongedaan_maken,
    op_categorie_boeken,
)
from perspectief.huishoudboekje.models import Banktransactie, Betaling, Rekening

from ..contrib.bankformaten.builders import camt_document, camt_entry
from .factories import AfspraakFactory, DeelnameFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

IBANS = ("NL20INGB0001234567", "NL91ABNA0417164300")  # the two landlords
VREEMD = "NL93RABO0987654321"
_volgnummer = itertools.count(1)

regel = st.one_of(
    # (kind, household 0/1, cents)
    st.tuples(st.just("vreemd"), st.sampled_from(["CRDT", "DBIT"]), st.integers(1, 100_000)),
    st.tuples(st.just("huur"), st.integers(0, 1)),
    st.tuples(st.just("eigen"), st.integers(0, 1)),
    st.tuples(st.just("retour"), st.integers(0, 1)),
)
stap = st.one_of(
    st.tuples(st.just("inlezen"), st.lists(regel, min_size=1, max_size=4), st.booleans()),
    st.tuples(st.just("handmatig"), st.integers(0, 20), st.integers(0, 1)),
    st.tuples(st.just("categorie"), st.integers(0, 20)),
    st.tuples(st.just("ongedaan"), st.integers(0, 20)),
)


class _Terug(Exception):
    """Rolls an example back so the next one starts from an empty ledger."""


def _entry(r) -> str:
    n = next(_volgnummer)
    if r[0] == "vreemd":
        bedrag = f"{Decimal(r[2]) / 100:.2f}"
        return camt_entry(bedrag, r[1], iban=VREEMD, reference=f"V{n}", end_to_end_id=f"X{n}")
    if r[0] == "huur":
        return camt_entry(
            "650.00",
            "DBIT",
            "2026-02-01",
            iban=IBANS[r[1]],
            reference=f"H{n}",
            end_to_end_id=f"X{n}",
        )
    if r[0] == "eigen":
        return camt_entry(
            "650.00",
            "DBIT",
            "2026-02-02",
            iban=VREEMD,
            reference=f"E{n}",
            end_to_end_id=f"P-{r[1]}",
        )
    return camt_entry(
        "650.00", "CRDT", "2026-02-05", iban=VREEMD, reference=f"R{n}", end_to_end_id=f"P-{r[1]}"
    ).replace("</TxDtls>", "<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls>")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stappen=st.lists(stap, min_size=1, max_size=10))
def test_no_sequence_creates_or_loses_money(stappen):
    try:
        with transaction.atomic():
            _speel(stappen)
            raise _Terug
    except _Terug:
        pass


def _speel(stappen) -> None:
    t = TussenrekeningFactory()
    afspraken = [
        AfspraakFactory(deelname=DeelnameFactory(tussenrekening=t), tegenrekening_iban=iban)
        for iban in IBANS
    ]
    for i, a in enumerate(afspraken):
        Betaling.objects.create(
            deelname=a.deelname,
            afspraak=a,
            soort=BetalingSoort.VASTE_LAST,
            termijn=datetime.date(2026, 2, 1),
            uitvoerdatum=datetime.date(2026, 2, 2),
            bedrag=Decimal("650.00"),
            tegenrekening_iban=VREEMD,
            tegenpartij_naam="W",
            end_to_end_id=f"P-{i}",
            status=BetalingStatus.VERZONDEN,
        )
    vorige = None
    for s in stappen:
        lijnen = list(Banktransactie.objects.order_by("pk"))
        try:
            if s[0] == "inlezen":
                inhoud = (
                    vorige
                    if s[2] and vorige
                    else camt_document(
                        [_entry(r) for r in s[1]], message_id=f"M{next(_volgnummer)}"
                    )
                )
                vorige = inhoud
                bankbestand_inlezen(
                    actor=None, tussenrekening=t, bestandsnaam="a.xml", inhoud=inhoud
                )
            elif not lijnen:
                continue
            elif s[0] == "handmatig":
                handmatig_boeken(
                    actor=None,
                    transactie=lijnen[s[1] % len(lijnen)],
                    deelname=afspraken[s[2]].deelname,
                )
            elif s[0] == "categorie":
                op_categorie_boeken(
                    actor=None, transactie=lijnen[s[1] % len(lijnen)], categorie="Bankkosten"
                )
            else:
                ongedaan_maken(actor=None, transactie=lijnen[s[1] % len(lijnen)])
        except BoekenGeweigerd:
            pass  # refusing (line not open / not booked) is allowed; booking wrongly is not
        _controleer(t)


def _controleer(t) -> None:
    assert grootboek.controleren() == []
    lijnen = list(Banktransactie.objects.filter(tussenrekening=t))
    bank, onverdeeld = grootboek.systeemrekeningen(t)
    getekend = sum(
        (x.bedrag if x.richting == Richting.INKOMEN else -x.bedrag for x in lijnen), Decimal("0.00")
    )
    assert bank.tegoed == getekend
    eigenaren = Rekening.objects.exclude(soort=RekeningSoort.BANK)
    assert sum((r.tegoed for r in eigenaren), Decimal("0.00")) == bank.tegoed
    open_ = sum(
        (
            x.bedrag if x.richting == Richting.INKOMEN else -x.bedrag
            for x in lijnen
            if x.status == TransactieStatus.OPEN
        ),
        Decimal("0.00"),
    )
    assert onverdeeld.tegoed == open_
    # Every booked line is on exactly one owner; our payment is executed at most once.
    for x in lijnen:
        assert (x.status == TransactieStatus.GEBOEKT) == (
            x.deelname_id is not None or x.categorie_id is not None
        )
    assert (
        Betaling.objects.filter(
            status=BetalingStatus.UITGEVOERD, banktransactie__isnull=True
        ).count()
        == 0
    )
