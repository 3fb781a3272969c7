"""Journaalpost.geboekt_door: SET_NULL becomes PROTECT. The ledger is append-only (0002), so
the UPDATE that SET_NULL runs when a user is deleted was refused by the trigger with a
database error. Now Django refuses the delete itself (ProtectedError): a user who booked
anything is deactivated, never deleted. on_delete lives in Django only: no SQL on either
database (and no table rebuild on SQLite that would drop 0002's triggers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('huishoudboekje', '0002_grootboek_alleen_toevoegen'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='journaalpost',
            name='geboekt_door',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
    ]
