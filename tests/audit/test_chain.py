"""The audit log is append-only (database triggers) and tamper-evident (hash chain), and
`audit_verify` finds a changed row, a removed row in the middle and a removed last row."""

from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from perspectief.audit.chain import entry_hash
from perspectief.audit.models import AuditRegel
from perspectief.audit.selectors import VerificationProblem, audit_verify_chain, audit_verify_report
from perspectief.audit.services import audit_record

from ..factories import GebruikerFactory

SQLITE_TRIGGERS = {
    "audit_regel_no_update": "CREATE TRIGGER audit_regel_no_update BEFORE UPDATE ON audit_auditregel "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditregel is append-only'); END;",
    "audit_regel_no_delete": "CREATE TRIGGER audit_regel_no_delete BEFORE DELETE ON audit_auditregel "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditregel is append-only'); END;",
}


@contextmanager
def append_only_lifted():
    """What an attacker with database rights would do: switch the triggers off to tamper.
    They are switched on again afterwards (and the test transaction is rolled back anyway)."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
        elif vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditregel DISABLE TRIGGER audit_regel_no_update")
        else:  # pragma: no cover - a new database needs its own way to lift the triggers
            pytest.fail(f"no tamper recipe for {vendor}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                for statement in SQLITE_TRIGGERS.values():
                    cursor.execute(statement)
            else:
                cursor.execute("ALTER TABLE audit_auditregel ENABLE TRIGGER audit_regel_no_update")


def _tamper(sql: str, params=()):
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def ten_entries(db):
    actor = GebruikerFactory(username="km")
    for number in range(10):
        audit_record(actor=actor, actie="inzien", object_type="huishouden", object_id=number, huishouden_id=number)
    return actor


@pytest.mark.django_db
def test_chain_verifies_after_many_entries():
    actors = [GebruikerFactory(username=f"m{n}") for n in range(3)] + [None]
    for number in range(300):
        audit_record(
            actor=actors[number % 4], actie=("inzien", "wijzigen", "zoeken")[number % 3], object_type="persoon",
            object_id=number, huishouden_id=number % 7, details={"n": number, "tekst": "é€"},
        )
    report = audit_verify_report(batch_size=64)
    assert report.checked == 300
    assert report.problems == ()
    assert list(AuditRegel.objects.order_by("volgnummer").values_list("volgnummer", flat=True)) == list(range(1, 301))
    out = _run_command()
    assert out == "Auditlog is in orde: 300 regels gecontroleerd.\n"


def _run_command() -> str:
    from io import StringIO

    stdout = StringIO()
    call_command("audit_verify", stdout=stdout)
    return stdout.getvalue()


def _command_failure() -> tuple[str, str]:
    from io import StringIO

    stderr = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", stdout=StringIO(), stderr=stderr)
    return str(failure.value), stderr.getvalue()


def test_changed_row_is_detected(ten_entries):
    _tamper("UPDATE audit_auditregel SET actie = 'verwijderen' WHERE volgnummer = 5")
    assert list(audit_verify_chain()) == [VerificationProblem(5, "inhoud van de regel is gewijzigd")]
    message, stderr = _command_failure()
    assert message == "Auditlog is NIET in orde: 1 probleem/problemen gevonden."
    assert stderr == "regel 5: inhoud van de regel is gewijzigd\n"


def test_changed_row_with_a_recomputed_hash_is_detected_by_the_next_row(ten_entries):
    regel = AuditRegel.objects.get(volgnummer=5)
    fields = {name: getattr(regel, name) for name in ("volgnummer", "tijdstip", "actor_id", "actor_gebruikersnaam",
              "actor_rol", "actie", "object_type", "object_id", "huishouden_id", "resultaat", "herkomst_ip",
              "kanaal", "request_id", "doel", "details", "vorige_hash")}
    fields["actor_gebruikersnaam"] = "iemand-anders"
    _tamper(
        "UPDATE audit_auditregel SET actor_gebruikersnaam = %s, hash = %s WHERE volgnummer = 5",
        ["iemand-anders", entry_hash(fields)],
    )
    assert list(audit_verify_chain()) == [VerificationProblem(6, "vorige hash past niet bij de regel ervoor")]


def test_deleted_row_in_the_middle_is_detected(ten_entries):
    _tamper("DELETE FROM audit_auditregel WHERE volgnummer = 5")
    assert list(audit_verify_chain()) == [
        VerificationProblem(6, "regels 5 tot 6 ontbreken"),
        VerificationProblem(6, "vorige hash past niet bij de regel ervoor"),
    ]
    message, stderr = _command_failure()
    assert message == "Auditlog is NIET in orde: 2 probleem/problemen gevonden."


def test_deleted_last_row_is_detected(ten_entries):
    _tamper("DELETE FROM audit_auditregel WHERE volgnummer = 10")
    assert list(audit_verify_chain()) == [VerificationProblem(None, "de laatste regels van het log ontbreken")]
    _, stderr = _command_failure()
    assert stderr == "einde van het log: de laatste regels van het log ontbreken\n"


def test_tamper_helper_restores_the_triggers(ten_entries):
    _tamper("UPDATE audit_auditregel SET doel = 'x' WHERE volgnummer = 1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRegel.objects.filter(volgnummer=2).update(doel="y")


def _attempts():
    def orm_save():
        regel = AuditRegel.objects.get(volgnummer=3)
        regel.resultaat = "geweigerd"
        regel.save()

    def raw(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql)
        return run

    attempts = {
        "orm_save": orm_save,
        "orm_instance_delete": lambda: AuditRegel.objects.get(volgnummer=3).delete(),
        "orm_queryset_update": lambda: AuditRegel.objects.filter(volgnummer=3).update(doel="gewijzigd"),
        "orm_queryset_delete": lambda: AuditRegel.objects.all().delete(),
        "raw_update": raw("UPDATE audit_auditregel SET doel = 'gewijzigd' WHERE volgnummer = 3"),
        "raw_delete": raw("DELETE FROM audit_auditregel WHERE volgnummer = 3"),
        "raw_delete_all": raw("DELETE FROM audit_auditregel"),
    }
    return attempts


@pytest.mark.parametrize("attempt", list(_attempts()))
def test_triggers_refuse_update_and_delete(ten_entries, attempt):
    before = list(AuditRegel.objects.order_by("volgnummer").values())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _attempts()[attempt]()
    assert list(AuditRegel.objects.order_by("volgnummer").values()) == before
    assert audit_verify_report().problems == ()


@pytest.mark.postgres
def test_trigger_refuses_truncate_on_postgresql(ten_entries):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement (SQLite has DELETE only, covered above)")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditregel")
    assert AuditRegel.objects.count() == 10
