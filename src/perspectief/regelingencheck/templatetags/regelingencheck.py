"""Template helpers of the regelingencheck: Dutch amounts and dates, and the shared results
section on the household page."""

from datetime import date

from django import template
from django.utils.translation import gettext as _

from perspectief.core.bedragen import NBSP
from perspectief.regelingencheck import uitkomst

register = template.Library()

_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
            "oktober", "november", "december")


@register.filter
def euro(bedrag) -> str:
    """1234.5 -> '€ 1.234,50' (a non-breaking space after the sign)."""
    if bedrag in (None, ""):
        return "–"
    return uitkomst.euro(bedrag, spatie=NBSP)


@register.filter
def datum(waarde) -> str:
    """'2026-11-23' or a date -> '23 november 2026'."""
    if not waarde:
        return ""
    dag = date.fromisoformat(waarde) if isinstance(waarde, str) else waarde
    return f"{dag.day} {_(_MAANDEN[dag.month - 1])} {dag.year}"


@register.inclusion_tag("regelingencheck/_gedeeld.html", takes_context=True)
def gedeelde_regelingenchecks(context, huishouden):
    """On the household page: results of the regelingencheck the household shared with its
    klantmanager (valid consent for the role). Each result shown is audit-logged."""
    from perspectief.regelingencheck import selectors, services
    from perspectief.toegang import policies
    from perspectief.toegang.constants import Rol

    request = context.get("request")
    user = getattr(request, "user", None)
    checks = []
    if user is not None and policies.is_staff_with_role(user, Rol.KLANTMANAGER):
        checks = services.gedeelde_checks_inzien(
            gebruiker=user,
            huishouden=huishouden,
            checks=selectors.gedeelde_checks(huishouden_id=huishouden.pk, rol=Rol.KLANTMANAGER)[:3],
        )
    return {"checks": checks, "toon": bool(user is not None and policies.is_staff_with_role(user, Rol.KLANTMANAGER))}
