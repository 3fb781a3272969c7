"""Background work for proactive granting: thin tasks that take ids and call a service."""

from celery import shared_task

from perspectief.core.request_context import reset_origin, set_origin, task_origin


@shared_task(name="perspectief.proactief.tasks.import_verwerken_task", bind=True)
def import_verwerken_task(self, import_id: int) -> int:
    from .services import import_verwerken

    token = set_origin(task_origin(self))
    try:
        return import_verwerken(import_id=import_id).pk
    finally:
        reset_origin(token)
