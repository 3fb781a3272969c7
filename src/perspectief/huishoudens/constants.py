from django.db import models
from django.utils.translation import gettext_lazy as _


class RolInHuishouden(models.TextChoices):
    AANVRAGER = "aanvrager", _("Aanvrager")
    PARTNER = "partner", _("Partner")
    KIND = "kind", _("Kind")
    MEDEBEWONER = "medebewoner", _("Medebewoner")


class InkomenSoort(models.TextChoices):
    LOON = "loon", _("Loon")
    UITKERING = "uitkering", _("Uitkering")
    OVERIG = "overig", _("Overig inkomen")


class Gegevensdeel(models.TextChoices):
    """Parts of a household's data that consent (toestemming) is given for."""

    PERSONALIA = "personalia", _("Namen en samenstelling")
    CONTACT = "contact", _("Adres en contactgegevens")
    INKOMEN = "inkomen", _("Inkomen")
    GELDZAKEN = "geldzaken", _("Geldzaken en schulden")
    BEGELEIDING = "begeleiding", _("Doelen en afspraken")


# What a BSN search matches on. No Gegevensdeel covers the BSN: no consent shares it, so
# only the caseload roles (who see it masked) may find a household by it.
BSN = "bsn"


class Doel(models.TextChoices):
    """Purposes for which data may be used (purpose limitation, AVG art. 5)."""

    ONDERSTEUNING = "ondersteuning", _("Ondersteuning van het huishouden")
    BUDGETBEHEER = "budgetbeheer", _("Budgetbeheer")
    SCHULDHULP = "schuldhulp", _("Schuldhulpverlening")
    VRIJWILLIGE_HULP = "vrijwillige_hulp", _("Hulp door een buddy")
