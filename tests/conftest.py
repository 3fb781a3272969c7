import pytest
from django.test import Client

from perspectief.toegang.constants import Rol

from .factories import PASSWORD, GebruikerFactory, TeamFactory, current_totp


@pytest.fixture
def team(db):
    return TeamFactory()


def login_verified(client: Client, user) -> Client:
    """Logs a staff member in through both steps (password, TOTP) like a browser would."""
    response = client.post("/toegang/inloggen/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post("/toegang/tweede-stap/", {"token": current_totp()})
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def klantmanager(team):
    return GebruikerFactory(rol=Rol.KLANTMANAGER, teams=[team])


@pytest.fixture
def klantmanager_client(klantmanager):
    return login_verified(Client(), klantmanager)
