"""Background work for the audit log. Tasks stay thin: they call a selector or service.

In production Celery beat runs `audit_anker_task` every hour (the schedule is added below
when the Celery app is finalised, as in the other apps). In the embedded default there is
no beat: run `manage.py audit_anker` from cron (see docs/architecture.md).
"""

from celery import shared_task
from celery.schedules import crontab

from perspectief.celery import app
from perspectief.core.request_context import reset_origin, set_origin, task_origin

from .anker import audit_anker_vastleggen, audit_ankerbestand_controleren
from .selectors import audit_verify_report

ANKER_SCHEDULE_NAME = "audit: ketting verankeren"


@shared_task(name="perspectief.audit.tasks.audit_verify_task", bind=True)
def audit_verify_task(self) -> dict:
    """Verifies the audit log's hash chain (for example nightly) and reports the outcome.
    When the anchor file (`AUDIT_ANKER_BESTAND`) exists, its anchors are checked too: only
    they show deleted last entries with a rewound head. Their problems join the chain's
    in `problems`, and `ankers_checked` says how many anchors were checked."""
    token = set_origin(task_origin(self))
    try:
        report = audit_verify_report()
        anker_report = audit_ankerbestand_controleren()
    finally:
        reset_origin(token)
    problems = list(report.problems) + list(anker_report.problems if anker_report else ())
    outcome = {
        "checked": report.checked,
        "problems": [{"volgnummer": p.volgnummer, "reason": p.reason} for p in problems],
    }
    if anker_report is not None:
        outcome["ankers_checked"] = anker_report.checked
    return outcome


@shared_task(name="perspectief.audit.tasks.audit_anker_task", bind=True)
def audit_anker_task(self) -> dict:
    """Writes the chain's head outside the database (log line and anchor file)."""
    token = set_origin(task_origin(self))
    try:
        return audit_anker_vastleggen().as_dict()
    finally:
        reset_origin(token)


# Celery beat reads this after importing the apps' task modules (autodiscovery); added to
# the other apps' entries, not replacing them. Hourly: at most an hour of log is unanchored.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    ANKER_SCHEDULE_NAME: {"task": audit_anker_task.name, "schedule": crontab(minute=5)},
}
