"""Page-level access per role. Object-level rules live with the objects (e.g.
huishoudens.policies)."""

from .constants import Rol, Soort


def is_staff_with_role(user, *roles: str) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.soort == Soort.MEDEWERKER
        and user.rol in roles
    )


def can_search_audit_log(user) -> bool:
    return is_staff_with_role(user, Rol.FUNCTIONEEL_BEHEERDER)


def can_view_aggregates(user) -> bool:
    return is_staff_with_role(user, Rol.ARMOEDEREGISSEUR, Rol.FUNCTIONEEL_BEHEERDER)


def is_resident(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.soort == Soort.INWONER)
