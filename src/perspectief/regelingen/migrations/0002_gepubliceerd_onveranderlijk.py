"""A published (or withdrawn) catalogue version never changes, also not outside the
services: the database refuses an UPDATE of its text, date, number or gemeente, and a
withdrawn version cannot come back. Deleting rows is left alone (test flushes need it; the
gemeente's PROTECT keeps the rows in practice)."""

from django.db import migrations

BERICHT = "Een gepubliceerde of ingetrokken versie van de regelingen verandert niet."

POSTGRESQL_UP = f"""
CREATE OR REPLACE FUNCTION regelingen_versie_onveranderlijk() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'concept' AND (
        NEW.yaml_tekst IS DISTINCT FROM OLD.yaml_tekst OR NEW.geldig_vanaf IS DISTINCT FROM OLD.geldig_vanaf
        OR NEW.versie IS DISTINCT FROM OLD.versie OR NEW.gemeente_id IS DISTINCT FROM OLD.gemeente_id
        OR (OLD.status = 'ingetrokken' AND NEW.status <> 'ingetrokken')
        OR (OLD.status = 'gepubliceerd' AND NEW.status = 'concept')
    ) THEN
        RAISE EXCEPTION '{BERICHT}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER regelingen_versie_onveranderlijk BEFORE UPDATE ON regelingen_catalogusversie
    FOR EACH ROW EXECUTE FUNCTION regelingen_versie_onveranderlijk();
"""
POSTGRESQL_DOWN = """
DROP TRIGGER IF EXISTS regelingen_versie_onveranderlijk ON regelingen_catalogusversie;
DROP FUNCTION IF EXISTS regelingen_versie_onveranderlijk();
"""
SQLITE_UP = [
    "CREATE TRIGGER regelingen_versie_onveranderlijk BEFORE UPDATE ON regelingen_catalogusversie "
    "FOR EACH ROW WHEN OLD.status <> 'concept' AND ("
    "NEW.yaml_tekst IS NOT OLD.yaml_tekst OR NEW.geldig_vanaf IS NOT OLD.geldig_vanaf "
    "OR NEW.versie IS NOT OLD.versie OR NEW.gemeente_id IS NOT OLD.gemeente_id "
    "OR (OLD.status = 'ingetrokken' AND NEW.status <> 'ingetrokken') "
    "OR (OLD.status = 'gepubliceerd' AND NEW.status = 'concept')) "
    f"BEGIN SELECT RAISE(ABORT, '{BERICHT}'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS regelingen_versie_onveranderlijk;"]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            return
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("regelingen", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
