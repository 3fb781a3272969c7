"""Which scheme catalogue applies: the one the public check, proactive granting and the
what-if all use."""

from datetime import date
from functools import lru_cache

from rekenregels import Catalogus, laad_catalogus

from .constants import CatalogusStatus
from .models import CatalogusVersie


def catalogusversie_geldig(*, gemeente_id: int, peildatum: date) -> CatalogusVersie | None:
    """The published version valid on the peildatum (latest valid-from, then highest version)."""
    return (
        CatalogusVersie.objects.filter(
            gemeente_id=gemeente_id, status=CatalogusStatus.GEPUBLICEERD, geldig_vanaf__lte=peildatum
        )
        .order_by("-geldig_vanaf", "-versie")
        .first()
    )


@lru_cache(maxsize=64)
def _parsed(versie_id: int, yaml_tekst: str) -> Catalogus:
    # Keyed on the text too, so an edited concept is never served from the cache.
    return Catalogus.uit_yaml(yaml_tekst, bron=f"catalogusversie {versie_id}")


def catalogus_voor_gemeente(*, gemeente, peildatum: date) -> Catalogus | None:
    """The municipality's catalogue on the peildatum.

    Falls back to the catalogue shipped with rekenregels for the gemeente's CBS code when the
    municipality has published no version in the platform yet; None when there is neither.
    """
    versie = catalogusversie_geldig(gemeente_id=gemeente.pk, peildatum=peildatum)
    if versie is not None:
        return _parsed(versie.pk, versie.yaml_tekst)
    if CatalogusVersie.objects.filter(gemeente_id=gemeente.pk, status=CatalogusStatus.GEPUBLICEERD).exists():
        return None  # published versions exist, but none valid yet on this date
    try:
        return laad_catalogus(gemeente.cbs_code)
    except KeyError:
        return None
