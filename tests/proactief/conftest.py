import datetime
from pathlib import Path

import pytest

from perspectief.proactief import services
from perspectief.proactief.models import Import
from perspectief.toegang.constants import Rol
from tests.factories import GebruikerFactory, TeamFactory

VOORBEELD = Path(__file__).resolve().parents[2] / "docs" / "voorbeelden" / "proactief-voorbeeld.csv"
PEILDATUM = datetime.date(2025, 9, 1)


@pytest.fixture
def voorbeeld_csv() -> bytes:
    return VOORBEELD.read_bytes()


@pytest.fixture
def km_team(db):
    return TeamFactory(naam="Wijkteam Noord")


@pytest.fixture
def km(km_team):
    return GebruikerFactory(username="k.demir", rol=Rol.KLANTMANAGER, teams=[km_team])


def importeer(actor, inhoud: bytes, team=None) -> Import:
    """Upload + processing (the task runs in-process), as the view does it."""
    upload = services.import_aanmaken(actor=actor, gemeente=actor.gemeente, team=team or actor.teams.first(), inhoud=inhoud)
    return services.import_verwerken(import_id=upload.pk)
