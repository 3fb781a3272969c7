"""A large file is parsed in a child process (``inlezen._LezenApart``); forced here with a
size threshold of 0. It stores exactly what the parse in the importing process stores
(lines, mutations, saldi, payment statuses, the count of pending entries it skipped), and
a refusal found by the child (at the header or halfway) books nothing and records the
same GEWEIGERD file as the parse in-process does."""

from __future__ import annotations

import pytest

from perspectief.huishoudboekje import grootboek, inlezen
from perspectief.huishoudboekje.constants import BestandStatus
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Mutatie

from ..contrib.bankformaten.builders import camt_document, camt_entry
from ..core.required_services import require_postgresql
from .factories import TussenrekeningFactory
from .test_inlezen_pijplijn import IBANS, _importeer, _opzet, _regels, _uitkomst


@pytest.fixture
def apart(monkeypatch):
    """Count the child processes started; ``apart(True)`` forces the child path."""
    gestart = []

    class Teller(inlezen._LezenApart):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            gestart.append(self._proces.pid)

    monkeypatch.setattr(inlezen, "_LezenApart", Teller)
    monkeypatch.setattr(inlezen, "PROCES_DATABASES", ("postgresql", "sqlite"))

    def zet(aan: bool) -> list:
        monkeypatch.setattr(inlezen, "PROCES_VANAF", 0 if aan else None)
        return gestart

    return zet


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_child_process_stores_what_the_in_process_parse_stores(monkeypatch, apart):
    require_postgresql()
    monkeypatch.setattr(inlezen, "CHUNK", 4)  # several chunks through the queue
    uitkomsten, meldingen = [], []
    for iban, in_kind in zip(IBANS, (False, True), strict=True):
        gestart = apart(in_kind)
        e2e = f"HHB-{in_kind}"
        tussenrekening = _opzet(iban, e2e)
        regels = _regels(e2e)
        # A pending entry: skipped, counted by the parse and reported in the melding.
        regels.append(
            camt_entry("3.00", reference="P-1", end_to_end_id="P1").replace(
                "<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>"
            )
        )
        _importeer(
            tussenrekening, camt_document(regels[:5], message="camt.052", account=iban), "a.xml"
        )
        bb = _importeer(tussenrekening, camt_document(regels, account=iban), "b.xml")
        assert (bb.status, bb.nieuw, bb.al_bekend) == (BestandStatus.KLAAR, 9, 5)
        assert len(gestart) == (2 if in_kind else 0)
        uitkomsten.append(_uitkomst(tussenrekening))
        meldingen.append(bb.melding)
    assert uitkomsten[1] == uitkomsten[0]
    assert meldingen == [
        "1 boekingen zijn nog niet definitief bij de bank en zijn niet ingelezen."
    ] * 2
    assert grootboek.controleren() == []


def _halverwege_fout() -> bytes:
    regels = [
        camt_entry(
            f"{10 + i}.00", "CRDT", reference=f"W{i}", end_to_end_id=f"W{i}", remittance=f"G{i}"
        )
        for i in range(7)
    ]
    regels[6] = regels[6].replace(">16.00<", ">16,00<")
    assert ">16,00<" in regels[6]
    return camt_document(regels)


def _geweigerd(bb: Bankbestand) -> tuple:
    return (bb.status, bb.weigercode, bb.melding, bb.nieuw, bb.aantal_boekingen)


@pytest.mark.django_db(transaction=True)
def test_refusal_halfway_in_the_child_books_nothing(monkeypatch, apart):
    monkeypatch.setattr(inlezen, "CHUNK", 3)  # two chunks booked before entry 7 is read
    data = _halverwege_fout()
    uitkomsten = []
    for in_kind in (False, True):
        gestart = apart(in_kind)
        Bankbestand.objects.all().delete()
        tussenrekening = TussenrekeningFactory()
        bb = _importeer(tussenrekening, data, "w.xml")
        assert len(gestart) == (1 if in_kind else 0)
        assert Bankbestand.objects.get().pk == bb.pk
        assert Banktransactie.objects.count() == Mutatie.objects.count() == 0
        uitkomsten.append(_geweigerd(bb))
    assert uitkomsten[0][:2] == (BestandStatus.GEWEIGERD, "ongeldig_bedrag")
    assert uitkomsten[1] == uitkomsten[0]
    assert grootboek.controleren() == []


@pytest.mark.django_db(transaction=True)
def test_refusal_at_the_header_in_the_child_books_nothing(apart):
    """Another account's statement: refused before any Bankbestand is BEZIG."""
    data = camt_document([camt_entry("10.00")], account=IBANS[1])
    uitkomsten = []
    for in_kind in (False, True):
        gestart = apart(in_kind)
        Bankbestand.objects.all().delete()
        tussenrekening = TussenrekeningFactory(iban=IBANS[0])
        bb = _importeer(tussenrekening, data, "x.xml")
        assert len(gestart) == (1 if in_kind else 0)
        assert Bankbestand.objects.get().pk == bb.pk
        uitkomsten.append(_geweigerd(bb))
    assert uitkomsten[0][0] == BestandStatus.GEWEIGERD
    assert uitkomsten[0][3:] == (0, 0)
    assert uitkomsten[1] == uitkomsten[0]
    assert Banktransactie.objects.count() == 0
