"""Import performance (docs/huishoudboekje.md, "Performance: import and matching"): seven
indexes on five columns that every imported line and mutation paid for, and that no query
needs, are dropped.

- ``banktransactie.tegenrekening_iban`` and ``.end_to_end_id`` (each with its
  ``varchar_pattern_ops`` twin): nothing filters bank lines on them (payments are found by
  ``Betaling.end_to_end_id``, suggestions by the afspraak's IBAN).
- ``banktransactie.tussenrekening_id``: the unique (tussenrekening, kenmerk) and the
  (tussenrekening, status, boekdatum) indexes start with it.
- ``banktransactie.deelname_id``: the (deelname, boekdatum) index starts with it.
- ``mutatie.rekening_id``: the (rekening, datum) index starts with it.

No constraint changes. Only the indexes are dropped, with plain SQL on PostgreSQL
(``SeparateDatabaseAndState``): Django's AlterField would also drop and re-add the foreign
keys (re-checking every row) and, on SQLite, rebuild the mutatie table and lose the
append-only triggers of 0002. On SQLite (development and tests) the indexes stay.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXEN = [
    (
        "huishoudboekje_banktransactie_end_to_end_id_3884cf4b",
        "huishoudboekje_banktransactie",
        "end_to_end_id",
        "",
    ),
    (
        "huishoudboekje_banktransactie_end_to_end_id_3884cf4b_like",
        "huishoudboekje_banktransactie",
        "end_to_end_id",
        "varchar_pattern_ops",
    ),
    (
        "huishoudboekje_banktransactie_tegenrekening_iban_3059498f",
        "huishoudboekje_banktransactie",
        "tegenrekening_iban",
        "",
    ),
    (
        "huishoudboekje_banktransactie_tegenrekening_iban_3059498f_like",
        "huishoudboekje_banktransactie",
        "tegenrekening_iban",
        "varchar_pattern_ops",
    ),
    (
        "huishoudboekje_banktransactie_tussenrekening_id_67785a0f",
        "huishoudboekje_banktransactie",
        "tussenrekening_id",
        "",
    ),
    (
        "huishoudboekje_banktransactie_deelname_id_f2628c5d",
        "huishoudboekje_banktransactie",
        "deelname_id",
        "",
    ),
    ("huishoudboekje_mutatie_rekening_id_072a5eff", "huishoudboekje_mutatie", "rekening_id", ""),
]


def _weg(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for naam, _tabel, _kolom, _ops in INDEXEN:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{naam}"')


def _terug(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for naam, tabel, kolom, ops in INDEXEN:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{naam}" ON "{tabel}" ("{kolom}" {ops})'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("huishoudboekje", "0003_journaalpost_geboekt_door_protect"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_weg, _terug)],
            state_operations=[
                migrations.AlterField(
                    model_name="banktransactie",
                    name="deelname",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transacties",
                        to="huishoudboekje.deelname",
                    ),
                ),
                migrations.AlterField(
                    model_name="banktransactie",
                    name="end_to_end_id",
                    field=models.CharField(blank=True, max_length=35),
                ),
                migrations.AlterField(
                    model_name="banktransactie",
                    name="tegenrekening_iban",
                    field=models.CharField(blank=True, max_length=34),
                ),
                migrations.AlterField(
                    model_name="banktransactie",
                    name="tussenrekening",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transacties",
                        to="huishoudboekje.tussenrekening",
                    ),
                ),
                migrations.AlterField(
                    model_name="mutatie",
                    name="rekening",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mutaties",
                        to="huishoudboekje.rekening",
                    ),
                ),
            ],
        )
    ]
