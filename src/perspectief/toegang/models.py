from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Rol, Soort


class Team(models.Model):
    """A team of staff (for example a wijkteam); households are assigned to a team."""

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="teams")
    naam = models.CharField(_("naam"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["gemeente", "naam"], name="team_naam_uniek_per_gemeente")]

    def __str__(self) -> str:
        return self.naam


class Gebruiker(AbstractUser):
    """An account: a staff member with one role, or a resident (inwoner)."""

    soort = models.CharField(_("soort account"), max_length=20, choices=Soort.choices, default=Soort.MEDEWERKER)
    rol = models.CharField(_("rol"), max_length=30, choices=Rol.choices, blank=True)
    gemeente = models.ForeignKey(
        "huishoudens.Gemeente", on_delete=models.PROTECT, null=True, blank=True, related_name="gebruikers"
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="leden")
    # For residents: the person this account belongs to (DigiD will set it by BSN later).
    persoon = models.OneToOneField(
        "huishoudens.Persoon", on_delete=models.SET_NULL, null=True, blank=True, related_name="account"
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(soort=Soort.MEDEWERKER) & ~models.Q(rol=""))
                | (models.Q(soort=Soort.INWONER) & models.Q(rol="")),
                name="medewerker_heeft_rol_inwoner_niet",
            )
        ]

    @property
    def is_medewerker(self) -> bool:
        return self.soort == Soort.MEDEWERKER

    @property
    def is_inwoner(self) -> bool:
        return self.soort == Soort.INWONER
