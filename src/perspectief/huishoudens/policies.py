"""Who may see which household, and which parts of it.

- klantmanager, budgetbeheerder, schuldhulpverlener: households of their own team or where
  they are the contact person; all parts.
- buddy: only households with an active buddykoppeling, only the parts the household
  consented to share with buddies (or with this buddy), for a purpose that is still valid.
  A search or filter finds a household only through parts the buddy may see there, and
  never through the BSN (`households_searchable_by`).
- armoederegisseur, functioneel beheerder, residents: no household's personal data through
  the staff pages (residents see their own data through their own pages).
"""

from datetime import date

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from perspectief.toegang.constants import CASELOAD_ROLES, Rol
from perspectief.toegang.policies import is_staff_with_role

from .constants import Gegevensdeel
from .models import Buddykoppeling, Huishouden, Toestemming

ALL_PARTS = frozenset(Gegevensdeel.values)


def _active_buddy_links(user, today: date) -> QuerySet[Buddykoppeling]:
    return Buddykoppeling.objects.filter(buddy=user, vanaf__lte=today).filter(Q(tot__isnull=True) | Q(tot__gte=today))


def _valid_consents(today: date) -> QuerySet[Toestemming]:
    return Toestemming.objects.filter(geldig_vanaf__lte=today, geldig_tot__gte=today, ingetrokken_op__isnull=True)


def _consents_for_buddy(user, today: date) -> QuerySet[Toestemming]:
    return _valid_consents(today).filter(Q(ontvanger_rol=Rol.BUDDY) | Q(ontvanger_gebruiker=user))


def households_visible_to(user, *, today: date | None = None) -> QuerySet[Huishouden]:
    """The households this user may open at all (the caseload)."""
    if not can_list_households(user):
        return Huishouden.objects.none()
    today = today or timezone.localdate()
    households = Huishouden.objects.filter(gemeente_id=user.gemeente_id)
    if user.rol in CASELOAD_ROLES:
        return households.filter(Q(team__in=user.teams.all()) | Q(contactpersoon=user))
    if user.rol == Rol.BUDDY:
        linked = _active_buddy_links(user, today).filter(huishouden=OuterRef("pk"))
        return households.filter(Exists(linked))
    return Huishouden.objects.none()


def can_list_households(user) -> bool:
    return is_staff_with_role(user, *CASELOAD_ROLES, Rol.BUDDY)


def can_view_household(user, huishouden: Huishouden) -> bool:
    return households_visible_to(user).filter(pk=huishouden.pk).exists()


def can_change_households(user) -> bool:
    """Page level: may this user use the pages that change households at all (which
    households then follows from the caseload: a household may be changed when this holds
    and it is in `households_visible_to`)."""
    return is_staff_with_role(user, *CASELOAD_ROLES)


def can_create_household(user) -> bool:
    return is_staff_with_role(user, Rol.KLANTMANAGER)


def visible_parts(user, huishouden: Huishouden, *, today: date | None = None) -> frozenset[str]:
    """The parts of this household's data the user may see (empty when none)."""
    if not can_view_household(user, huishouden):
        return frozenset()
    if user.rol in CASELOAD_ROLES:
        return ALL_PARTS
    today = today or timezone.localdate()
    consents = _consents_for_buddy(user, today).filter(huishouden=huishouden)
    return frozenset(consents.values_list("gegevensdeel", flat=True))


def households_searchable_by(
    user, *, matches_on: frozenset[str], today: date | None = None
) -> QuerySet[Huishouden]:
    """The households a search or filter that matches on the parts `matches_on` may find
    for this user (see selectors.huishouden_filter_parts). Caseload roles see every part:
    their whole caseload. A buddy: only households that consented to share every one of
    these parts, and none for a BSN, which no consent shares. Otherwise a search would tell
    a buddy that a name, BSN or address belongs to one of their households; this way it
    finds nothing there, exactly as for a name no one has."""
    households = households_visible_to(user, today=today)
    if not matches_on or user.rol in CASELOAD_ROLES:
        return households
    if not matches_on <= ALL_PARTS:
        return households.none()
    today = today or timezone.localdate()
    consents = _consents_for_buddy(user, today).filter(huishouden=OuterRef("pk"))
    for part in sorted(matches_on):
        households = households.filter(Exists(consents.filter(gegevensdeel=part)))
    return households


def with_list_parts(households: QuerySet[Huishouden], user, *, today: date | None = None) -> QuerySet[Huishouden]:
    """Marks each household of a list with what the list may show of it: `toon_personalia`
    (name, size) and `toon_contact` (address, wijk). Caseload roles see both; a buddy only
    what was consented, as on the household page. Subqueries, so no extra queries.

    A buddy's list is not sorted by names they may not see (a row without a name between
    "Bakker" and "Visser" would tell its name lies between B and V): households that share
    their names come first, by name; the others follow by id."""
    if user.rol in CASELOAD_ROLES:
        return households.annotate(toon_personalia=Value(True), toon_contact=Value(True))
    today = today or timezone.localdate()
    consents = _consents_for_buddy(user, today).filter(huishouden=OuterRef("pk"))
    households = households.annotate(
        toon_personalia=Exists(consents.filter(gegevensdeel=Gegevensdeel.PERSONALIA)),
        toon_contact=Exists(consents.filter(gegevensdeel=Gegevensdeel.CONTACT)),
    )
    shared_name = Case(When(toon_personalia=True, then=F("naam")), default=Value(None))
    return households.order_by(shared_name.asc(nulls_last=True), "pk")
