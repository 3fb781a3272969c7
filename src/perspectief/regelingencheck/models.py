import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CheckAntwoorden(models.Model):
    """The answers of one anonymous regelingencheck, and the result last shown.

    No name, no BSN, no address: the row is found through the visitor's session (by `id`,
    random) or through the reopen code, of which only a keyed hash is stored. Deleted by
    `check_opruimen` when `verloopt_op` has passed (at most 30 days after the start).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.CASCADE, related_name="+")
    antwoorden = models.JSONField(_("antwoorden"), default=dict)
    aangemaakt_op = models.DateTimeField(default=timezone.now, editable=False)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    verloopt_op = models.DateTimeField(_("verloopt op"), db_index=True)
    # HMAC-SHA256 of the normalised code; unique so one code opens one check.
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The result as shown (a small summary, not the engine's full explanation), with the key
    # of what it was computed from: answers, peildatum and catalogue.
    uitkomst = models.JSONField(null=True, blank=True, editable=False)
    uitkomst_sleutel = models.CharField(max_length=64, blank=True, editable=False)
    # "Deel met mijn consulent": the household it was shared with, under which consent.
    gedeeld_met = models.ForeignKey(
        "huishoudens.Huishouden", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    toestemming = models.ForeignKey(
        "huishoudens.Toestemming", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gedeeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gedeeld_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("antwoorden regelingencheck")
        verbose_name_plural = _("antwoorden regelingencheck")
        indexes = [models.Index(fields=["gedeeld_met", "gedeeld_op"])]


class CodePoging(models.Model):
    """A wrong try at a reopen code, per origin (a keyed hash of the IP address, never the
    address itself): the basis for the limit on guessing."""

    herkomst = models.CharField(max_length=64)
    tijdstip = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["herkomst", "tijdstip"])]
