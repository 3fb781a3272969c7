"""Who may do what in the huishoudboekje.

- budgetbeheerder: the participations of households in their caseload (team or
  contactpersoon, as in huishoudens.policies), the gemeente's statement imports and open
  bank lines (an open line belongs to no household yet, so the team that books it must see
  it), payment batches of their gemeente; approving a batch only when someone else
  prepared it (four-eyes, also a database constraint).
- resident: only their own household's huishoudboekje, read-only.
- every other role: nothing here.
"""

from django.db.models import QuerySet

from perspectief.huishoudens.policies import households_visible_to
from perspectief.toegang.constants import Rol
from perspectief.toegang.policies import is_resident, is_staff_with_role

from .models import Betaalbatch, Deelname


def can_use_huishoudboekje(user) -> bool:
    return is_staff_with_role(user, Rol.BUDGETBEHEERDER)


def deelnames_visible_to(user) -> QuerySet[Deelname]:
    if not can_use_huishoudboekje(user):
        return Deelname.objects.none()
    return Deelname.objects.filter(huishouden__in=households_visible_to(user))


def can_view_deelname(user, deelname: Deelname) -> bool:
    return deelnames_visible_to(user).filter(pk=deelname.pk).exists()


def can_approve_batch(user, batch: Betaalbatch) -> bool:
    return (
        can_use_huishoudboekje(user)
        and batch.tussenrekening.gemeente_id == user.gemeente_id
        and batch.voorbereid_door_id != user.pk
    )


def deelname_of_resident(user) -> Deelname | None:
    """The resident's own participation, or None (not a resident, no person linked, or the
    household does not take part)."""
    if not is_resident(user) or user.persoon_id is None:
        return None
    return Deelname.objects.filter(huishouden__personen=user.persoon_id).first()


# --- the budgetbeheerder's screens (households, statements, open lines) ----------------------


def can_start_deelname(user, huishouden) -> bool:
    """A budgetbeheerder may start a participation for a household of their caseload that
    does not take part yet."""
    return (
        can_use_huishoudboekje(user)
        and households_visible_to(user).filter(pk=huishouden.pk).exists()
        and not Deelname.objects.filter(huishouden=huishouden).exists()
    )


def tussenrekeningen_visible_to(user):
    """The gemeente's intermediate accounts: their imports and open lines belong to no
    household yet, so every budgetbeheerder of the gemeente works on them."""
    from .models import Tussenrekening

    if not can_use_huishoudboekje(user):
        return Tussenrekening.objects.none()
    return Tussenrekening.objects.filter(gemeente_id=user.gemeente_id)


def bankbestanden_visible_to(user):
    from .models import Bankbestand

    return Bankbestand.objects.filter(tussenrekening__in=tussenrekeningen_visible_to(user))


def transacties_visible_to(user):
    """Bank lines of the gemeente's tussenrekening. Which household a booked line belongs to
    is shown only when that household is in the user's caseload (see `deelnames_visible_to`)."""
    from .models import Banktransactie

    return Banktransactie.objects.filter(tussenrekening__in=tussenrekeningen_visible_to(user))
