from django.db import models
from django.utils.translation import gettext_lazy as _


class Soort(models.TextChoices):
    MEDEWERKER = "medewerker", _("Medewerker")
    INWONER = "inwoner", _("Inwoner")


class Rol(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("Klantmanager / consulent")
    BUDGETBEHEERDER = "budgetbeheerder", _("Budgetbeheerder")
    SCHULDHULPVERLENER = "schuldhulpverlener", _("Schuldhulpverlener")
    BUDDY = "buddy", _("Buddy (vrijwilliger)")
    ARMOEDEREGISSEUR = "armoederegisseur", _("Armoederegisseur")
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder", _("Functioneel beheerder")


# Roles that work with households of their own caseload or team and see all of their data.
CASELOAD_ROLES = frozenset({Rol.KLANTMANAGER, Rol.BUDGETBEHEERDER, Rol.SCHULDHULPVERLENER})
