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
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.db import transaction
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


def _proactief_import(world: World):
    from perspectief.proactief.models import Import

    gemeente = world.eigen.gemeente
    return Import.objects.filter(gemeente=gemeente).first() or Import.objects.create(
        gemeente=gemeente, team=world.eigen.team, bestand_hash="0" * 64, status="klaar", aantal_huishoudens=1, nieuw=1
    )


def _proactief_kandidaat(world: World, huishouden=None):
    """A finished proactive run of the gemeente with a candidate for the household (no engine)."""
    from perspectief.proactief.models import Kandidaat, Ronde

    huishouden = huishouden or world.eigen
    ronde = Ronde.objects.filter(gemeente=huishouden.gemeente).first() or Ronde.objects.create(
        gemeente=huishouden.gemeente, peildatum=datetime.date(2025, 9, 1), status="klaar",
        per_regeling={"voorbeeldpas": {"naam": "Voorbeeldpas (stadspas)", "kandidaten": 2}},
    )
    return Kandidaat.objects.get_or_create(
        ronde=ronde, huishouden=huishouden, regeling="voorbeeldpas", defaults={"bedrag_per_jaar": 150}
    )[0]


def _catalogusversie(world: World, actor: str = FUNCTIONEEL_BEHEERDER):
    """A concept of the catalogue of `actor`'s gemeente (made once per world)."""
    from perspectief.regelingen import services as regelingen_services
    from perspectief.regelingen.models import CatalogusVersie

    gemeente = world.users[actor].gemeente
    return CatalogusVersie.objects.filter(gemeente=gemeente).first() or regelingen_services.concept_aanmaken(
        actor=None, gemeente=gemeente)


def _bedrag_data(world: World) -> dict:
    return {"bedrag-regeling": "voorbeeldpas", "bedrag-veld": "bedrag.per_persoon_per_jaar", "bedrag-waarde": "80"}


BEHEERDER_ONLY = {FUNCTIONEEL_BEHEERDER: OK}
PUBLIC_API = answers(OK, **{HALF_INGELOGD: SECOND_STEP})
API_POST_ONLY = answers(NOT_ALLOWED, **{HALF_INGELOGD: SECOND_STEP})
CHECK_PUBLIEK = answers(OK, **{HALF_INGELOGD: SECOND_STEP})
CHECK_NAAR_START = answers(to("/check/voorbeeld/"), **{HALF_INGELOGD: SECOND_STEP})

UNKNOWN_UUID = uuid.UUID("00000000-0000-4000-8000-000000000000")

PAGES: list[Page] = [
    Page("home", "core:home", "GET", lambda w: "/", answers(
        STAFF_HOME, **{ANONIEM: OK, INWONER: to("/mijn-gegevens/"), HALF_INGELOGD: SECOND_STEP})),
    Page("start", "core:start", "GET", lambda w: "/start/", answers(
        OK, **{ANONIEM: LOGIN, INWONER: to("/mijn-gegevens/"), HALF_INGELOGD: SECOND_STEP})),
    Page("cijfers", "core:cijfers", "GET", lambda w: "/cijfers/", staff_only(
        **{ARMOEDEREGISSEUR: OK, FUNCTIONEEL_BEHEERDER: OK})),
    Page("mijn_gegevens", "core:mijn_gegevens", "GET", lambda w: "/mijn-gegevens/", staff_only(
        **{INWONER: OK, ANONIEM: Expect(302, location_prefix="/toegang/inwoner/?next=")})),
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
    # Proactive granting (perspectief.proactief): klantmanagers; candidates only within the caseload.
    Page("proactief", "proactief:overzicht", "GET", lambda w: "/proactief/", staff_only(
        **{actor: OK for actor in KLANTMANAGERS})),
    Page("proactief_import_nieuw", "proactief:import_nieuw", "POST", lambda w: "/proactief/imports/", staff_only(
        **{actor: OK for actor in KLANTMANAGERS})),  # no file: the form is shown again with the error
    Page("proactief_import_detail", "proactief:import_detail", "GET",
         lambda w: f"/proactief/imports/{_proactief_import(w).pk}/", staff_only(
             **{KLANTMANAGER: OK, KLANTMANAGER_ANDER_TEAM: HIDDEN, KLANTMANAGER_ANDERE_GEMEENTE: HIDDEN})),
    Page("proactief_ronde", "proactief:ronde_starten", "POST", lambda w: "/proactief/rondes/", staff_only(
        **{actor: to("/proactief/") for actor in KLANTMANAGERS}), data=lambda w: {"peildatum": "2025-09-01"}),
    Page("proactief_regeling", "proactief:regeling", "GET",
         lambda w: f"/proactief/regelingen/{_proactief_kandidaat(w).regeling}/", staff_only(
             **{KLANTMANAGER: OK, KLANTMANAGER_ANDER_TEAM: OK, KLANTMANAGER_ANDERE_GEMEENTE: HIDDEN})),
    Page("proactief_kandidaat", "proactief:kandidaat", "GET",
         lambda w: f"/proactief/kandidaten/{_proactief_kandidaat(w).pk}/", staff_only(
             **{KLANTMANAGER: OK, KLANTMANAGER_ANDER_TEAM: HIDDEN, KLANTMANAGER_ANDERE_GEMEENTE: HIDDEN})),
    Page("proactief_kandidaat_ander_team", "proactief:kandidaat", "GET",
         lambda w: f"/proactief/kandidaten/{_proactief_kandidaat(w, w.ander).pk}/", staff_only(
             **{KLANTMANAGER: HIDDEN, KLANTMANAGER_ANDER_TEAM: OK, KLANTMANAGER_ANDERE_GEMEENTE: HIDDEN})),
    Page("proactief_besluit", "proactief:kandidaat", "POST",
         lambda w: f"/proactief/kandidaten/{_proactief_kandidaat(w).pk}/", staff_only(
             **{KLANTMANAGER: Expect(302, location_prefix="/proactief/kandidaten/"),
                KLANTMANAGER_ANDER_TEAM: HIDDEN, KLANTMANAGER_ANDERE_GEMEENTE: HIDDEN}),
         data=lambda w: {"soort": "toekennen"}),
    Page("proactief_brief", "proactief:brief", "GET",
         lambda w: f"/proactief/kandidaten/{_proactief_kandidaat(w).pk}/brief/", staff_only(
             **{KLANTMANAGER: OK, KLANTMANAGER_ANDER_TEAM: HIDDEN, KLANTMANAGER_ANDERE_GEMEENTE: HIDDEN})),
    Page("proactief_afmelden", "proactief:afmelden", "POST",
         lambda w: f"/proactief/kandidaten/{_proactief_kandidaat(w).pk}/afmelden/", staff_only(
             **{KLANTMANAGER: Expect(302, location_prefix="/proactief/kandidaten/"),
                KLANTMANAGER_ANDER_TEAM: HIDDEN, KLANTMANAGER_ANDERE_GEMEENTE: HIDDEN}),
         data=lambda w: {"omvang": "alle"}),
    Page("proactief_mijn_keuze", "proactief:mijn_keuze", "GET", lambda w: "/proactief/mijn-keuze/", staff_only(
        **{INWONER: OK, ANONIEM: Expect(302, location_prefix="/toegang/inwoner/?next=")})),
    Page("proactief_mijn_keuze_post", "proactief:mijn_keuze", "POST", lambda w: "/proactief/mijn-keuze/", staff_only(
        **{INWONER: to("/proactief/mijn-keuze/"), ANONIEM: Expect(302, location_prefix="/toegang/inwoner/?next=")}),
         data=lambda w: {"keuze": "geen_contact"}),
    Page("beleid_wat_als", "beleid:wat_als", "GET", lambda w: "/beleid/wat-als/", staff_only(**{ARMOEDEREGISSEUR: OK})),
    Page("audit", "audit:zoeken", "GET", lambda w: "/audit/", staff_only(**{FUNCTIONEEL_BEHEERDER: OK})),
    # Scheme catalogue management (perspectief.regelingen): the functioneel beheerder, own gemeente.
    Page("regelingen_lijst", "regelingen:lijst", "GET", lambda w: "/beheer/regelingen/", staff_only(**BEHEERDER_ONLY)),
    Page("regelingen_nieuw", "regelingen:nieuw", "POST", lambda w: "/beheer/regelingen/nieuw/", staff_only(
        **{FUNCTIONEEL_BEHEERDER: Expect(302, location_prefix="/beheer/regelingen/")})),
    Page("regelingen_versie", "regelingen:versie", "GET", lambda w: f"/beheer/regelingen/{_catalogusversie(w).pk}/",
         staff_only(**BEHEERDER_ONLY)),
    Page("regelingen_versie_andere_gemeente", "regelingen:versie", "GET",
         lambda w: f"/beheer/regelingen/{_catalogusversie(w, KLANTMANAGER_ANDERE_GEMEENTE).pk}/",
         staff_only(**{FUNCTIONEEL_BEHEERDER: HIDDEN})),
    Page("regelingen_bedrag", "regelingen:bedrag", "POST", lambda w: f"/beheer/regelingen/{_catalogusversie(w).pk}/bedrag/",
         staff_only(**{FUNCTIONEEL_BEHEERDER: Expect(302, location_prefix="/beheer/regelingen/")}), data=_bedrag_data),
    Page("regelingen_voorbeeld", "regelingen:voorbeeld", "GET",
         lambda w: f"/beheer/regelingen/{_catalogusversie(w).pk}/voorbeeld/", staff_only(**BEHEERDER_ONLY)),
    Page("regelingen_publiceren", "regelingen:publiceren", "GET",
         lambda w: f"/beheer/regelingen/{_catalogusversie(w).pk}/publiceren/", staff_only(**BEHEERDER_ONLY)),
    Page("regelingen_intrekken", "regelingen:intrekken", "POST",
         lambda w: f"/beheer/regelingen/{_catalogusversie(w).pk}/intrekken/",
         staff_only(**{FUNCTIONEEL_BEHEERDER: to("/beheer/regelingen/")})),
    # The public JSON API and its documentation: anonymous, the same for everyone.
    Page("api_documentatie", "api:documentatie", "GET", lambda w: "/api/", PUBLIC_API),
    Page("api_schema", "api:schema", "GET", lambda w: "/api/schema/", PUBLIC_API),
    Page("api_berekening", "api:berekening", "GET", lambda w: "/api/v1/berekening/", API_POST_ONLY),
    Page("api_armoedeval", "api:armoedeval", "GET", lambda w: "/api/v1/armoedeval/", API_POST_ONLY),
    Page("api_gemeente_regelingen", "api:gemeente_regelingen", "GET",
         lambda w: f"/api/v1/gemeenten/{w.users[FUNCTIONEEL_BEHEERDER].gemeente.slug}/regelingen/", PUBLIC_API),
    # The public regelingencheck (perspectief.regelingencheck): anonymous, for everyone. Without
    # a check in the session every step and result page goes back to the start; sharing with
    # the consultant is for residents only (staff: 403). tests/regelingencheck covers the rest.
    Page("check_kies_gemeente", "regelingencheck:kies_gemeente", "GET", lambda w: "/check/", CHECK_PUBLIEK),
    Page("check_start", "regelingencheck:start", "GET", lambda w: "/check/voorbeeld/", CHECK_PUBLIEK),
    Page("check_start_post", "regelingencheck:start", "POST", lambda w: "/check/voorbeeld/",
         answers(to("/check/voorbeeld/stap/1/"), **{HALF_INGELOGD: SECOND_STEP})),
    Page("check_stap", "regelingencheck:stap", "GET", lambda w: "/check/voorbeeld/stap/1/", CHECK_NAAR_START),
    Page("check_uitkomst", "regelingencheck:uitkomst", "GET", lambda w: "/check/voorbeeld/uitkomst/", CHECK_NAAR_START),
    Page("check_uitkomst_pdf", "regelingencheck:uitkomst_pdf", "GET", lambda w: "/check/voorbeeld/uitkomst/pdf/",
         CHECK_NAAR_START),
    Page("check_code_maken", "regelingencheck:code_maken", "POST", lambda w: "/check/voorbeeld/code/", CHECK_NAAR_START),
    Page("check_code_maken_get", "regelingencheck:code_maken", "GET", lambda w: "/check/voorbeeld/code/",
         answers(NOT_ALLOWED, **{HALF_INGELOGD: SECOND_STEP})),
    Page("check_openen", "regelingencheck:openen", "GET", lambda w: "/check/voorbeeld/openen/", CHECK_PUBLIEK),
    Page("check_openen_post", "regelingencheck:openen", "POST", lambda w: "/check/voorbeeld/openen/", CHECK_PUBLIEK,
         data=lambda w: {"code": "AAAA-AAAA"}),
    Page("check_delen", "regelingencheck:delen", "GET", lambda w: "/check/voorbeeld/delen/", answers(
        FORBIDDEN, **{ANONIEM: to("/check/voorbeeld/"), INWONER: to("/check/voorbeeld/"), HALF_INGELOGD: SECOND_STEP})),
    Page("check_delen_post", "regelingencheck:delen", "POST", lambda w: "/check/voorbeeld/delen/", answers(
        FORBIDDEN, **{ANONIEM: to("/check/voorbeeld/"), INWONER: to("/check/voorbeeld/"), HALF_INGELOGD: SECOND_STEP}),
         data=lambda w: {"toestemming": "on"}),
    Page("check_werken", "regelingencheck:werken", "GET", lambda w: "/check/voorbeeld/werken/", CHECK_NAAR_START),
]


# --- huishoudboekje: payments, signals and the resident's page (one block) ------------------


def _hhb_deelname(world: World):
    """The Bakker household (team 1) takes part; its aanvrager is the world's resident."""
    from perspectief.huishoudboekje.models import Deelname, Tussenrekening

    tussenrekening, _ = Tussenrekening.objects.get_or_create(
        iban="NL36ABNA5632579034", defaults={"gemeente": world.eigen.gemeente, "naam": "Gemeente Huishoudboekje"})
    return Deelname.objects.get_or_create(huishouden=world.eigen, defaults={
        "tussenrekening": tussenrekening, "budgetbeheerder": world.users[BUDGETBEHEERDER],
        "startdatum": datetime.date(2026, 1, 1), "leefgeld_iban": "NL91ABNA0417164300", "leefgeld_naam": "F. Bakker"})[0]


def _hhb_batch(world: World, *, goedgekeurd: bool = False):
    """A batch prepared by another budgetbeheerder of the gemeente (so the world's one may
    approve it); approved ones carry a file."""
    from perspectief.huishoudboekje.models import Betaalbatch

    from ..factories import GebruikerFactory

    message_id = "MATRIX-GOED" if goedgekeurd else "MATRIX-OPEN"
    batch = Betaalbatch.objects.filter(message_id=message_id).first()
    if batch is None:
        collega = GebruikerFactory(username=f"budgetbeheerder-{message_id.lower()}", rol=BUDGETBEHEERDER,
                                   gemeente=world.eigen.gemeente)
        batch = Betaalbatch.objects.create(
            tussenrekening=_hhb_deelname(world).tussenrekening, uitvoerdatum=datetime.date(2026, 12, 1),
            message_id=message_id, voorbereid_door=collega,
            **({"status": "goedgekeurd", "goedgekeurd_door": world.users[BUDGETBEHEERDER], "bestand": b"<Document/>"}
               if goedgekeurd else {}))
    return batch


def _hhb_signaal(world: World):
    from perspectief.huishoudboekje.models import Signaal

    return Signaal.objects.get_or_create(
        deelname=_hhb_deelname(world), soort="negatief_saldo", periode=datetime.date(2026, 11, 1))[0]


def _hhb_batch_url(world: World, suffix: str = "", **kwargs) -> str:
    return f"/huishoudboekje/betalingen/bestanden/{_hhb_batch(world, **kwargs).uuid}/{suffix}"


BUDGETBEHEER_ONLY = {BUDGETBEHEERDER: OK}
HHB_PAGES: list[Page] = [
    Page("hhb_betalingen", "huishoudboekje:betalingen", "GET", lambda w: "/huishoudboekje/betalingen/",
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_betalingen_plannen", "huishoudboekje:betalingen_plannen", "POST",
         lambda w: "/huishoudboekje/betalingen/plannen/",
         staff_only(**{BUDGETBEHEERDER: to("/huishoudboekje/betalingen/")}),
         data=lambda w: {"plannen-tussenrekening": _hhb_deelname(w).tussenrekening_id,
                         "plannen-tot": datetime.date.today().isoformat()}),
    Page("hhb_batch_maken", "huishoudboekje:batch_maken", "POST", lambda w: "/huishoudboekje/betalingen/bestanden/",
         staff_only(**BUDGETBEHEER_ONLY)),  # no date: the page is shown again with the error
    Page("hhb_statusrapport", "huishoudboekje:statusrapport", "POST",
         lambda w: "/huishoudboekje/betalingen/statusrapport/", staff_only(**BUDGETBEHEER_ONLY)),  # no file
    Page("hhb_batch", "huishoudboekje:batch", "GET", lambda w: _hhb_batch_url(w), staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_batch_onbekend", "huishoudboekje:batch", "GET",
         lambda w: f"/huishoudboekje/betalingen/bestanden/{UNKNOWN_UUID}/", staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_batch_goedkeuren", "huishoudboekje:batch_goedkeuren", "POST", lambda w: _hhb_batch_url(w, "goedkeuren/"),
         staff_only(**{BUDGETBEHEERDER: Expect(302, location_prefix="/huishoudboekje/betalingen/bestanden/")})),
    Page("hhb_batch_afkeuren", "huishoudboekje:batch_afkeuren", "POST", lambda w: _hhb_batch_url(w, "afkeuren/"),
         staff_only(**{BUDGETBEHEERDER: Expect(302, location_prefix="/huishoudboekje/betalingen/bestanden/")}),
         data=lambda w: {"reden": "Verkeerde datum"}),
    Page("hhb_batch_downloaden", "huishoudboekje:batch_downloaden", "GET",
         lambda w: _hhb_batch_url(w, "downloaden/", goedgekeurd=True), staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_batch_downloaden_niet_goedgekeurd", "huishoudboekje:batch_downloaden", "GET",
         lambda w: _hhb_batch_url(w, "downloaden/"), staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_signalen", "huishoudboekje:signalen", "GET", lambda w: "/huishoudboekje/signalen/",
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_signaal_afhandelen", "huishoudboekje:signaal_afhandelen", "POST",
         lambda w: f"/huishoudboekje/signalen/{_hhb_signaal(w).pk}/afhandelen/",
         staff_only(**{BUDGETBEHEERDER: to("/huishoudboekje/signalen/")}), data=lambda w: {"toelichting": "Gebeld"}),
    Page("hhb_signaal_onbekend", "huishoudboekje:signaal_afhandelen", "POST",
         lambda w: "/huishoudboekje/signalen/999999/afhandelen/", staff_only(**{BUDGETBEHEERDER: HIDDEN}),
         data=lambda w: {"toelichting": "Gebeld"}),
    Page("mijn_huishoudboekje", "mijn_huishoudboekje:overzicht", "GET",
         lambda w: _hhb_deelname(w) and "/mijn-huishoudboekje/",
         staff_only(**{INWONER: OK, ANONIEM: Expect(302, location_prefix="/toegang/inwoner/?next=")})),
]
PAGES += HHB_PAGES


# --- huishoudboekje: the work list, a household's page, statements and open lines (one block) --


def _hhb_deelname_ander(world: World):
    """The Visser household (team 2) takes part too: outside the budgetbeheerder's caseload."""
    from perspectief.huishoudboekje.models import Deelname

    eigen = _hhb_deelname(world)
    return Deelname.objects.get_or_create(huishouden=world.ander, defaults={
        "tussenrekening": eigen.tussenrekening, "budgetbeheerder": world.users[KLANTMANAGER_ANDER_TEAM],
        "startdatum": datetime.date(2026, 1, 1), "leefgeld_iban": "NL91ABNA0417164300", "leefgeld_naam": "N. Visser"})[0]


def _hhb_afspraak(world: World, deelname=None):
    from perspectief.huishoudboekje.models import Afspraak, Organisatie

    deelname = deelname or _hhb_deelname(world)
    organisatie, _ = Organisatie.objects.get_or_create(gemeente=world.eigen.gemeente, naam="Woningstichting Matrix")
    return Afspraak.objects.get_or_create(deelname=deelname, omschrijving=f"Huur {deelname.pk}", defaults={
        "richting": "uitgave", "rubriek": "huur", "organisatie": organisatie, "tegenrekening_iban": "NL20INGB0001234567",
        "bedrag": "650.00", "frequentie": "maand", "dag": 1, "geldig_vanaf": datetime.date(2026, 1, 1)})[0]


def _hhb_bankbestand(world: World):
    """An imported statement with one open line and one line booked on the Bakker rent."""
    from perspectief.huishoudboekje import matching
    from perspectief.huishoudboekje.models import Bankbestand, Banktransactie

    tussenrekening = _hhb_deelname(world).tussenrekening
    bestand, nieuw = Bankbestand.objects.get_or_create(
        tussenrekening=tussenrekening, sha256="a" * 64,
        defaults={"bestandsnaam": "matrix.xml", "status": "klaar", "formaat": "camt.053"})
    if nieuw:
        for kenmerk in ("open", "geboekt"):
            Banktransactie.objects.create(
                tussenrekening=tussenrekening, bankbestand=bestand, kenmerk=f"matrix-{kenmerk}",
                boekdatum=datetime.date(2026, 2, 2), richting="uitgave", bedrag="650.00",
                tegenrekening_iban="NL20INGB0001234567", tegenpartij_naam="Woningstichting Matrix")
        matching.handmatig_boeken(actor=None, transactie=Banktransactie.objects.get(kenmerk="matrix-geboekt"),
                                  afspraak=_hhb_afspraak(world))
    return bestand


def _hhb_regel(world: World, kenmerk: str):
    from perspectief.huishoudboekje.models import Banktransactie

    _hhb_bankbestand(world)
    return Banktransactie.objects.get(kenmerk=f"matrix-{kenmerk}")


def _hhb_bankbestand_elders(world: World):
    from perspectief.huishoudboekje.models import Bankbestand, Tussenrekening

    tussenrekening, _ = Tussenrekening.objects.get_or_create(
        iban="NL02ABNA0123456789", defaults={"gemeente": world.elders.gemeente, "naam": "Anderdorp"})
    return Bankbestand.objects.get_or_create(tussenrekening=tussenrekening, sha256="b" * 64, defaults={
        "bestandsnaam": "elders.xml", "status": "klaar"})[0]


def _hhb(world: World, suffix: str = "", deelname=None) -> str:
    return f"/huishoudboekje/{(deelname or _hhb_deelname(world)).uuid}/{suffix}"


def _hhb_afspraak_url(world: World, suffix: str = "", afspraak=None) -> str:
    afspraak = afspraak or _hhb_afspraak(world)
    return _hhb(world, f"afspraken/{afspraak.uuid}/{suffix}")


def _hhb_regel_url(world: World, kenmerk: str, suffix: str = "") -> str:
    return f"/huishoudboekje/afschriften/regels/{_hhb_regel(world, kenmerk).pk}/{suffix}"


HHB_REDIRECT = Expect(302, location_prefix="/huishoudboekje/")
HHB_SCHERMEN: list[Page] = [
    Page("hhb_werklijst", "huishoudboekje:werklijst", "GET", lambda w: "/huishoudboekje/", staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_werklijst_zoeken", "huishoudboekje:werklijst", "POST", lambda w: "/huishoudboekje/",
         staff_only(**{BUDGETBEHEERDER: Expect(302, location_prefix="/huishoudboekje/?zoekopdracht=")}),
         data=lambda w: {"zoekterm": "Bakker"}),
    Page("hhb_deelname_nieuw", "huishoudboekje:deelname_nieuw", "GET", lambda w: "/huishoudboekje/nieuw/",
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_deelname_nieuw_post", "huishoudboekje:deelname_nieuw", "POST", lambda w: "/huishoudboekje/nieuw/",
         staff_only(**BUDGETBEHEER_ONLY)),  # nothing chosen: the form is shown again with the errors
    Page("hhb_deelname", "huishoudboekje:deelname", "GET", lambda w: _hhb(w), staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_deelname_ander_team", "huishoudboekje:deelname", "GET", lambda w: _hhb(w, deelname=_hhb_deelname_ander(w)),
         staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_deelname_onbekend", "huishoudboekje:deelname", "GET", lambda w: f"/huishoudboekje/{UNKNOWN_UUID}/",
         staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_afspraak_nieuw", "huishoudboekje:afspraak_nieuw", "GET", lambda w: _hhb(w, "afspraken/nieuw/"),
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_afspraak_nieuw_post", "huishoudboekje:afspraak_nieuw", "POST", lambda w: _hhb(w, "afspraken/nieuw/"),
         staff_only(**BUDGETBEHEER_ONLY)),  # empty: the form is shown again with the errors
    Page("hhb_afspraak_nieuw_ander_team", "huishoudboekje:afspraak_nieuw", "GET",
         lambda w: _hhb(w, "afspraken/nieuw/", deelname=_hhb_deelname_ander(w)), staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_afspraak_wijzigen", "huishoudboekje:afspraak_wijzigen", "GET", lambda w: _hhb_afspraak_url(w),
         staff_only(**BUDGETBEHEER_ONLY)),
    # An afspraak of another household, reached through a household one may see: still 404.
    Page("hhb_afspraak_wijzigen_vreemd", "huishoudboekje:afspraak_wijzigen", "GET",
         lambda w: _hhb_afspraak_url(w, afspraak=_hhb_afspraak(w, _hhb_deelname_ander(w))),
         staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_afspraak_beeindigen", "huishoudboekje:afspraak_beeindigen", "GET", lambda w: _hhb_afspraak_url(w, "beeindigen/"),
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_afspraak_beeindigen_post", "huishoudboekje:afspraak_beeindigen", "POST",
         lambda w: _hhb_afspraak_url(w, "beeindigen/"), staff_only(**{BUDGETBEHEERDER: HHB_REDIRECT}),
         data=lambda w: {"geldig_tot": "2026-12-31"}),
    Page("hhb_afschriften", "huishoudboekje:afschriften", "GET", lambda w: "/huishoudboekje/afschriften/",
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_afschriften_post", "huishoudboekje:afschriften", "POST", lambda w: "/huishoudboekje/afschriften/",
         staff_only(**BUDGETBEHEER_ONLY)),  # no file: the form is shown again with the error
    Page("hhb_afschrift", "huishoudboekje:afschrift", "GET",
         lambda w: f"/huishoudboekje/afschriften/{_hhb_bankbestand(w).pk}/", staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_afschrift_andere_gemeente", "huishoudboekje:afschrift", "GET",
         lambda w: f"/huishoudboekje/afschriften/{_hhb_bankbestand_elders(w).pk}/", staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_open_posten", "huishoudboekje:open_posten", "GET", lambda w: "/huishoudboekje/afschriften/open-posten/",
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_transactie", "huishoudboekje:transactie", "GET", lambda w: _hhb_regel_url(w, "open"),
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_transactie_zoeken", "huishoudboekje:transactie", "POST", lambda w: _hhb_regel_url(w, "open"),
         staff_only(**BUDGETBEHEER_ONLY), data=lambda w: {"naam": "Bakker"}),
    Page("hhb_transactie_onbekend", "huishoudboekje:transactie", "GET",
         lambda w: "/huishoudboekje/afschriften/regels/999999/", staff_only(**{BUDGETBEHEERDER: HIDDEN})),
    Page("hhb_boeken", "huishoudboekje:boeken", "GET",
         lambda w: _hhb_regel_url(w, "open", f"boeken/?afspraak={_hhb_afspraak(w).uuid}"), staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_boeken_post", "huishoudboekje:boeken", "POST", lambda w: _hhb_regel_url(w, "open", "boeken/"),
         staff_only(**{BUDGETBEHEERDER: to("/huishoudboekje/afschriften/open-posten/")}),
         data=lambda w: {"afspraak": str(_hhb_afspraak(w).uuid)}),
    Page("hhb_ongedaan_maken", "huishoudboekje:ongedaan_maken", "GET", lambda w: _hhb_regel_url(w, "geboekt", "ongedaan-maken/"),
         staff_only(**BUDGETBEHEER_ONLY)),
    Page("hhb_ongedaan_maken_post", "huishoudboekje:ongedaan_maken", "POST",
         lambda w: _hhb_regel_url(w, "geboekt", "ongedaan-maken/"), staff_only(**{BUDGETBEHEERDER: HHB_REDIRECT})),
]
PAGES += HHB_SCHERMEN

assert len({page.key for page in PAGES}) == len(PAGES), "page keys must be unique"


def _refusals() -> int:
    return AuditRegel.objects.filter(resultaat=Resultaat.GEWEIGERD).count()


def _request_in_savepoint(client, page: Page, world: World, path: str):
    """One request whose database writes (and session changes) are rolled back afterwards,
    so every row of the matrix starts from the same world and the same logged-in session."""
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    with transaction.atomic():
        refusals_before = _refusals()
        if page.method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, page.data(world))
        refusals = _refusals() - refusals_before
        refusal = AuditRegel.objects.filter(resultaat=Resultaat.GEWEIGERD).order_by("-volgnummer").first()
        transaction.set_rollback(True)
    client.cookies = SimpleCookie()
    for name, value in cookies.items():
        client.cookies[name] = value
    return response, refusals, refusal


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_access(actor: str, subtests):
    """Every page for one actor; each page is a subtest, so every mismatch is reported."""
    world = build_world()
    client = client_for(world, actor, REMOTE_ADDR="203.0.113.9")
    user = world.user(actor)
    for page in PAGES:
        with subtests.test(page=page.key):
            path = page.url(world)
            expected = page.expect[actor]
            response, refusals, refusal = _request_in_savepoint(client, page, world, path)

            assert response.status_code == expected.status, (page.key, actor, response.status_code)
            if expected.location == "LOGIN":
                assert response["Location"] == "/toegang/inloggen/?" + urlencode({"next": path}, safe="/")
            elif expected.location is not None:
                assert response["Location"] == expected.location
            if expected.location_prefix is not None:
                assert response["Location"].startswith(expected.location_prefix), response["Location"]

            if expected.status in (403, 404):
                assert refusals == 1
                assert refusal.actor_id == (user.pk if user else None)
                assert refusal.herkomst_ip == "203.0.113.9"
                assert refusal.kanaal == "web"
                assert refusal.request_id == response["X-Request-ID"]
            else:
                assert refusals == 0


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


# --- A buddy sees only the households they are linked to, and only what was consented -----

def _buddy_detail(world: World):
    client = client_for(world, BUDDY)
    return client.get(detail_url(world, world.eigen))


@pytest.mark.django_db
@pytest.mark.parametrize("actor", CASELOAD + (BUDDY,))
def test_household_page_offers_changes_to_caseload_roles_only(actor):
    world = build_world()
    response = client_for(world, actor).get(detail_url(world, world.eigen))
    assert response.status_code == 200
    assert response.context["mag_wijzigen"] is (actor in CASELOAD)
    html = response.content.decode()
    change_url = reverse("huishoudens:toestemming_nieuw", kwargs={"uuid": world.eigen.uuid})
    assert (change_url in html) is (actor in CASELOAD)


def _consent(world: World, *, huishouden=None, gegevensdeel="inkomen", start=0, end=30, **receiver):
    from perspectief.huishoudens import services

    today = datetime.date.today()
    if not receiver:
        receiver = {"ontvanger_rol": BUDDY}
    return services.toestemming_create(
        actor=None, huishouden=huishouden or world.eigen, gegevensdeel=gegevensdeel, doel="vrijwillige_hulp",
        geldig_vanaf=today + datetime.timedelta(days=start), geldig_tot=today + datetime.timedelta(days=end),
        **receiver,
    )


def _withdrawn(world: World):
    from perspectief.huishoudens import services

    services.toestemming_intrekken(actor=None, toestemming=_consent(world))


CONSENT_CASES = {
    "alleen_personalia": (lambda w: None, {"personalia"}),
    "inkomen_voor_buddies": (lambda w: _consent(w), {"personalia", "inkomen"}),
    "inkomen_voor_deze_buddy": (lambda w: _consent(w, ontvanger_gebruiker=w.users[BUDDY]), {"personalia", "inkomen"}),
    "inkomen_verlopen": (lambda w: _consent(w, start=-30, end=-1), {"personalia"}),
    "inkomen_nog_niet_geldig": (lambda w: _consent(w, start=1, end=30), {"personalia"}),
    "inkomen_ingetrokken": (_withdrawn, {"personalia"}),
    "inkomen_voor_andere_buddy": (
        lambda w: _consent(w, ontvanger_gebruiker=_other_buddy()), {"personalia"}),
    "inkomen_voor_klantmanagers": (lambda w: _consent(w, ontvanger_rol=KLANTMANAGER), {"personalia"}),
    "inkomen_voor_organisatie": (lambda w: _consent(w, ontvanger_organisatie="Woningcorporatie"), {"personalia"}),
    "inkomen_van_ander_huishouden": (lambda w: _consent(w, huishouden=w.ander), {"personalia"}),
}


def _other_buddy():
    from ..factories import GebruikerFactory

    return GebruikerFactory(username="buddy2", rol=BUDDY)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CONSENT_CASES)
def test_buddy_sees_only_consented_parts(case):
    world = build_world()
    arrange, expected_parts = CONSENT_CASES[case]
    arrange(world)
    response = _buddy_detail(world)
    assert response.status_code == 200
    assert {part for part, shown in response.context["toon"].items() if shown} == expected_parts
    html = response.content.decode()
    assert ("1234,56" in html) == ("inkomen" in expected_parts)
    assert "9999 AB" not in html  # no consent for contact details in any case
    assert "*****" not in html  # buddies never see a BSN, not even masked
    entry = AuditRegel.objects.filter(actor_id=world.users[BUDDY].pk, object_type="huishouden").get()
    assert entry.resultaat == Resultaat.GELUKT
    assert entry.details == {"gegevensdelen": sorted(expected_parts)}


@pytest.mark.django_db
def test_buddy_without_any_valid_consent_sees_no_names():
    from perspectief.huishoudens import services

    world = build_world()
    services.toestemming_intrekken(actor=None, toestemming=world.eigen.toestemmingen.get())
    response = _buddy_detail(world)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fenna" not in html and "Bakker" not in html
    assert "Het huishouden heeft geen toestemming gegeven" in html


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["beeindigd", "begint_morgen", "andere_buddy"])
def test_buddy_link_that_does_not_count(change):
    from perspectief.huishoudens.models import Buddykoppeling

    world = build_world()
    koppeling = Buddykoppeling.objects.get(huishouden=world.eigen)
    today = datetime.date.today()
    if change == "beeindigd":
        koppeling.vanaf, koppeling.tot = today - datetime.timedelta(days=60), today - datetime.timedelta(days=1)
    elif change == "begint_morgen":
        koppeling.vanaf = today + datetime.timedelta(days=1)
    else:
        koppeling.buddy = _other_buddy()
    koppeling.save()
    client = client_for(world, BUDDY)
    refusals = _refusals()
    response = client.get(detail_url(world, world.eigen))
    assert response.status_code == 404
    assert _refusals() == refusals + 1
    assert client.get("/huishoudens/").context["page"].paginator.count == 0


@pytest.mark.django_db
def test_buddy_list_shows_only_linked_households():
    world = build_world()
    response = client_for(world, BUDDY).get("/huishoudens/")
    assert [h.pk for h in response.context["page"].object_list] == [world.eigen.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(("consented", "shows_name", "shows_address"), [
    ((), False, False),
    (("personalia",), True, False),
    (("personalia", "contact"), True, True),
    (("contact",), False, True),
])
def test_buddy_list_shows_only_consented_parts(consented, shows_name, shows_address):
    from perspectief.huishoudens import services

    world = build_world()
    services.toestemming_intrekken(actor=None, toestemming=world.eigen.toestemmingen.get())  # personalia
    for part in consented:
        _consent(world, gegevensdeel=part)
    html = client_for(world, BUDDY).get("/huishoudens/").content.decode()
    assert ("Bakker" in html) == shows_name
    assert ("9999 AB" in html) == shows_address
    assert f"/huishoudens/{world.eigen.uuid}/" in html  # the household itself is listed


@pytest.mark.django_db
def test_caseload_list_shows_name_and_address():
    world = build_world()
    html = client_for(world, KLANTMANAGER).get("/huishoudens/").content.decode()
    assert "Bakker" in html and "9999 AB" in html


# --- The armoederegisseur sees counts only ----------------------------------------------

@pytest.mark.django_db
def test_cijfers_shows_counts_per_wijk_and_suppresses_small_groups():
    from ..factories import AdresFactory, GemeenteFactory, HuishoudenFactory, WijkFactory

    world = build_world()  # 2 households in its gemeente without a wijk: a small group
    gemeente = world.eigen.gemeente
    groot, klein, grens = (WijkFactory(gemeente=gemeente, naam=n) for n in ("Centrum", "Haven", "Veld"))
    for wijk, count in ((groot, 12), (klein, 3), (grens, 10)):
        for _ in range(count):
            HuishoudenFactory(gemeente=gemeente, adres=AdresFactory(wijk=wijk), naam="Geheim")
    elders = GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp")
    centrum_elders = WijkFactory(gemeente=elders, naam="Centrum")
    for _ in range(15):  # another municipality's households are not counted
        HuishoudenFactory(gemeente=elders, adres=AdresFactory(wijk=centrum_elders))

    response = client_for(world, ARMOEDEREGISSEUR).get("/cijfers/")
    assert response.status_code == 200
    assert response.context["rijen"] == [
        {"wijk": "Centrum", "aantal": 12},
        {"wijk": "Haven", "aantal": None},
        {"wijk": "Veld", "aantal": 10},
        {"wijk": "Onbekend", "aantal": None},
    ]
    html = response.content.decode()
    for personal in ("Geheim", "Bakker", "Fenna", "Dorpsstraat", "9999"):
        assert personal not in html


# --- The navigation offers each role exactly the pages the matrix lets it use ----------------

@pytest.mark.django_db
@pytest.mark.parametrize("actor", [INWONER, *STAFF])
def test_navigation_links_only_to_pages_the_matrix_allows(actor):
    from perspectief.core.navigation import items_for

    world = build_world()
    user = world.user(actor)
    allowed = {
        page.url(world) for page in PAGES
        if page.method == "GET" and page.expect[actor] == OK
    }
    linked = {item.url for item in items_for(user)}
    assert linked <= allowed, linked - allowed
    # ... and no page of the main menu that the role may use is left out.
    menu_pages = {"/start/", "/huishoudens/", "/huishoudens/nieuw/", "/cijfers/", "/audit/", "/mijn-gegevens/", "/proactief/", "/beleid/wat-als/",
                  "/beheer/regelingen/", "/mijn-huishoudboekje/", "/huishoudboekje/"}
    if actor == INWONER:  # the public regelingencheck is in the residents' menu only
        menu_pages |= {"/check/"}
    expected = (allowed & menu_pages) - ({"/start/"} if actor == INWONER else set())
    assert linked == expected
