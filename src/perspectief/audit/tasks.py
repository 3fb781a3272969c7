"""Background work for the audit log. Tasks stay thin: they call a selector or service."""

from celery import shared_task

from perspectief.core.request_context import Origin, reset_origin, set_origin

from .selectors import audit_verify_report


@shared_task(name="perspectief.audit.tasks.audit_verify_task", bind=True)
def audit_verify_task(self) -> dict:
    """Verifies the audit log's hash chain (for example nightly) and reports the outcome."""
    token = set_origin(Origin(request_id=str(self.request.id or "-"), ip_address=None, channel="task"))
    try:
        report = audit_verify_report()
    finally:
        reset_origin(token)
    return {
        "checked": report.checked,
        "problems": [{"volgnummer": p.volgnummer, "reason": p.reason} for p in report.problems],
    }
