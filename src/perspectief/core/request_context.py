"""Per-request context (request id, origin) shared by logging and the audit log.

Stored in a contextvar so services can record where an action came from without the
request being passed through every call.
"""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    request_id: str
    ip_address: str | None
    channel: str  # "web", "api", "cli", "task"


_current_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar(
    "perspectief_origin", default=None
)


def current_origin() -> Origin:
    origin = _current_origin.get()
    if origin is None:
        return Origin(request_id="-", ip_address=None, channel="cli")
    return origin


def set_origin(origin: Origin) -> contextvars.Token:
    return _current_origin.set(origin)


def reset_origin(token: contextvars.Token) -> None:
    _current_origin.reset(token)


def task_origin(task) -> Origin:
    """The origin of a bound Celery task's work: channel "task", its task id as request id."""
    return Origin(request_id=str(task.request.id or "-"), ip_address=None, channel="task")


def new_request_id() -> str:
    return uuid.uuid4().hex
