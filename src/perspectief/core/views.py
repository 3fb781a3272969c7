import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.selectors import audit_views_of_household
from perspectief.audit.services import audit_record
from perspectief.toegang import policies

from .selectors import household_counts_per_wijk

logger = logging.getLogger(__name__)


def home(request):
    if request.user.is_authenticated:
        return redirect("core:mijn_gegevens" if policies.is_resident(request.user) else "core:start")
    return render(request, "core/home.html")


@login_required
def start(request):
    if policies.is_resident(request.user):
        return redirect("core:mijn_gegevens")
    return render(request, "core/start.html")


@login_required
def cijfers(request):
    if not policies.can_view_aggregates(request.user):
        audit_record(actor=request.user, actie=Actie.INZIEN, object_type="cijfers", resultaat=Resultaat.GEWEIGERD)
        raise PermissionDenied()
    rows = household_counts_per_wijk(gemeente_id=request.user.gemeente_id)
    maximum = max((row["aantal"] or 0 for row in rows), default=0)
    return render(request, "core/cijfers.html", {"rijen": rows, "maximum": maximum})


@login_required(login_url="toegang:inwoner_login")
def mijn_gegevens(request):
    """A resident's own household and who looked at it."""
    user = request.user
    if not policies.is_resident(user):
        audit_record(actor=user, actie=Actie.INZIEN, object_type="mijn_gegevens", resultaat=Resultaat.GEWEIGERD)
        raise PermissionDenied()
    persoon = user.persoon
    huishouden = persoon.huishouden if persoon else None
    inzage = []
    if huishouden is not None:
        audit_record(
            actor=user, actie=Actie.INZIEN, object_type="huishouden", object_id=huishouden.pk,
            huishouden_id=huishouden.pk, doel="eigen_gegevens",
        )
        inzage = list(audit_views_of_household(huishouden_id=huishouden.pk)[:50])
    return render(request, "core/mijn_gegevens.html", {"huishouden": huishouden, "persoon": persoon, "inzage": inzage})


@never_cache
def health(request):
    """Liveness and database readiness, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as error:  # the reason goes to the log, not to the caller
        logger.error("health: database unreachable (%s)", error.__class__.__name__)
        database = "fout"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "fout", "database": database}, status=status)


def forbidden(request, exception=None):
    return render(request, "core/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)
