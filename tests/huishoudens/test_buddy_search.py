"""A buddy's search and filters on the household list match only on data the buddy may see.

The buddy of the test world (tests/toegang/world.py) is linked to "Bakker", whose consent
covers names (personalia). Here the buddy is also linked to "Meijer", whose consent covers
income only. Searching Meijer's name, BSN or postcode must look exactly like searching a
name that does not exist: otherwise the search tells the buddy the name (or number, or
address) belongs to one of their households.
"""

import datetime

import pytest
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.huishoudens import services
from perspectief.huishoudens.constants import Doel, Gegevensdeel, RolInHuishouden
from perspectief.toegang.constants import Rol

from ..factories import AdresFactory, HuishoudenFactory, PersoonFactory, WijkFactory
from ..factories import test_bsn as make_test_bsn
from ..toegang.world import BUDDY, KLANTMANAGER, build_world, client_for

pytestmark = pytest.mark.django_db

BAKKER_BSN = make_test_bsn(1)  # the aanvrager of world.eigen
MEIJER_BSN = make_test_bsn(2)
MEIJER_POSTCODE = "9999 MJ"
BAKKER_POSTCODE = "9999 AB"  # world.eigen's address


def _consent(huishouden, gegevensdeel: str) -> None:
    today = timezone.localdate()
    services.toestemming_create(
        actor=None, huishouden=huishouden, gegevensdeel=gegevensdeel, ontvanger_rol=Rol.BUDDY,
        doel=Doel.VRIJWILLIGE_HULP, geldig_vanaf=today,
        geldig_tot=today + datetime.timedelta(days=30),
    )


def _buddy_household(world, naam: str, **fields):
    """A household in the klantmanager's team, linked to the buddy from today."""
    huishouden = HuishoudenFactory(
        gemeente=world.eigen.gemeente, team=world.eigen.team, naam=naam, **fields
    )
    services.buddy_koppelen(
        actor=None, huishouden=huishouden, buddy=world.users[BUDDY], vanaf=timezone.localdate()
    )
    return huishouden


def _world_with_meijer(*meijer_consents: str):
    """The test world plus "Meijer": in the klantmanager's team, linked to the buddy, with
    consent for `meijer_consents` only (income when none are given)."""
    world = build_world()
    wijk = WijkFactory(gemeente=world.eigen.gemeente, naam="Oost")
    world.meijer = _buddy_household(
        world, "Meijer", aantal_personen=3, adres=AdresFactory(postcode=MEIJER_POSTCODE, wijk=wijk)
    )
    PersoonFactory(
        huishouden=world.meijer, rol=RolInHuishouden.AANVRAGER, voornamen="Ilse",
        achternaam="Meijer", bsn=MEIJER_BSN,
    )
    for gegevensdeel in meijer_consents or (Gegevensdeel.INKOMEN,):
        _consent(world.meijer, gegevensdeel)
    return world


def _found(client, **search) -> list[int]:
    location = client.post("/huishoudens/", {"zoekterm": "", **search})["Location"]
    return [h.pk for h in client.get(location).context["page"].object_list]


def _results_fragment(client, zoekterm: str) -> bytes:
    """The htmx answer to a search: the results and the count, without the form (which
    repeats the term typed)."""
    response = client.post("/huishoudens/", {"zoekterm": zoekterm}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content


def _last_search_audit(user) -> dict:
    entries = AuditRegel.objects.filter(actor_id=user.pk, object_type="huishouden_lijst")
    return entries.latest("pk").details


def test_buddy_finds_no_household_by_a_name_it_may_not_see():
    world = _world_with_meijer()
    client = client_for(world, BUDDY)
    assert _found(client) == [world.eigen.pk, world.meijer.pk]  # both are the buddy's households
    assert _found(client, zoekterm="Meijer") == []
    assert _found(client, zoekterm="meij") == []  # part of the name, as the search allows


def test_buddy_name_search_without_consent_looks_like_a_search_for_no_one():
    world = _world_with_meijer()
    client = client_for(world, BUDDY)
    not_shared = _results_fragment(client, "Meijer")
    nobody = _results_fragment(client, "Onbekendenaam")
    assert not_shared == nobody  # same count, same message, byte for byte
    assert "0 huishoudens gevonden." in nobody.decode()
    assert "Geen huishoudens gevonden" in nobody.decode()
    assert _last_search_audit(world.users[BUDDY]) == {"huishoudens": [], "pagina": 1}


def test_buddy_finds_a_household_by_a_name_it_may_see():
    world = _world_with_meijer()
    client = client_for(world, BUDDY)
    assert _found(client, zoekterm="Bakker") == [world.eigen.pk]
    assert "1 huishouden gevonden." in _results_fragment(client, "Bakker").decode()


def test_buddy_finds_a_name_once_the_household_consents_to_share_names():
    world = _world_with_meijer(Gegevensdeel.INKOMEN, Gegevensdeel.PERSONALIA)
    assert _found(client_for(world, BUDDY), zoekterm="Meijer") == [world.meijer.pk]


def test_klantmanager_finds_both_households_by_name():
    world = _world_with_meijer()
    client = client_for(world, KLANTMANAGER)
    assert _found(client, zoekterm="Meijer") == [world.meijer.pk]
    assert _found(client, zoekterm="Bakker") == [world.eigen.pk]


@pytest.mark.parametrize("bsn", [BAKKER_BSN, MEIJER_BSN])
def test_buddy_never_finds_a_household_by_bsn(bsn):
    """A buddy may search, but never sees a BSN (no consent shares it), so a BSN never
    matches, not even in the household that shares its names."""
    world = _world_with_meijer()
    client = client_for(world, BUDDY)
    assert _found(client, zoekterm=bsn) == []
    no_one = make_test_bsn(9)
    assert _results_fragment(client, bsn) == _results_fragment(client, no_one)


def test_klantmanager_finds_both_households_by_bsn():
    world = _world_with_meijer()
    client = client_for(world, KLANTMANAGER)
    assert _found(client, zoekterm=BAKKER_BSN) == [world.eigen.pk]
    assert _found(client, zoekterm=MEIJER_BSN) == [world.meijer.pk]


def test_buddy_finds_by_postcode_only_where_the_address_is_shared():
    world = _world_with_meijer()
    client = client_for(world, BUDDY)
    assert _found(client, zoekterm=MEIJER_POSTCODE) == []
    assert _found(client, zoekterm=BAKKER_POSTCODE) == []  # Bakker shares names, not the address
    _consent(world.meijer, Gegevensdeel.CONTACT)
    assert _found(client, zoekterm=MEIJER_POSTCODE) == [world.meijer.pk]
    assert _found(client_for(world, KLANTMANAGER), zoekterm=BAKKER_POSTCODE) == [world.eigen.pk]


def test_buddy_filters_on_wijk_and_size_only_where_these_are_shared():
    world = _world_with_meijer()
    client = client_for(world, BUDDY)
    wijk = world.meijer.wijk_id
    assert _found(client, wijk=wijk) == []  # the wijk is part of the address
    assert _found(client, aantal_personen=3) == []  # the size is part of personalia
    _consent(world.meijer, Gegevensdeel.CONTACT)
    _consent(world.meijer, Gegevensdeel.PERSONALIA)
    assert _found(client, wijk=wijk) == [world.meijer.pk]
    assert _found(client, aantal_personen=3) == [world.meijer.pk]
    klantmanager = client_for(world, KLANTMANAGER)
    assert _found(klantmanager, wijk=wijk, aantal_personen=3) == [world.meijer.pk]


def test_buddy_list_order_says_nothing_about_names_it_may_not_see():
    """Sorted by name, an unnamed row between "Bakker" and "Visser" would tell the buddy its
    name lies between B and V. Households whose names are shared come first, by name; the
    others after them, in a fixed order that does not depend on their name."""
    world = _world_with_meijer()
    named = _buddy_household(world, "Visser")
    _consent(named, Gegevensdeel.PERSONALIA)
    unnamed_first = _buddy_household(world, "Aalders")  # first by name, but not shared
    buddy_order = _found(client_for(world, BUDDY))
    assert buddy_order == [world.eigen.pk, named.pk, world.meijer.pk, unnamed_first.pk]
    klantmanager_order = _found(client_for(world, KLANTMANAGER))  # by name, as before
    assert klantmanager_order == [unnamed_first.pk, world.eigen.pk, world.meijer.pk, named.pk]
