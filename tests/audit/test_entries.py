"""Every create, update and delete service and every page that shows personal data writes the
expected audit entry: actor, actie, object, resultaat, kanaal, IP address, doel."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.audit.models import AuditRegel
from perspectief.core.request_context import Origin, reset_origin, set_origin
from perspectief.huishoudens import services
from perspectief.toegang import services as toegang_services

from ..factories import PASSWORD, GemeenteFactory, current_totp
from ..toegang.world import INWONER, KLANTMANAGER, build_world, client_for

FIELDS = ("actor_id", "actor_rol", "actie", "object_type", "object_id", "huishouden_id", "resultaat", "kanaal",
          "herkomst_ip", "request_id", "doel")
IP = "198.51.100.23"


def _last_number() -> int:
    return AuditRegel.objects.order_by("-volgnummer").values_list("volgnummer", flat=True).first() or 0


def _entries_since(number: int, *fields: str) -> list[dict]:
    return list(AuditRegel.objects.filter(volgnummer__gt=number).order_by("volgnummer").values(*(fields or FIELDS)))


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def web_origin():
    token = set_origin(Origin(request_id="verzoek-1", ip_address=IP, channel="web"))
    yield
    reset_origin(token)


def _entry(actor, actie, object_type, object_id, huishouden_id, doel, resultaat="gelukt"):
    return {
        "actor_id": actor.pk, "actor_rol": actor.rol, "actie": actie, "object_type": object_type,
        "object_id": str(object_id), "huishouden_id": huishouden_id, "resultaat": resultaat, "kanaal": "web",
        "herkomst_ip": IP, "request_id": "verzoek-1", "doel": doel,
    }


def test_household_create_writes_person_and_household_entries(world, web_origin):
    actor = world.users[KLANTMANAGER]
    start = _last_number()
    huishouden = services.huishouden_create(
        actor=actor, gemeente=actor.gemeente,
        adres={"straat": "Laan", "huisnummer": 1, "postcode": "9999ZZ", "woonplaats": "Voorbeeld"},
        aanvrager={"voornamen": "Ida", "achternaam": "Mol", "geboortedatum": datetime.date(1970, 1, 1)},
    )
    persoon = huishouden.personen.get()
    assert _entries_since(start) == [
        _entry(actor, "aanmaken", "persoon", persoon.pk, huishouden.pk, "ondersteuning"),
        _entry(actor, "aanmaken", "huishouden", huishouden.pk, huishouden.pk, "ondersteuning"),
    ]


def test_person_add_update_delete_write_entries(world, web_origin):
    actor, huishouden = world.users[KLANTMANAGER], world.eigen
    start = _last_number()
    persoon = services.persoon_add(
        actor=actor, huishouden=huishouden, rol="medebewoner", voornamen="Bo", achternaam="Bakker",
        geboortedatum=datetime.date(1999, 9, 9),
    )
    persoon_id = persoon.pk
    services.persoon_update(actor=actor, persoon=persoon, telefoon="0612345678", bsn="")
    services.persoon_delete(actor=actor, persoon=persoon)
    assert _entries_since(start) == [
        _entry(actor, "aanmaken", "persoon", persoon_id, huishouden.pk, "ondersteuning"),
        _entry(actor, "wijzigen", "persoon", persoon_id, huishouden.pk, "ondersteuning"),
        _entry(actor, "verwijderen", "persoon", persoon_id, huishouden.pk, "ondersteuning"),
    ]
    update = AuditRegel.objects.get(volgnummer=start + 2)
    assert update.details == {"velden": ["bsn", "telefoon"]}  # which fields, never their values


def test_income_consent_and_buddy_services_write_entries(world, web_origin):
    actor, huishouden = world.users[KLANTMANAGER], world.eigen
    start = _last_number()
    inkomen = services.inkomen_add(actor=actor, persoon=world.kind, soort="overig", bruto_per_maand=Decimal("10.00"))
    today = timezone.localdate()
    toestemming = services.toestemming_create(
        actor=actor, huishouden=huishouden, gegevensdeel="geldzaken", ontvanger_rol="buddy", doel="budgetbeheer",
        geldig_vanaf=today, geldig_tot=today,
    )
    services.toestemming_intrekken(actor=actor, toestemming=toestemming)
    koppeling = services.buddy_koppelen(
        actor=actor, huishouden=world.ander, buddy=world.users["buddy"], vanaf=today
    )
    assert _entries_since(start) == [
        _entry(actor, "aanmaken", "inkomen", inkomen.pk, huishouden.pk, "ondersteuning"),
        _entry(actor, "aanmaken", "toestemming", toestemming.pk, huishouden.pk, "budgetbeheer"),
        _entry(actor, "wijzigen", "toestemming", toestemming.pk, huishouden.pk, "budgetbeheer"),
        _entry(actor, "aanmaken", "buddykoppeling", koppeling.pk, world.ander.pk, "vrijwillige_hulp"),
    ]


def test_account_services_write_entries(world, web_origin):
    actor = world.users["functioneel_beheerder"]
    start = _last_number()
    medewerker = toegang_services.gebruiker_create_medewerker(
        username="nieuw", password=PASSWORD, rol="budgetbeheerder", gemeente=GemeenteFactory(), actor=actor
    )
    inwoner = toegang_services.gebruiker_create_inwoner(
        username="bewoner", password=PASSWORD, persoon=world.kind, gemeente=GemeenteFactory(), actor=actor
    )
    assert _entries_since(start) == [
        _entry(actor, "aanmaken", "gebruiker", medewerker.pk, None, ""),
        _entry(actor, "aanmaken", "gebruiker", inwoner.pk, None, ""),
    ]


def test_services_outside_a_request_are_logged_as_cli(world):
    start = _last_number()
    services.inkomen_add(actor=None, persoon=world.kind, soort="overig", bruto_per_maand=Decimal("1.00"))
    assert _entries_since(start, "actor_id", "actor_rol", "kanaal", "herkomst_ip", "request_id") == [
        {"actor_id": None, "actor_rol": "anoniem", "kanaal": "cli", "herkomst_ip": None, "request_id": "-"}
    ]


# --- pages --------------------------------------------------------------------------------

def _web(user, actie, object_type, object_id="", huishouden_id=None, doel="", resultaat="gelukt", rol=None):
    return {
        "actor_id": user.pk if user else None, "actor_rol": rol or (user.rol or user.soort if user else "anoniem"),
        "actie": actie, "object_type": object_type, "object_id": str(object_id), "huishouden_id": huishouden_id,
        "resultaat": resultaat, "kanaal": "web", "herkomst_ip": IP, "doel": doel,
    }


WEB_FIELDS = tuple(name for name in FIELDS if name != "request_id")


def test_detail_page_writes_a_view_entry(world):
    client = client_for(world, KLANTMANAGER, REMOTE_ADDR=IP)
    user, huishouden = world.users[KLANTMANAGER], world.eigen
    start = _last_number()
    response = client.get(f"/huishoudens/{huishouden.uuid}/")
    assert _entries_since(start, *WEB_FIELDS) == [
        _web(user, "inzien", "huishouden", huishouden.pk, huishouden.pk, "ondersteuning")
    ]
    entry = AuditRegel.objects.get(volgnummer=start + 1)
    assert entry.request_id == response["X-Request-ID"]
    assert entry.details == {"gegevensdelen": ["begeleiding", "contact", "geldzaken", "inkomen", "personalia"]}


def test_list_and_search_pages_write_entries_with_the_households_shown(world):
    client = client_for(world, KLANTMANAGER, REMOTE_ADDR=IP)
    user = world.users[KLANTMANAGER]
    start = _last_number()
    client.get("/huishoudens/")
    location = client.post("/huishoudens/", {"zoekterm": "Bakker"})["Location"]
    client.get(location)
    assert _entries_since(start, *WEB_FIELDS, "details") == [
        {**_web(user, "inzien", "huishouden_lijst", doel="ondersteuning"),
         "details": {"huishoudens": [world.eigen.pk], "pagina": 1}},
        {**_web(user, "zoeken", "huishouden_lijst", doel="ondersteuning"),
         "details": {"huishoudens": [world.eigen.pk], "pagina": 1}},
    ]


def test_person_edit_page_writes_a_view_entry(world):
    client = client_for(world, KLANTMANAGER, REMOTE_ADDR=IP)
    user, huishouden = world.users[KLANTMANAGER], world.eigen
    start = _last_number()
    client.get(f"/huishoudens/{huishouden.uuid}/personen/{world.kind.pk}/")
    assert _entries_since(start, *WEB_FIELDS) == [
        _web(user, "inzien", "persoon", world.kind.pk, huishouden.pk, "ondersteuning")
    ]


def test_resident_page_writes_a_view_entry_with_its_own_purpose(world):
    client = client_for(world, INWONER, REMOTE_ADDR=IP)
    user, huishouden = world.users[INWONER], world.eigen
    start = _last_number()
    client.get("/mijn-gegevens/")
    assert _entries_since(start, *WEB_FIELDS) == [
        _web(user, "inzien", "huishouden", huishouden.pk, huishouden.pk, "eigen_gegevens", rol="inwoner")
    ]


def test_audit_page_writes_a_view_entry(world):
    client = client_for(world, "functioneel_beheerder", REMOTE_ADDR=IP)
    user = world.users["functioneel_beheerder"]
    start = _last_number()
    client.get("/audit/")
    assert _entries_since(start, *WEB_FIELDS) == [_web(user, "inzien", "auditlog")]


def test_login_steps_and_logout_write_entries(world):
    user = world.users[KLANTMANAGER]
    client = Client(REMOTE_ADDR=IP)
    start = _last_number()
    client.post("/toegang/inloggen/", {"username": user.username, "password": "fout-wachtwoord"})
    client.post("/toegang/inloggen/", {"username": user.username, "password": PASSWORD})
    client.post("/toegang/tweede-stap/", {"token": "000000" if current_totp() != "000000" else "111111"})
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post("/toegang/tweede-stap/", {"token": current_totp()})
    client.post("/toegang/uitloggen/")
    entries = _entries_since(start, *WEB_FIELDS)
    assert entries[0] == _web(None, "inloggen", "gebruiker", resultaat="mislukt")
    assert entries[1] == _web(user, "inloggen", "gebruiker", user.pk, resultaat="mislukt")
    assert entries[2] == _web(user, "inloggen", "gebruiker", user.pk)
    assert entries[3] == _web(user, "uitloggen", "gebruiker", user.pk)
    assert len(entries) == 4
