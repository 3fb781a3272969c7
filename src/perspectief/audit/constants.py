from django.db import models
from django.utils.translation import gettext_lazy as _


class Actie(models.TextChoices):
    AANMAKEN = "aanmaken", _("Aangemaakt")
    WIJZIGEN = "wijzigen", _("Gewijzigd")
    VERWIJDEREN = "verwijderen", _("Verwijderd")
    INZIEN = "inzien", _("Ingezien")
    ZOEKEN = "zoeken", _("Gezocht")
    INLOGGEN = "inloggen", _("Ingelogd")
    UITLOGGEN = "uitloggen", _("Uitgelogd")


class Resultaat(models.TextChoices):
    GELUKT = "gelukt", _("Gelukt")
    GEWEIGERD = "geweigerd", _("Geweigerd")
    MISLUKT = "mislukt", _("Mislukt")


GENESIS_HASH = "0" * 64
