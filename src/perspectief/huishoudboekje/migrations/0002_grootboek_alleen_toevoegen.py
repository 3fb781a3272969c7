"""Makes the ledger append-only in the database itself: UPDATE, DELETE (and on PostgreSQL
TRUNCATE) of journaalposten and mutaties are refused. A mistake is corrected by a reversing
journaalpost (grootboek.terugdraaien). Rekening.saldo stays updatable: the services keep it
equal to the sum of the mutations, and huishoudboekje_controle checks that."""

from django.db import migrations

TABELLEN = ("huishoudboekje_journaalpost", "huishoudboekje_mutatie")

POSTGRESQL_UP = [
    """
CREATE OR REPLACE FUNCTION huishoudboekje_grootboek_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only';
END;
$$ LANGUAGE plpgsql;
"""
]
POSTGRESQL_DOWN = []
SQLITE_UP = []
SQLITE_DOWN = []
for tabel in TABELLEN:
    POSTGRESQL_UP += [
        f"CREATE TRIGGER {tabel}_no_update BEFORE UPDATE OR DELETE ON {tabel} "
        "FOR EACH ROW EXECUTE FUNCTION huishoudboekje_grootboek_append_only();",
        f"CREATE TRIGGER {tabel}_no_truncate BEFORE TRUNCATE ON {tabel} "
        "FOR EACH STATEMENT EXECUTE FUNCTION huishoudboekje_grootboek_append_only();",
    ]
    POSTGRESQL_DOWN += [
        f"DROP TRIGGER IF EXISTS {tabel}_no_update ON {tabel};",
        f"DROP TRIGGER IF EXISTS {tabel}_no_truncate ON {tabel};",
    ]
    SQLITE_UP += [
        f"CREATE TRIGGER {tabel}_no_update BEFORE UPDATE ON {tabel} "
        f"BEGIN SELECT RAISE(ABORT, '{tabel} is append-only'); END;",
        f"CREATE TRIGGER {tabel}_no_delete BEFORE DELETE ON {tabel} "
        f"BEGIN SELECT RAISE(ABORT, '{tabel} is append-only'); END;",
    ]
    SQLITE_DOWN += [f"DROP TRIGGER IF EXISTS {tabel}_no_update;", f"DROP TRIGGER IF EXISTS {tabel}_no_delete;"]
POSTGRESQL_DOWN.append("DROP FUNCTION IF EXISTS huishoudboekje_grootboek_append_only();")
# For the test suite's flush (tests/conftest.py): the statement-level triggers that TRUNCATE fires.
POSTGRESQL_TRUNCATE_TRIGGERS = [(tabel, f"{tabel}_no_truncate") for tabel in TABELLEN]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("huishoudboekje", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
