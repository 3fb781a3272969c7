"""Fixed choices and limits of the anonymous regelingencheck."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Answers and results are kept at most this long, then deleted (check_opruimen).
BEWAARTERMIJN_DAGEN = 30

# The reopen code: 8 characters in two groups of 4, from an alphabet without look-alikes
# (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V). 23 ** 8 is about 7.8e10 codes.
CODE_ALFABET = "34679ACDEFGHJKMNPQRTWXY"
CODE_GROEPEN = 2
CODE_GROEP_LENGTE = 4

# Guessing codes: at most this many wrong tries per origin (hashed IP) per window.
CODE_MAX_FOUTE_POGINGEN = 5
CODE_POGING_VENSTER_MINUTEN = 15

# Consent for "deel met mijn consulent" lasts as long as the shared answers are kept.
DELEN_ONTVANGER_ROL = "klantmanager"

SESSIE_SLEUTEL = "regelingencheck"
CODE_SESSIE_SLEUTEL = "regelingencheck_codes"


class Stap(models.TextChoices):
    HUISHOUDEN = "huishouden", _("Uw huishouden")
    LEEFTIJDEN = "leeftijden", _("Leeftijden")
    INKOMEN = "inkomen", _("Inkomen")
    WONEN = "wonen", _("Wonen")
    VERMOGEN = "vermogen", _("Spaargeld en bezit")
    OVERZICHT = "overzicht", _("Controleren")


STAPPEN: tuple[str, ...] = tuple(Stap.values)


class InkomenKeuze(models.TextChoices):
    GEEN = "geen", _("Geen inkomen (of alleen bijstand)")
    LOON = "loon", _("Loon van werk")
    UITKERING = "uitkering", _("Een uitkering of pensioen (geen bijstand)")
    OVERIG = "overig", _("Ander inkomen")
    WEET_NIET = "weet_niet", _("Weet ik niet")


class LaagInkomenDuur(models.TextChoices):
    KORT = "korter_dan_1_jaar", _("Korter dan 1 jaar")
    MIDDEL = "1_tot_3_jaar", _("1 tot 3 jaar")
    LANG = "3_jaar_of_langer", _("3 jaar of langer")
    WEET_NIET = "weet_niet", _("Weet ik niet")


# How many months of low income each answer stands for (the engine's maanden_laag_inkomen).
# The lowest value of each band, so a scheme with a reference period never answers "ja" on
# a guess.
LAAG_INKOMEN_MAANDEN = {
    LaagInkomenDuur.KORT: 0,
    LaagInkomenDuur.MIDDEL: 12,
    LaagInkomenDuur.LANG: 36,
}


class Woonsoort(models.TextChoices):
    HUUR = "huur", _("Ik huur een huis")
    KOOP = "koop", _("Ik heb een koophuis")
    GEEN = "geen", _("Ik woon in bij iemand anders, of heb geen vaste woning")


class Recht(models.TextChoices):
    JA = "ja", _("Ja")
    MISSCHIEN = "misschien", _("Misschien")
    NEE = "nee", _("Nee")
