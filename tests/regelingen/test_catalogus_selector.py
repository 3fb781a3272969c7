import datetime

import pytest
from django.utils import timezone

from perspectief.regelingen.constants import CatalogusStatus
from perspectief.regelingen.models import CatalogusVersie
from perspectief.regelingen.selectors import catalogus_voor_gemeente
from rekenregels import laad_catalogus

from ..factories import GemeenteFactory


def _versie(gemeente, versie, geldig_vanaf, status=CatalogusStatus.GEPUBLICEERD, naam="Voorbeeld"):
    shipped = laad_catalogus("voorbeeld")
    import yaml

    data = dict(shipped.data)
    data["gemeente"] = {**data["gemeente"], "naam": naam}
    return CatalogusVersie.objects.create(
        gemeente=gemeente, versie=versie, yaml_tekst=yaml.safe_dump(data, allow_unicode=True),
        geldig_vanaf=geldig_vanaf, status=status,
        gepubliceerd_op=timezone.now() if status == CatalogusStatus.GEPUBLICEERD else None,
    )


@pytest.mark.django_db
def test_falls_back_to_shipped_catalogue_without_published_versions(django_assert_num_queries):
    gemeente = GemeenteFactory()
    with django_assert_num_queries(1):  # the published versions; none, so the shipped catalogue
        catalogus = catalogus_voor_gemeente(gemeente=gemeente, peildatum=datetime.date(2026, 3, 1))
    assert catalogus is not None
    assert catalogus.data == laad_catalogus("GM9999").data


@pytest.mark.django_db
def test_uses_published_version_valid_on_the_peildatum():
    gemeente = GemeenteFactory()
    _versie(gemeente, 1, datetime.date(2026, 1, 1), naam="Versie een")
    _versie(gemeente, 2, datetime.date(2026, 7, 1), naam="Versie twee")
    _versie(gemeente, 3, datetime.date(2026, 2, 1), status=CatalogusStatus.CONCEPT, naam="Concept")
    maart = catalogus_voor_gemeente(gemeente=gemeente, peildatum=datetime.date(2026, 3, 1))
    juli = catalogus_voor_gemeente(gemeente=gemeente, peildatum=datetime.date(2026, 7, 1))
    assert maart.data["gemeente"]["naam"] == "Versie een"
    assert juli.data["gemeente"]["naam"] == "Versie twee"
    assert catalogus_voor_gemeente(gemeente=gemeente, peildatum=datetime.date(2025, 12, 31)) is None
