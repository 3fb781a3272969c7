"""Writing the audit log. Call `audit_record` for every create, update, delete and every
view of personal data, and for refusals."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from perspectief.core.request_context import current_origin

from .chain import entry_hash
from .constants import Actie, Resultaat
from .models import AuditKetting, AuditRegel


def audit_record(
    *,
    actor: Any | None,
    actie: Actie | str,
    object_type: str,
    object_id: str | int = "",
    huishouden_id: int | None = None,
    resultaat: Resultaat | str = Resultaat.GELUKT,
    doel: str = "",
    details: dict[str, Any] | None = None,
) -> AuditRegel:
    """Appends one entry to the chain. `details` must hold references only, no personal data."""
    origin = current_origin()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    fields: dict[str, Any] = {
        "tijdstip": timezone.now(),
        "actor_id": actor.pk if authenticated else None,
        "actor_gebruikersnaam": actor.get_username() if authenticated else "",
        "actor_rol": (actor.rol or actor.soort) if authenticated else "anoniem",
        "actie": str(actie),
        "object_type": object_type,
        "object_id": str(object_id),
        "huishouden_id": huishouden_id,
        "resultaat": str(resultaat),
        "herkomst_ip": origin.ip_address,
        "kanaal": origin.channel,
        "request_id": origin.request_id,
        "doel": doel,
        "details": details or {},
    }
    with transaction.atomic():
        head, _ = AuditKetting.objects.select_for_update().get_or_create(id=1)
        fields["volgnummer"] = head.laatste_volgnummer + 1
        fields["vorige_hash"] = head.laatste_hash
        fields["hash"] = entry_hash(fields)
        regel = AuditRegel.objects.create(**fields)
        head.laatste_volgnummer = regel.volgnummer
        head.laatste_hash = regel.hash
        head.save(update_fields=["laatste_volgnummer", "laatste_hash"])
    return regel
