from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogusStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    GEPUBLICEERD = "gepubliceerd", _("Gepubliceerd")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")
