from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogusStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    GEPUBLICEERD = "gepubliceerd", _("Gepubliceerd")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


# The scheme's income limit: changed without YAML by the beheerder and in the what-if.
INKOMENSGRENS_PAD = "voorwaarden.inkomen.percentage_bijstandsnorm"

# The amounts of a scheme (keys under `bedrag` in the catalogue schema) that the beheerder can
# change without YAML and the armoederegisseur can vary in the what-if. One list, so both offer
# the same fields. Labels are lower case: they are used inside a sentence.
BEDRAG_SLEUTELS = (
    ("vast_per_jaar", _("vast bedrag per jaar")),
    ("vast_per_maand", _("vast bedrag per maand")),
    ("per_kind_per_jaar", _("bedrag per kind per jaar")),
    ("per_volwassene_per_jaar", _("bedrag per volwassene per jaar")),
    ("per_volwassene_per_maand", _("bedrag per volwassene per maand")),
    ("per_persoon_per_jaar", _("bedrag per persoon per jaar")),
    ("maximum_per_jaar", _("maximum per jaar")),
)
