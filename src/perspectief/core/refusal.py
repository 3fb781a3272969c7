"""Refusing a request: audit-logged, then 403, or 404 where the object's existence is
itself private (a household outside one's caseload)."""

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record


def refuse(
    request, *, object_type: str, object_id="", huishouden_id=None, doel: str = "", hide_existence: bool = False
) -> NoReturn:
    audit_record(
        actor=request.user, actie=Actie.INZIEN, object_type=object_type, object_id=object_id,
        huishouden_id=huishouden_id, resultaat=Resultaat.GEWEIGERD, doel=doel,
    )
    if hide_existence:
        raise Http404()
    raise PermissionDenied()
