"""Proactive granting: imports from the bijstand administration, the engine input per
household (a snapshot), runs, candidates, decisions and opt-outs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import AfmeldingVia, BesluitSoort, ImportStatus, OntvangstBron, RondeStatus


class Import(models.Model):
    """One uploaded CSV file. The file itself is kept encrypted only until it is processed."""

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("toegang.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uitgevoerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bestand_hash = models.CharField(max_length=64)
    inhoud_versleuteld = models.BinaryField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.WACHTEND)
    melding = models.TextField(blank=True)
    voortgang = models.PositiveSmallIntegerField(default=0)  # percent
    aantal_regels = models.PositiveIntegerField(default=0)
    aantal_huishoudens = models.PositiveIntegerField(default=0)
    nieuw = models.PositiveIntegerField(default=0)  # households created in huishoudens
    gekoppeld = models.PositiveIntegerField(default=0)  # linked to an existing household
    bijgewerkt = models.PositiveIntegerField(default=0)  # snapshot changed
    ongewijzigd = models.PositiveIntegerField(default=0)
    overgeslagen = models.PositiveIntegerField(default=0)  # households skipped for a bad row
    fouten = models.JSONField(default=list)  # [{"regel": n, "reden": "..."}]
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    klaar_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-aangemaakt_op", "-pk"]
        indexes = [models.Index(fields=["gemeente", "bestand_hash"])]


class Momentopname(models.Model):
    """The engine input of one household as the last import delivered it.

    ``personen``: a list of ``[rol, geboortedatum, loon, uitkering, overig, vermogen]`` with
    gross amounts per month (without vakantiegeld) and vermogen (null when unknown).
    """

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="+")
    huishouden = models.OneToOneField(
        "huishoudens.Huishouden", on_delete=models.CASCADE, related_name="proactief_momentopname"
    )
    sleutel = models.CharField(_("huishoudnummer in de bijstandsadministratie"), max_length=64)
    aanvrager_bsn_index = models.CharField(max_length=64)
    laatste_import = models.ForeignKey(Import, on_delete=models.SET_NULL, null=True, related_name="+")
    gegevens_hash = models.CharField(max_length=64)
    personen = models.JSONField()
    woningsoort = models.SmallIntegerField(default=-1)  # rekenregels: 0 huur, 1 koop, 2 geen, -1 onbekend
    kale_huur_per_maand = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    servicekosten_per_maand = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    maanden_laag_inkomen = models.PositiveSmallIntegerField(null=True)
    bijgewerkt_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("momentopname")
        verbose_name_plural = _("momentopnamen")
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "sleutel"], name="momentopname_sleutel_uniek"),
        ]
        indexes = [models.Index(fields=["gemeente", "bijgewerkt_op"])]


class Ontvangst(models.Model):
    """A municipal scheme the household already receives: from the import or granted here."""

    huishouden = models.ForeignKey("huishoudens.Huishouden", on_delete=models.CASCADE, related_name="+")
    regeling = models.CharField(max_length=80)
    bron = models.CharField(max_length=20, choices=OntvangstBron.choices)
    sinds = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["huishouden", "regeling"], name="ontvangst_uniek")]


class Afmelding(models.Model):
    """Opt-out of proactive approaches, for all schemes (regeling "") or one scheme."""

    huishouden = models.ForeignKey("huishoudens.Huishouden", on_delete=models.CASCADE, related_name="+")
    regeling = models.CharField(max_length=80, blank=True)
    via = models.CharField(max_length=20, choices=AfmeldingVia.choices)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    vastgelegd_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["huishouden", "regeling"], name="afmelding_uniek")]


class Ronde(models.Model):
    """One proactive run over all imported households of a gemeente on a peildatum."""

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="+")
    peildatum = models.DateField()
    gestart_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=20, choices=RondeStatus.choices, default=RondeStatus.BEZIG)
    catalogus = models.CharField(max_length=200, blank=True)  # which catalogue (source label)
    aantal_huishoudens = models.PositiveIntegerField(default=0)
    aantal_kandidaten = models.PositiveIntegerField(default=0)
    overgeslagen_afmelding = models.PositiveIntegerField(default=0)
    per_regeling = models.JSONField(default=dict)  # code -> {"naam", "kandidaten"}
    seconden = models.FloatField(null=True)
    gestart_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-gestart_op", "-pk"]


class Kandidaat(models.Model):
    """A household that qualifies for a scheme (recht ja) and does not receive it yet."""

    ronde = models.ForeignKey(Ronde, on_delete=models.CASCADE, related_name="kandidaten")
    huishouden = models.ForeignKey("huishoudens.Huishouden", on_delete=models.CASCADE, related_name="+")
    regeling = models.CharField(max_length=80)
    bedrag_per_jaar = models.DecimalField(max_digits=10, decimal_places=2)
    # The decisive facts from the engine (null when the scheme has no income test).
    inkomen_per_maand = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    inkomensgrens_per_maand = models.DecimalField(max_digits=10, decimal_places=2, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ronde", "regeling", "huishouden"], name="kandidaat_uniek"),
        ]


class Besluit(models.Model):
    """The klantmanager's decision on one candidate. Made once; a scheme is granted once."""

    kandidaat = models.OneToOneField(Kandidaat, on_delete=models.CASCADE, related_name="besluit")
    huishouden = models.ForeignKey("huishoudens.Huishouden", on_delete=models.CASCADE, related_name="+")
    regeling = models.CharField(max_length=80)
    soort = models.CharField(max_length=20, choices=BesluitSoort.choices)
    reden = models.TextField(blank=True)
    bedrag_per_jaar = models.DecimalField(max_digits=10, decimal_places=2)
    genomen_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    genomen_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["huishouden", "regeling"], condition=Q(soort=BesluitSoort.TOEKENNEN), name="een_toekenning_per_regeling"
            ),
            models.CheckConstraint(
                condition=~Q(soort=BesluitSoort.NIET_DOEN) | ~Q(reden=""), name="niet_doen_heeft_reden"
            ),
        ]
        indexes = [models.Index(fields=["huishouden", "regeling", "genomen_op"])]
