import logging
import time

from .request_context import Origin, new_request_id, reset_origin, set_origin

access_logger = logging.getLogger("perspectief.request")


class RequestContextMiddleware:
    """Gives every request an id and records its origin for logs and the audit log.

    Writes one log line per request with the route pattern, not the path: a mistyped or
    crafted path could contain a name or a BSN, a route pattern cannot.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID") or ""
        request_id = "".join(c for c in request_id if c.isalnum() or c == "-")[:64] or new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_origin(
            Origin(request_id=request_id, ip_address=request.META.get("REMOTE_ADDR"), channel=channel)
        )
        started = time.monotonic()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            access_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.route if match else None,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        finally:
            reset_origin(token)
        response["X-Request-ID"] = request_id
        return response
