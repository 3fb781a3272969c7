"""Two imports of overlapping files on one tussenrekening at the same moment (PostgreSQL,
two connections): every line is stored and booked once, and the one file's count of
already known lines is exactly what the other stored first."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from perspectief.huishoudboekje import grootboek, inlezen
from perspectief.huishoudboekje.inlezen import bankbestand_inlezen
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie

from ..contrib.bankformaten.builders import camt_document, camt_entry
from ..core.required_services import require_postgresql
from .factories import TussenrekeningFactory


def _entries(start: int, stop: int) -> list[str]:
    return [
        camt_entry(
            f"{i % 700 + 1}.00",
            "CRDT" if i % 2 else "DBIT",
            reference=f"G-{i}",
            end_to_end_id=f"G{i}",
        )
        for i in range(start, stop)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_imports_book_every_line_once(monkeypatch):
    require_postgresql()
    monkeypatch.setattr(inlezen, "CHUNK", 50)  # many chunks, so the two runs interleave
    tussenrekening = TussenrekeningFactory()
    bestanden = [
        camt_document(_entries(0, 600), message="camt.052", message_id="A"),
        camt_document(_entries(300, 900), message_id="B"),
    ]
    start = threading.Barrier(2)
    fouten: list[BaseException] = []

    def importeer(inhoud: bytes) -> None:
        try:
            start.wait(timeout=30)
            bankbestand_inlezen(
                actor=None, tussenrekening=tussenrekening, bestandsnaam="x.xml", inhoud=inhoud
            )
        except BaseException as fout:  # noqa: BLE001  (reported below; a thread cannot fail the test)
            fouten.append(fout)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=importeer, args=(b,)) for b in bestanden]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert fouten == []
    assert Banktransactie.objects.count() == 900
    assert Banktransactie.objects.values("kenmerk").distinct().count() == 900
    a, b = Bankbestand.objects.order_by("pk")
    assert a.aantal_boekingen == b.aantal_boekingen == 600
    assert a.nieuw + b.nieuw == 900
    assert a.al_bekend + b.al_bekend == 300  # the overlap, counted by whoever came second
    for bb in (a, b):
        assert Banktransactie.objects.filter(bankbestand=bb).count() == bb.nieuw
    assert grootboek.controleren() == []
