"""On PostgreSQL, entries appended at the same time by several connections still form one
unbroken chain (the chain head is locked while an entry is appended)."""

import threading

import pytest
from django.db import connection, connections

from perspectief.audit.models import AuditRegel
from perspectief.audit.selectors import audit_verify_report
from perspectief.audit.services import audit_record

from ..core.required_services import require_postgresql

THREADS = 4
ENTRIES_PER_THREAD = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_unbroken():
    require_postgresql()
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            start.wait(timeout=30)
            for number in range(ENTRIES_PER_THREAD):
                audit_record(actor=None, actie="inzien", object_type="test", object_id=f"{worker}-{number}")
        except BaseException as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    total = THREADS * ENTRIES_PER_THREAD
    assert list(AuditRegel.objects.order_by("volgnummer").values_list("volgnummer", flat=True)) == list(
        range(1, total + 1)
    )
    assert sorted(AuditRegel.objects.values_list("object_id", flat=True)) == sorted(
        f"{w}-{n}" for w in range(THREADS) for n in range(ENTRIES_PER_THREAD)
    )
    report = audit_verify_report()
    assert (report.checked, report.problems) == (total, ())
    assert connection.vendor == "postgresql"
