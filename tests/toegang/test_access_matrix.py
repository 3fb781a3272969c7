"""The access matrix: every page, every role, a resident, a half-logged-in staff member and an
anonymous visitor, each with the exact answer expected.

This table is the single source of truth for page access: `test_every_named_url_is_in_the_matrix`
fails when a page is added without a row here. Every refusal (403, or 404 where the
existence of a household is private) must write exactly one audit entry with resultaat
"geweigerd"; an allowed request must write none.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from perspectief.audit.constants import Resultaat
from perspectief.audit.models import AuditRegel

from .world import (
    ACTORS,
    ANONIEM,
    ARMOEDEREGISSEUR,
    BUDDY,
    BUDGETBEHEERDER,
    CASELOAD,
    FUNCTIONEEL_BEHEERDER,
    HALF_INGELOGD,
    INWONER,
    KLANTMANAGER,
    KLANTMANAGER_ANDER_TEAM,
    KLANTMANAGER_ANDERE_GEMEENTE,
    SCHULDHULPVERLENER,
    STAFF,
    World,
    build_world,
    client_for,
)


@dataclass(frozen=True)
class Expect:
    status: int
    location: str | None = None  # exact Location; "LOGIN" = staff login with ?next=<path>
    location_prefix: str | None = None


OK = Expect(200)
FORBIDDEN = Expect(403)
HIDDEN = Expect(404)
NOT_ALLOWED = Expect(405)
LOGIN = Expect(302, location="LOGIN")
SECOND_STEP = Expect(302, location="/toegang/tweede-stap/")


def to(location: str) -> Expect:
    return Expect(302, location=location)


@dataclass(frozen=True)
class Page:
    key: str  # unique name of the row in the test ids
    url_name: str
    method: str
    url: Callable[[World], str]
    expect: dict[str, Expect]
    data: Callable[[World], dict] = field(default=lambda world: {})


def answers(default: Expect | None = None, **by_actor: Expect) -> dict[str, Expect]:
    """The expected answer for every actor; `default` fills the actors not named."""
    table = {actor: by_actor.get(actor, default) for actor in ACTORS}
    missing = [actor for actor, value in table.items() if value is None]
    assert not missing, f"no expectation for {missing}"
    return table


def staff_only(**by_actor: Expect) -> dict[str, Expect]:
    """A page behind the staff login: anonymous visitors go to the login page, a staff member
    without the TOTP step to the second step, a resident is refused."""
    return answers(FORBIDDEN, **{ANONIEM: LOGIN, HALF_INGELOGD: SECOND_STEP, INWONER: FORBIDDEN, **by_actor})


def household_page(*, visible_to: tuple[str, ...], editing: bool = False) -> dict[str, Expect]:
    """A page about one household: 200 for those whose caseload holds it, 404 (existence is
    private) for other household workers, 403 for roles that never see households.
    Edit pages are refused to buddies altogether (403), whatever the household."""
    household_workers = CASELOAD + (KLANTMANAGER_ANDER_TEAM, KLANTMANAGER_ANDERE_GEMEENTE)
    if not editing:
        household_workers += (BUDDY,)
    return staff_only(**{actor: (OK if actor in visible_to else HIDDEN) for actor in household_workers})


def household_post(*, visible_to: tuple[str, ...], success: Callable[[World], str] | str) -> dict[str, Expect]:
    table = household_page(visible_to=visible_to, editing=True)
    for actor in visible_to:
        table[actor] = Expect(302, location_prefix=success) if isinstance(success, str) else Expect(302, location="SUCCESS")
    return table


def detail_url(world: World, huishouden) -> str:
    return reverse("huishoudens:detail", kwargs={"uuid": huishouden.uuid})


STAFF_HOME = to("/start/")
EIGEN_EDITORS = CASELOAD
HUISHOUDEN_LIJST_ROLES = CASELOAD + (BUDDY, KLANTMANAGER_ANDER_TEAM, KLANTMANAGER_ANDERE_GEMEENTE)
KLANTMANAGERS = (KLANTMANAGER, KLANTMANAGER_ANDER_TEAM, KLANTMANAGER_ANDERE_GEMEENTE)


def _persoon_data(world: World) -> dict:
    return {"rol": "kind", "voornamen": "Lot", "achternaam": "Bakker", "geboortedatum": "2019-08-01"}


def _wijzig_data(world: World) -> dict:
    return {"rol": "kind", "voornamen": "Sem", "achternaam": "Bakker", "geboortedatum": "2014-03-02"}


def _nieuw_data(world: World) -> dict:
    return {
        "adres-straat": "Kerkstraat", "adres-huisnummer": "4", "adres-postcode": "9999 AC",
        "adres-woonplaats": "Voorbeeld", "aanvrager-voornamen": "Jip", "aanvrager-achternaam": "de Boer",
        "aanvrager-geboortedatum": "1990-01-31",
    }


def _toestemming_data(world: World) -> dict:
    today = datetime.date.today()
    return {
        "gegevensdeel": "inkomen", "ontvanger_rol": "buddy", "doel": "vrijwillige_hulp",
        "geldig_vanaf": today.isoformat(), "geldig_tot": (today + datetime.timedelta(days=30)).isoformat(),
    }


def _eigen_toestemming(world: World):
    return world.eigen.toestemmingen.get()


UNKNOWN_UUID = uuid.UUID("00000000-0000-4000-8000-000000000000")

PAGES: list[Page] = [
    Page("home", "core:home", "GET", lambda w: "/", answers(
        STAFF_HOME, **{ANONIEM: OK, INWONER: to("/mijn-gegevens/"), HALF_INGELOGD: SECOND_STEP})),
    Page("start", "core:start", "GET", lambda w: "/start/", answers(
        OK, **{ANONIEM: LOGIN, INWONER: to("/mijn-gegevens/"), HALF_INGELOGD: SECOND_STEP})),
    Page("cijfers", "core:cijfers", "GET", lambda w: "/cijfers/", staff_only(
        **{ARMOEDEREGISSEUR: OK, FUNCTIONEEL_BEHEERDER: OK})),
    Page("mijn_gegevens", "core:mijn_gegevens", "GET", lambda w: "/mijn-gegevens/", staff_only(**{INWONER: OK})),
    Page("health", "core:health", "GET", lambda w: "/health/", answers(OK)),
    Page("login", "toegang:login", "GET", lambda w: "/toegang/inloggen/", answers(
        STAFF_HOME, **{ANONIEM: OK, INWONER: OK, HALF_INGELOGD: OK})),
    Page("tweede_stap", "toegang:tweede_stap", "GET", lambda w: "/toegang/tweede-stap/", answers(
        STAFF_HOME, **{ANONIEM: LOGIN, INWONER: STAFF_HOME, HALF_INGELOGD: OK})),
    Page("tweede_stap_instellen", "toegang:tweede_stap_instellen", "GET", lambda w: "/toegang/tweede-stap/instellen/",
         answers(to("/toegang/tweede-stap/"), **{ANONIEM: LOGIN})),
    Page("logout_get", "toegang:logout", "GET", lambda w: "/toegang/uitloggen/", answers(NOT_ALLOWED)),
    Page("logout_post", "toegang:logout", "POST", lambda w: "/toegang/uitloggen/", answers(to("/toegang/inloggen/"))),
    Page("inwoner_login", "toegang:inwoner_login", "GET", lambda w: "/toegang/inwoner/", answers(OK)),
    Page("inwoner_demo_login", "toegang:inwoner_demo_login", "GET", lambda w: "/toegang/inwoner/demo/", answers(OK)),
    Page("set_language", "set_language", "POST", lambda w: "/i18n/setlang/", answers(to("/start/")),
         data=lambda w: {"language": "nl", "next": "/start/"}),
    Page("lijst", "huishoudens:lijst", "GET", lambda w: "/huishoudens/", staff_only(
        **{actor: OK for actor in HUISHOUDEN_LIJST_ROLES})),
    Page("lijst_zoeken", "huishoudens:lijst", "POST", lambda w: "/huishoudens/", staff_only(
        **{actor: Expect(302, location_prefix="/huishoudens/?zoekopdracht=") for actor in HUISHOUDEN_LIJST_ROLES}),
         data=lambda w: {"zoekterm": "Bakker"}),
    Page("nieuw", "huishoudens:nieuw", "GET", lambda w: "/huishoudens/nieuw/", staff_only(
        **{actor: OK for actor in KLANTMANAGERS})),
    Page("nieuw_post", "huishoudens:nieuw", "POST", lambda w: "/huishoudens/nieuw/", staff_only(
        **{actor: Expect(302, location_prefix="/huishoudens/") for actor in KLANTMANAGERS}), data=_nieuw_data),
    Page("detail_eigen", "huishoudens:detail", "GET", lambda w: detail_url(w, w.eigen),
         household_page(visible_to=CASELOAD + (BUDDY,))),
    Page("detail_ander_team", "huishoudens:detail", "GET", lambda w: detail_url(w, w.ander),
         household_page(visible_to=(KLANTMANAGER_ANDER_TEAM,))),
    Page("detail_andere_gemeente", "huishoudens:detail", "GET", lambda w: detail_url(w, w.elders),
         household_page(visible_to=(KLANTMANAGER_ANDERE_GEMEENTE,))),
    Page("detail_onbekend", "huishoudens:detail", "GET", lambda w: f"/huishoudens/{UNKNOWN_UUID}/",
         household_page(visible_to=())),
    Page("persoon_toevoegen", "huishoudens:persoon_toevoegen", "GET",
         lambda w: f"/huishoudens/{w.eigen.uuid}/personen/nieuw/", household_page(visible_to=EIGEN_EDITORS, editing=True)),
    Page("persoon_toevoegen_post", "huishoudens:persoon_toevoegen", "POST",
         lambda w: f"/huishoudens/{w.eigen.uuid}/personen/nieuw/",
         household_post(visible_to=EIGEN_EDITORS, success="/huishoudens/"), data=_persoon_data),
    Page("persoon_toevoegen_ander_team", "huishoudens:persoon_toevoegen", "GET",
         lambda w: f"/huishoudens/{w.ander.uuid}/personen/nieuw/",
         household_page(visible_to=(KLANTMANAGER_ANDER_TEAM,), editing=True)),
    Page("persoon_wijzigen", "huishoudens:persoon_wijzigen", "GET",
         lambda w: f"/huishoudens/{w.eigen.uuid}/personen/{w.kind.pk}/", household_page(visible_to=EIGEN_EDITORS, editing=True)),
    Page("persoon_wijzigen_post", "huishoudens:persoon_wijzigen", "POST",
         lambda w: f"/huishoudens/{w.eigen.uuid}/personen/{w.kind.pk}/",
         household_post(visible_to=EIGEN_EDITORS, success="/huishoudens/"), data=_wijzig_data),
    # A person of another household, reached through a household one may edit: still 404.
    Page("persoon_wijzigen_vreemd", "huishoudens:persoon_wijzigen", "GET",
         lambda w: f"/huishoudens/{w.eigen.uuid}/personen/{w.ander_persoon.pk}/", household_page(visible_to=(), editing=True)),
    Page("persoon_wijzigen_ander_team", "huishoudens:persoon_wijzigen", "GET",
         lambda w: f"/huishoudens/{w.ander.uuid}/personen/{w.ander_persoon.pk}/",
         household_page(visible_to=(KLANTMANAGER_ANDER_TEAM,), editing=True)),
    Page("toestemming_nieuw", "huishoudens:toestemming_nieuw", "GET",
         lambda w: f"/huishoudens/{w.eigen.uuid}/toestemmingen/nieuw/", household_page(visible_to=EIGEN_EDITORS, editing=True)),
    Page("toestemming_nieuw_post", "huishoudens:toestemming_nieuw", "POST",
         lambda w: f"/huishoudens/{w.eigen.uuid}/toestemmingen/nieuw/",
         household_post(visible_to=EIGEN_EDITORS, success="/huishoudens/"), data=_toestemming_data),
    Page("toestemming_intrekken_get", "huishoudens:toestemming_intrekken", "GET",
         lambda w: f"/huishoudens/{w.eigen.uuid}/toestemmingen/{_eigen_toestemming(w).pk}/intrekken/",
         answers(NOT_ALLOWED, **{ANONIEM: LOGIN, HALF_INGELOGD: SECOND_STEP})),
    Page("toestemming_intrekken", "huishoudens:toestemming_intrekken", "POST",
         lambda w: f"/huishoudens/{w.eigen.uuid}/toestemmingen/{_eigen_toestemming(w).pk}/intrekken/",
         household_post(visible_to=EIGEN_EDITORS, success="/huishoudens/")),
    Page("toestemming_intrekken_ander_team", "huishoudens:toestemming_intrekken", "POST",
         lambda w: f"/huishoudens/{w.ander.uuid}/toestemmingen/{_eigen_toestemming(w).pk}/intrekken/",
         household_post(visible_to=(), success="/huishoudens/")),
    Page("audit", "audit:zoeken", "GET", lambda w: "/audit/", staff_only(**{FUNCTIONEEL_BEHEERDER: OK})),
]

assert len({page.key for page in PAGES}) == len(PAGES), "page keys must be unique"


def _refusals() -> int:
    return AuditRegel.objects.filter(resultaat=Resultaat.GEWEIGERD).count()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("page", PAGES, ids=[page.key for page in PAGES])
def test_access(page: Page, actor: str):
    world = build_world()
    client = client_for(world, actor, REMOTE_ADDR="203.0.113.9")
    path = page.url(world)
    expected = page.expect[actor]
    refusals_before = _refusals()

    if page.method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, page.data(world))

    assert response.status_code == expected.status, (page.key, actor, response.status_code)
    if expected.location == "LOGIN":
        assert response["Location"] == "/toegang/inloggen/?" + urlencode({"next": path}, safe="/")
    elif expected.location is not None:
        assert response["Location"] == expected.location
    if expected.location_prefix is not None:
        assert response["Location"].startswith(expected.location_prefix), response["Location"]

    if expected.status in (403, 404):
        assert _refusals() == refusals_before + 1
        refusal = AuditRegel.objects.filter(resultaat=Resultaat.GEWEIGERD).order_by("-volgnummer").first()
        user = world.user(actor)
        assert refusal.actor_id == (user.pk if user else None)
        assert refusal.herkomst_ip == "203.0.113.9"
        assert refusal.kanaal == "web"
        assert refusal.request_id == response["X-Request-ID"]
    else:
        assert _refusals() == refusals_before


def _named_urls(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern, inner)
        else:
            assert isinstance(pattern, URLPattern)
            assert pattern.name, f"every URL needs a name so the matrix can cover it: {pattern.pattern}"
            names.add(namespace + pattern.name)
    return names


def test_every_named_url_is_in_the_matrix():
    in_matrix = {page.url_name for page in PAGES}
    assert _named_urls(get_resolver()) == in_matrix


def test_every_page_has_an_answer_for_every_actor():
    for page in PAGES:
        assert set(page.expect) == set(ACTORS), page.key


def test_matrix_covers_every_role():
    from perspectief.toegang.constants import Rol

    assert set(Rol.values) <= set(STAFF)
    assert {KLANTMANAGER, BUDGETBEHEERDER, SCHULDHULPVERLENER} == set(CASELOAD)
