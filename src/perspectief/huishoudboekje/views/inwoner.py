"""The resident's own huishoudboekje (/mijn-huishoudboekje/): balance, next leefgeld,
upcoming payments and recent bank lines in plain words. Read-only, phone-first.

Every view is audit-logged as the resident reading their own data (doel "eigen_gegevens",
as core's mijn_gegevens); a staff member is refused and that refusal is logged."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record
from perspectief.toegang import policies as toegang_policies

from .. import budget, policies
from ..mijn_overzicht import (
    DAGEN_VOORUIT,
    apart_voor_vaste_lasten,
    komende_betalingen,
    recente_regels,
    volgend_leefgeld,
)


@login_required(login_url="toegang:inwoner_login")
@require_GET
def overzicht(request):
    user = request.user
    if not toegang_policies.is_resident(user):
        audit_record(
            actor=user, actie=Actie.INZIEN, object_type="mijn_huishoudboekje", resultaat=Resultaat.GEWEIGERD,
        )
        raise PermissionDenied()
    deelname = policies.deelname_of_resident(user)
    if deelname is None:
        return render(request, "huishoudboekje/mijn_huishoudboekje.html", {"deelname": None})
    vandaag = timezone.localdate()
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="huishoudboekje", object_id=deelname.pk,
        huishouden_id=deelname.huishouden_id, doel="eigen_gegevens",
    )
    stand = budget.overzicht(deelname=deelname, peildatum=vandaag)
    leefgeld_datum, leefgeld_bedrag = volgend_leefgeld(deelname=deelname, vandaag=vandaag, stand=stand)
    return render(request, "huishoudboekje/mijn_huishoudboekje.html", {
        "deelname": deelname,
        "budget": stand,
        "apart": apart_voor_vaste_lasten(deelname=deelname, stand=stand),
        "leefgeld_datum": leefgeld_datum,
        "leefgeld_bedrag": leefgeld_bedrag,
        "komend": komende_betalingen(deelname=deelname, vandaag=vandaag),
        "regels": recente_regels(deelname=deelname),
        "vandaag": vandaag,
        "dagen": DAGEN_VOORUIT,
    })
