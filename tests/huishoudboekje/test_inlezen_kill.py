"""Killing the import halfway (SIGKILL, no chance to clean up) and running it again books
every line exactly once: the file is one transaction, so the kill leaves nothing booked
(the Bankbestand, committed before for the screens, stays BEZIG) and the second run books
everything.

The kill comes once the import's writer has copied at least one chunk in its transaction
(seen in pg_stat_activity: a COPY by another backend on this database), while the parse
is still running.

The file is large enough to be parsed in a child process (``inlezen.PROCES_VANAF``): that
child must die with the killed import (it is orphaned, not left parsing).

The import runs as ``manage.py huishoudboekje_inlezen`` in a subprocess that uses this
test's database (its name and credentials come from the live connection's settings).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from perspectief.huishoudboekje import grootboek
from perspectief.huishoudboekje.constants import BestandStatus, Richting
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Journaalpost

from ..contrib.bankformaten.builders import camt_document, camt_entry
from ..core.required_services import require_postgresql
from .factories import TussenrekeningFactory

REGELS = 30_000
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def _database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{quote(s['USER'])}:{quote(s['PASSWORD'])}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
        f"{s['NAME']}"
    )


def _importeer(pad: Path, iban: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "perspectief.conf.test",
    }
    return subprocess.Popen(
        [sys.executable, str(MANAGE), "huishoudboekje_inlezen", str(pad), "--iban", iban],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _kopieert() -> bool:
    """Whether another backend on this database has run a COPY (the import's writer)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND query LIKE 'COPY %%'"
        )
        return cursor.fetchone()[0] > 0


def _kinderen(pid: int) -> set[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    kinderen: set[int] = set()
    for taak in Path(f"/proc/{pid}/task").iterdir():
        kinderen |= {int(k) for k in (taak / "children").read_text().split()}
    return kinderen


def _leeft(pid: int) -> bool:
    try:
        staat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return staat not in ("Z", "X")  # a zombie has ended; reaping is its new parent's job


def _in_transactie() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_kill_9_halfway_then_run_again_books_every_line_once(tmp_path):
    require_postgresql()
    tussenrekening = TussenrekeningFactory()
    entries = [
        camt_entry(
            f"{1 + i % 500}.{i % 100:02d}",
            "CRDT" if i % 3 else "DBIT",
            reference=f"K-{i}",
            end_to_end_id=f"E-{i}",
            remittance=f"Regel {i}",
        )
        for i in range(REGELS)
    ]
    pad = tmp_path / "groot.xml"
    pad.write_bytes(camt_document(entries))
    verwacht = sum(
        (Decimal(f"{1 + i % 500}.{i % 100:02d}") * (1 if i % 3 else -1) for i in range(REGELS)),
        Decimal("0.00"),
    )

    proces = _importeer(pad, tussenrekening.iban)
    begin = time.monotonic()
    while not _kopieert():
        assert proces.poll() is None, proces.stderr.read().decode()
        assert time.monotonic() - begin < 300, "no chunk copied within 5 minutes"
        time.sleep(0.01)
    kinderen = _kinderen(proces.pid)
    assert len(kinderen) == 1  # the parse process
    os.kill(proces.pid, signal.SIGKILL)
    proces.wait()
    assert proces.returncode == -signal.SIGKILL
    while any(_leeft(kind) for kind in kinderen):  # the parse process dies with it
        assert time.monotonic() - begin < 300, "the parse process outlived the import"
        time.sleep(0.05)
    # The server notices the lost client and rolls its transaction back.
    while _kopieert() or _in_transactie():
        assert time.monotonic() - begin < 300
        time.sleep(0.05)
    bb = Bankbestand.objects.get()
    assert (bb.status, bb.nieuw, bb.aantal_boekingen) == (BestandStatus.BEZIG, 0, 0)
    assert Banktransactie.objects.count() == 0
    assert Journaalpost.objects.count() == 0
    assert grootboek.controleren() == []

    opnieuw = _importeer(pad, tussenrekening.iban)
    _uit, fout = opnieuw.communicate(timeout=600)
    assert opnieuw.returncode == 0, fout.decode()
    bb = Bankbestand.objects.get()
    assert (bb.status, bb.aantal_boekingen, bb.nieuw, bb.al_bekend) == (
        BestandStatus.KLAAR,
        REGELS,
        REGELS,
        0,
    )
    assert Banktransactie.objects.count() == REGELS
    assert Banktransactie.objects.values("kenmerk").distinct().count() == REGELS
    bank, _onverdeeld = grootboek.systeemrekeningen(tussenrekening)
    assert bank.tegoed == verwacht
    credit = sum(
        Banktransactie.objects.filter(richting=Richting.INKOMEN).values_list("bedrag", flat=True)
    )
    debit = sum(
        Banktransactie.objects.filter(richting=Richting.UITGAVE).values_list("bedrag", flat=True)
    )
    assert credit - debit == verwacht
    assert grootboek.controleren() == []
