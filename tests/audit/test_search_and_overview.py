"""The functioneel beheerder's audit search, and the resident's 'who looked at my data'."""

import datetime

import pytest
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.audit.services import audit_record

from ..toegang.world import (
    BUDDY,
    FUNCTIONEEL_BEHEERDER,
    INWONER,
    KLANTMANAGER,
    KLANTMANAGER_ANDER_TEAM,
    build_world,
    client_for,
)


@pytest.fixture
def world(db):
    return build_world()


def _numbers(response) -> list[int]:
    return [regel.volgnummer for regel in response.context["page"].object_list]


def _expected(predicate) -> list[int]:
    return [r.volgnummer for r in AuditRegel.objects.order_by("-volgnummer") if predicate(r)]


SEARCHES = {
    "gebruiker": ({"gebruiker": "KLANTMANAGER1"}, lambda r: r.actor_gebruikersnaam == "klantmanager1"),
    "actie": ({"actie": "zoeken"}, lambda r: r.actie == "zoeken"),
    "resultaat": ({"resultaat": "geweigerd"}, lambda r: r.resultaat == "geweigerd"),
    "soort_gegeven": ({"object_type": "toestemming"}, lambda r: r.object_type == "toestemming"),
    "combinatie": ({"gebruiker": "buddy1", "resultaat": "gelukt"},
                   lambda r: r.actor_gebruikersnaam == "buddy1" and r.resultaat == "gelukt"),
}


def _activity(world) -> dict:
    """Some entries by several people, refused ones included. Returns the logged-in clients
    (a TOTP code cannot be used twice, so each person logs in once per test)."""
    clients = {actor: client_for(world, actor) for actor in (KLANTMANAGER, BUDDY, KLANTMANAGER_ANDER_TEAM)}
    clients[KLANTMANAGER].get(f"/huishoudens/{world.eigen.uuid}/")
    clients[BUDDY].get(f"/huishoudens/{world.eigen.uuid}/")
    clients[BUDDY].get(f"/huishoudens/{world.ander.uuid}/")  # refused
    clients[KLANTMANAGER_ANDER_TEAM].post("/huishoudens/", {"zoekterm": "Visser"}, follow=True)
    return clients


@pytest.mark.parametrize("search", SEARCHES)
def test_audit_search_filters(world, search):
    _activity(world)
    client = client_for(world, FUNCTIONEEL_BEHEERDER)
    params, predicate = SEARCHES[search]
    expected = _expected(predicate)
    assert expected, "the activity should produce entries for this search"
    response = client.get("/audit/", params)
    assert response.status_code == 200
    assert _numbers(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_audit_search_by_date(world):
    _activity(world)
    today = timezone.localdate()
    client = client_for(world, FUNCTIONEEL_BEHEERDER)
    everything = client.get("/audit/", {"vanaf": today.isoformat(), "tot_en_met": today.isoformat()})
    assert everything.context["page"].paginator.count == AuditRegel.objects.count() - 1  # not its own entry yet
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    nothing = client.get("/audit/", {"tot_en_met": yesterday})
    assert _numbers(nothing) == []


def test_audit_search_list_and_count_agree(world):
    """The page's own audit entry is written after the search: it must not slip into the list."""
    client = client_for(world, FUNCTIONEEL_BEHEERDER)
    before = _expected(lambda r: True)
    response = client.get("/audit/")
    assert _numbers(response) == before
    assert response.context["page"].paginator.count == len(before)


def test_audit_search_reports_a_reversed_period_at_the_field(world):
    client = client_for(world, FUNCTIONEEL_BEHEERDER)
    response = client.get("/audit/", {"vanaf": "2026-02-01", "tot_en_met": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"tot_en_met": ["Deze datum ligt voor de datum 'vanaf'."]}


def test_audit_search_with_an_unreadable_date(world):
    client = client_for(world, FUNCTIONEEL_BEHEERDER)
    response = client.get("/audit/", {"vanaf": "morgen"})
    assert response.context["form"].errors == {"vanaf": ["Vul een geldige datum in."]}


def test_resident_sees_who_looked_at_their_household_and_nothing_else(world):
    km_ander = _activity(world)[KLANTMANAGER_ANDER_TEAM]
    km_ander.get(f"/huishoudens/{world.eigen.uuid}/")  # refused: not in that team's caseload
    audit_record(actor=world.users[KLANTMANAGER], actie="inzien", object_type="huishouden",
                 object_id=world.ander.pk, huishouden_id=world.ander.pk)  # another household
    resident = client_for(world, INWONER)
    resident.get("/mijn-gegevens/")  # the resident's own view is not listed
    response = resident.get("/mijn-gegevens/")
    assert response.status_code == 200
    shown = [(r.actor_gebruikersnaam, r.actie, r.resultaat) for r in response.context["inzage"]]
    assert shown == [
        ("klantmanager2", "inzien", "geweigerd"),
        ("buddy1", "inzien", "gelukt"),
        ("klantmanager1", "inzien", "gelukt"),
    ]
    html = response.content.decode()
    assert "klantmanager1" in html and "buddy1" in html and "geweigerd" in html


def test_resident_without_views_sees_that_nobody_looked(world):
    response = client_for(world, INWONER).get("/mijn-gegevens/")
    assert list(response.context["inzage"]) == []
