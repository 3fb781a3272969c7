import pytest
from django.test import Client

from perspectief.toegang.constants import Rol

from .factories import PASSWORD, GebruikerFactory, TeamFactory, current_totp


@pytest.fixture
def team(db):
    return TeamFactory()


def login_verified(client: Client, user) -> Client:
    """Logs a staff member in through both steps (password, TOTP) like a browser would."""
    response = client.post("/toegang/inloggen/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post("/toegang/tweede-stap/", {"token": current_totp()})
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def klantmanager(team):
    return GebruikerFactory(rol=Rol.KLANTMANAGER, teams=[team])


@pytest.fixture
def klantmanager_client(klantmanager):
    return login_verified(Client(), klantmanager)


def _allow_test_flush_of_the_audit_log() -> None:
    """pytest-django empties the database after transactional tests (live server, real Celery
    worker, threads) with TRUNCATE, which the audit log's append-only trigger refuses on
    PostgreSQL, and so do the huishoudboekje ledger's (journaalpost, mutatie). Lift those
    triggers for the flush only, inside the flush's transaction."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    if getattr(original, "perspectief_audit_aware", False):
        return

    import importlib

    grootboek = importlib.import_module("perspectief.huishoudboekje.migrations.0002_grootboek_alleen_toevoegen")
    truncate_triggers = [("audit_auditregel", "audit_regel_no_truncate"), *grootboek.POSTGRESQL_TRUNCATE_TRIGGERS]

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        lifted = [(table, trigger) for table, trigger in truncate_triggers if table in tables]
        if not lifted or not statements:
            return statements
        trigger = "ALTER TABLE {} {} TRIGGER {};"
        return [
            *(trigger.format(table, "DISABLE", name) for table, name in lifted),
            *statements,
            *(trigger.format(table, "ENABLE", name) for table, name in lifted),
        ]

    sql_flush.perspectief_audit_aware = True
    DatabaseOperations.sql_flush = sql_flush


def _allow_sqlite_test_flush_of_the_audit_log() -> None:
    """On SQLite the flush is a DELETE, which the delete triggers of the audit log and the
    huishoudboekje ledger refuse: drop the triggers for the flush and put them back after it
    (same statements as the migrations)."""
    import importlib

    import django.db.backends.sqlite3.base  # noqa: F401  (imported first: base and operations import each other)
    from django.db.backends.sqlite3.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    if getattr(original, "perspectief_audit_aware", False):
        return
    migrations = [
        importlib.import_module("perspectief.audit.migrations.0002_append_only_triggers"),
        importlib.import_module("perspectief.huishoudboekje.migrations.0002_grootboek_alleen_toevoegen"),
    ]
    drop = [statement for migration in migrations for statement in migration.SQLITE_DOWN]
    create = [
        statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS")
        for migration in migrations
        for statement in migration.SQLITE_UP
    ]
    guarded = {"audit_auditregel", "huishoudboekje_journaalpost", "huishoudboekje_mutatie"}

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not guarded.intersection(tables) or not statements:
            return statements
        return [*drop, *statements, *create]

    sql_flush.perspectief_audit_aware = True
    DatabaseOperations.sql_flush = sql_flush


_allow_test_flush_of_the_audit_log()
_allow_sqlite_test_flush_of_the_audit_log()
