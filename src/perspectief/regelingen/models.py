from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import CatalogusStatus


class CatalogusVersie(models.Model):
    """One version of a municipality's scheme catalogue (minimaregelingen), as the YAML
    that the functioneel beheerder edits (format: rekenregels' municipal scheme schema).

    The public check uses, for a peildatum, the published version with the latest
    `geldig_vanaf` on or before that date.
    """

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="catalogusversies")
    versie = models.PositiveIntegerField(_("versie"))
    yaml_tekst = models.TextField(_("regelingen (YAML)"))
    geldig_vanaf = models.DateField(_("geldig vanaf"))
    status = models.CharField(_("status"), max_length=20, choices=CatalogusStatus.choices, default=CatalogusStatus.CONCEPT)
    toelichting = models.CharField(_("wat is er veranderd"), max_length=300, blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gepubliceerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gepubliceerd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("versie van de regelingen")
        verbose_name_plural = _("versies van de regelingen")
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "versie"], name="catalogusversie_uniek_per_gemeente"),
            models.CheckConstraint(
                condition=~Q(status=CatalogusStatus.GEPUBLICEERD) | Q(gepubliceerd_op__isnull=False),
                name="gepubliceerde_versie_heeft_publicatiedatum",
            ),
        ]
        indexes = [models.Index(fields=["gemeente", "status", "geldig_vanaf"])]

    def __str__(self) -> str:
        return f"{self.gemeente} versie {self.versie}"
