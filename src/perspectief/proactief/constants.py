from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    WACHTEND = "wachtend", _("Wacht op verwerking")
    BEZIG = "bezig", _("Wordt ingelezen")
    KLAAR = "klaar", _("Klaar")
    GEWEIGERD = "geweigerd", _("Niet ingelezen")
    AL_INGELEZEN = "al_ingelezen", _("Al eerder ingelezen")


class RondeStatus(models.TextChoices):
    BEZIG = "bezig", _("Bezig")
    KLAAR = "klaar", _("Klaar")
    MISLUKT = "mislukt", _("Mislukt")


class BesluitSoort(models.TextChoices):
    TOEKENNEN = "toekennen", _("Toegekend")
    BRIEF = "brief", _("Brief gestuurd")
    NIET_DOEN = "niet_doen", _("Niet gedaan")


class OntvangstBron(models.TextChoices):
    IMPORT = "import", _("Uit het bestand van de bijstandsadministratie")
    TOEKENNING = "toekenning", _("Toegekend in Perspectief")


class AfmeldingVia(models.TextChoices):
    INWONER = "inwoner", _("Door de inwoner zelf")
    KLANTMANAGER = "klantmanager", _("Door de klantmanager, namens de inwoner")


# After a letter or a "niet doen", later runs leave the household alone for this long.
WACHTTIJD_NA_BESLUIT_DAGEN = 365
# Aggregates for the armoederegisseur: groups smaller than this are not shown.
KLEINE_GROEP = 10
DOEL = "proactieve_dienstverlening"
