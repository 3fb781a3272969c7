"""Who may manage the scheme catalogue: the functioneel beheerder, for their own gemeente."""

from perspectief.toegang import policies
from perspectief.toegang.constants import Rol


def can_manage_catalogue(user) -> bool:
    return policies.is_staff_with_role(user, Rol.FUNCTIONEEL_BEHEERDER) and user.gemeente_id is not None
