import logging

from .request_context import current_origin


class RequestContextFilter(logging.Filter):
    """Adds the request id to every log record: a reference, never personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_origin().request_id
        return True
