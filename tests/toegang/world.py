"""A small fictional world for access tests: two municipalities, three teams, one account
per role, and households inside and outside each caseload.

Used by the access matrix and by the audit tests. Logging in goes through the real views
(password step, TOTP step), like a browser.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from perspectief.huishoudens import services
from perspectief.huishoudens.constants import Doel, Gegevensdeel, InkomenSoort, RolInHuishouden
from perspectief.huishoudens.models import Huishouden, Persoon
from perspectief.toegang.constants import Rol
from perspectief.toegang.models import Gebruiker

from ..factories import (
    PASSWORD,
    AdresFactory,
    GebruikerFactory,
    GemeenteFactory,
    HuishoudenFactory,
    InwonerFactory,
    PersoonFactory,
    TeamFactory,
    current_totp,
    test_bsn,
)

ANONIEM = "anoniem"
INWONER = "inwoner"
HALF_INGELOGD = "half_ingelogd"  # a klantmanager who passed the password but not the TOTP step
KLANTMANAGER = Rol.KLANTMANAGER.value
BUDGETBEHEERDER = Rol.BUDGETBEHEERDER.value
SCHULDHULPVERLENER = Rol.SCHULDHULPVERLENER.value
BUDDY = Rol.BUDDY.value
ARMOEDEREGISSEUR = Rol.ARMOEDEREGISSEUR.value
FUNCTIONEEL_BEHEERDER = Rol.FUNCTIONEEL_BEHEERDER.value
KLANTMANAGER_ANDER_TEAM = "klantmanager_ander_team"
KLANTMANAGER_ANDERE_GEMEENTE = "klantmanager_andere_gemeente"

ACTORS = (
    ANONIEM,
    INWONER,
    HALF_INGELOGD,
    KLANTMANAGER,
    BUDGETBEHEERDER,
    SCHULDHULPVERLENER,
    BUDDY,
    ARMOEDEREGISSEUR,
    FUNCTIONEEL_BEHEERDER,
    KLANTMANAGER_ANDER_TEAM,
    KLANTMANAGER_ANDERE_GEMEENTE,
)
CASELOAD = (KLANTMANAGER, BUDGETBEHEERDER, SCHULDHULPVERLENER)
STAFF = CASELOAD + (BUDDY, ARMOEDEREGISSEUR, FUNCTIONEEL_BEHEERDER, KLANTMANAGER_ANDER_TEAM, KLANTMANAGER_ANDERE_GEMEENTE)

INKOMEN_BEDRAG = Decimal("1234.56")


@dataclass
class World:
    users: dict[str, Gebruiker] = field(default_factory=dict)
    eigen: Huishouden | None = None  # team 1: the klantmanager's caseload; the buddy is linked
    aanvrager: Persoon | None = None
    kind: Persoon | None = None
    ander: Huishouden | None = None  # team 2, same municipality
    ander_persoon: Persoon | None = None
    elders: Huishouden | None = None  # another municipality

    def user(self, actor: str) -> Gebruiker | None:
        if actor == ANONIEM:
            return None
        if actor == HALF_INGELOGD:
            return self.users[KLANTMANAGER]
        return self.users[actor]


def build_world() -> World:
    gemeente = GemeenteFactory()
    andere_gemeente = GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp")
    team = TeamFactory(gemeente=gemeente, naam="Wijkteam Noord")
    ander_team = TeamFactory(gemeente=gemeente, naam="Wijkteam Zuid")
    team_elders = TeamFactory(gemeente=andere_gemeente, naam="Wijkteam Anderdorp")

    world = World()
    for rol in CASELOAD:
        world.users[rol] = GebruikerFactory(username=f"{rol}1", rol=rol, gemeente=gemeente, teams=[team])
    for rol in (BUDDY, ARMOEDEREGISSEUR, FUNCTIONEEL_BEHEERDER):
        world.users[rol] = GebruikerFactory(username=f"{rol}1", rol=rol, gemeente=gemeente)
    world.users[KLANTMANAGER_ANDER_TEAM] = GebruikerFactory(
        username="klantmanager2", rol=Rol.KLANTMANAGER, gemeente=gemeente, teams=[ander_team]
    )
    world.users[KLANTMANAGER_ANDERE_GEMEENTE] = GebruikerFactory(
        username="klantmanager3", rol=Rol.KLANTMANAGER, gemeente=andere_gemeente, teams=[team_elders]
    )

    world.eigen = HuishoudenFactory(gemeente=gemeente, team=team, naam="Bakker", adres=AdresFactory(postcode="9999 AB"))
    world.aanvrager = PersoonFactory(
        huishouden=world.eigen, rol=RolInHuishouden.AANVRAGER, voornamen="Fenna", achternaam="Bakker",
        bsn=test_bsn(1),
    )
    world.kind = PersoonFactory(
        huishouden=world.eigen, rol=RolInHuishouden.KIND, voornamen="Sem", achternaam="Bakker",
        geboortedatum=datetime.date(2014, 3, 2),
    )
    services.inkomen_add(
        actor=None, persoon=world.aanvrager, soort=InkomenSoort.UITKERING, bruto_per_maand=INKOMEN_BEDRAG
    )
    world.ander = HuishoudenFactory(gemeente=gemeente, team=ander_team, naam="Visser")
    world.ander_persoon = PersoonFactory(huishouden=world.ander, voornamen="Noor", achternaam="Visser")
    world.elders = HuishoudenFactory(gemeente=andere_gemeente, team=team_elders, naam="Smit")
    PersoonFactory(huishouden=world.elders, voornamen="Daan", achternaam="Smit")

    today = timezone.localdate()
    services.buddy_koppelen(actor=None, huishouden=world.eigen, buddy=world.users[BUDDY], vanaf=today)
    services.toestemming_create(
        actor=None, huishouden=world.eigen, gegevensdeel=Gegevensdeel.PERSONALIA, ontvanger_rol=Rol.BUDDY,
        doel=Doel.VRIJWILLIGE_HULP, geldig_vanaf=today, geldig_tot=today + datetime.timedelta(days=180),
    )
    world.users[INWONER] = InwonerFactory(username="inwoner1", gemeente=gemeente, persoon=world.aanvrager)
    return world


def login_password_only(client: Client, user) -> Client:
    response = client.post("/toegang/inloggen/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/toegang/tweede-stap/"
    return client


def login_staff(client: Client, user) -> Client:
    login_password_only(client, user)
    response = client.post("/toegang/tweede-stap/", {"token": current_totp()})
    assert response.status_code == 302, response.content
    return client


def login_resident(client: Client, user) -> Client:
    response = client.post("/toegang/inwoner/demo/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/mijn-gegevens/"
    return client


def client_for(world: World, actor: str, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    if actor == ANONIEM:
        return client
    if actor == INWONER:
        return login_resident(client, world.user(actor))
    if actor == HALF_INGELOGD:
        return login_password_only(client, world.user(actor))
    return login_staff(client, world.user(actor))
