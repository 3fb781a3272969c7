from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import GENESIS_HASH, Actie, Resultaat


class AuditRegel(models.Model):
    """One entry of the audit log (fields of BIO control 8.15.01).

    Append-only: database triggers refuse UPDATE and DELETE, and each entry carries the
    hash of the previous one, so a changed or removed entry breaks the chain
    (`manage.py audit_verify`). Holds references, never personal data itself.
    """

    volgnummer = models.BigIntegerField(primary_key=True)
    tijdstip = models.DateTimeField(_("tijdstip"), db_index=True)
    actor_id = models.BigIntegerField(_("gebruiker-id"), null=True, db_index=True)
    actor_gebruikersnaam = models.CharField(_("gebruiker"), max_length=150, blank=True)
    actor_rol = models.CharField(_("rol"), max_length=30, blank=True)
    actie = models.CharField(_("actie"), max_length=20, choices=Actie.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=60)
    object_id = models.CharField(_("gegeven-id"), max_length=64, blank=True)
    huishouden_id = models.BigIntegerField(null=True, db_index=True)
    resultaat = models.CharField(_("resultaat"), max_length=20, choices=Resultaat.choices)
    herkomst_ip = models.GenericIPAddressField(_("IP-adres"), null=True)
    kanaal = models.CharField(_("kanaal"), max_length=10)
    request_id = models.CharField(max_length=64, blank=True)
    doel = models.CharField(_("doel"), max_length=60, blank=True)
    details = models.JSONField(default=dict, blank=True)
    vorige_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditregels")
        ordering = ["-volgnummer"]
        indexes = [models.Index(fields=["object_type", "object_id"])]


class AuditKetting(models.Model):
    """The head of the hash chain: one row, locked while an entry is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    laatste_volgnummer = models.BigIntegerField(default=0)
    laatste_hash = models.CharField(max_length=64, default=GENESIS_HASH)
