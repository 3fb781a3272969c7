"""Who may use the proactive pages. Which households a klantmanager sees follows from
huishoudens.policies.households_visible_to (the caseload)."""

from perspectief.toegang.constants import Rol
from perspectief.toegang.policies import is_resident, is_staff_with_role


def can_use_proactief(user) -> bool:
    """Imports, runs, candidates and decisions: the klantmanager."""
    return is_staff_with_role(user, Rol.KLANTMANAGER)


def can_use_wat_als(user) -> bool:
    """The policy what-if (aggregates only): the armoederegisseur."""
    return is_staff_with_role(user, Rol.ARMOEDEREGISSEUR)


def can_choose_own_opt_out(user) -> bool:
    return is_resident(user) and getattr(user, "persoon_id", None) is not None
