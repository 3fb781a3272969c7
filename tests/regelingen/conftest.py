import datetime

import pytest
from django.core.cache import cache

from perspectief.regelingen import services
from perspectief.toegang.constants import Rol

from ..factories import GebruikerFactory, GemeenteFactory

VOORBEELD_YAML_PAD = "src/rekenregels/catalogi/voorbeeld.yaml"


@pytest.fixture(autouse=True)
def _lege_cache():
    # The API throttle counts in the default cache: every test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gemeente(db):
    return GemeenteFactory()


@pytest.fixture
def beheerder(gemeente):
    return GebruikerFactory(username="beheerder1", rol=Rol.FUNCTIONEEL_BEHEERDER, gemeente=gemeente)


@pytest.fixture
def voorbeeld_yaml() -> str:
    from rekenregels import voorbeeld_catalogus_tekst

    return voorbeeld_catalogus_tekst()


def gepubliceerd(*, gemeente, actor, tekst: str, geldig_vanaf: datetime.date):
    versie = services.concept_aanmaken(actor=actor, gemeente=gemeente, yaml_tekst=tekst)
    return services.concept_publiceren(actor=actor, versie=versie, geldig_vanaf=geldig_vanaf, verleden_bevestigd=True)
