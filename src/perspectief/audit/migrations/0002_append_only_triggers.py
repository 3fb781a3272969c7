"""Makes the audit log append-only in the database itself: UPDATE and DELETE are refused."""

from django.db import migrations

POSTGRESQL_UP = """
CREATE OR REPLACE FUNCTION audit_regel_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditregel is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_regel_no_update BEFORE UPDATE OR DELETE ON audit_auditregel
    FOR EACH ROW EXECUTE FUNCTION audit_regel_append_only();
CREATE TRIGGER audit_regel_no_truncate BEFORE TRUNCATE ON audit_auditregel
    FOR EACH STATEMENT EXECUTE FUNCTION audit_regel_append_only();
"""
POSTGRESQL_DOWN = """
DROP TRIGGER IF EXISTS audit_regel_no_update ON audit_auditregel;
DROP TRIGGER IF EXISTS audit_regel_no_truncate ON audit_auditregel;
DROP FUNCTION IF EXISTS audit_regel_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER audit_regel_no_update BEFORE UPDATE ON audit_auditregel "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditregel is append-only'); END;",
    "CREATE TRIGGER audit_regel_no_delete BEFORE DELETE ON audit_auditregel "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditregel is append-only'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_regel_no_update;", "DROP TRIGGER IF EXISTS audit_regel_no_delete;"]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            return
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
