"""Background work of the regelingencheck: delete answers after the keeping period.

In production Celery beat runs `checks_opruimen_task` every hour (the schedule is added
below when the Celery app is finalised, so no settings file needs it). In the embedded
default there is no beat: run `manage.py check_opruimen` from cron (see docs).
"""

from celery import shared_task
from celery.schedules import crontab

from perspectief.celery import app
from perspectief.core.request_context import reset_origin, set_origin, task_origin

from .services import checks_opruimen

SCHEDULE_NAME = "regelingencheck: verlopen antwoorden wissen"


@shared_task(name="perspectief.regelingencheck.tasks.checks_opruimen_task", bind=True)
def checks_opruimen_task(self) -> dict:
    token = set_origin(task_origin(self))
    try:
        return checks_opruimen()
    finally:
        reset_origin(token)


# Celery beat reads this after importing the apps' task modules (autodiscovery).
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    SCHEDULE_NAME: {"task": checks_opruimen_task.name, "schedule": crontab(minute=17)},
}
