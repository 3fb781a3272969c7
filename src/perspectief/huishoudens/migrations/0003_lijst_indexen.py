"""Indexes for the household list with 100,000 households (benchmarks/README.md).

- huishouden_lijst_idx (all databases) replaces (gemeente, naam): the page's ids in name
  order, filtered by caseload (team, contactpersoon), come from the index alone.
- huishouden_naam_trgm (PostgreSQL only, not in the model state): a trigram index on
  UPPER(naam), the expression of Django's `naam__icontains`, so a name search no longer
  reads the whole table twice (count and page). Needs the pg_trgm extension (trusted since
  PostgreSQL 13, so the database owner may create it); without it the search still works,
  only slower, and the migration says so.
"""

from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

TRIGRAM_INDEX = "huishouden_naam_trgm"


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON huishoudens_huishouden "
                "USING gin (UPPER(naam::text) gin_trgm_ops)"
            )
    except DatabaseError as error:
        print(f"\n  Let op: geen trigram-index voor zoeken op naam ({error.__class__.__name__}); zoeken werkt, maar trager.")


def remove_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('huishoudens', '0002_initial'),
        ('toegang', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='huishouden',
            name='huishoudens_gemeent_455d61_idx',
        ),
        migrations.AddIndex(
            model_name='huishouden',
            index=models.Index(fields=['gemeente', 'naam', 'id', 'team', 'contactpersoon'], name='huishouden_lijst_idx'),
        ),
        migrations.RunPython(add_trigram_index, remove_trigram_index),
    ]
