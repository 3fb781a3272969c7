from .request_context import Origin, new_request_id, reset_origin, set_origin


class RequestContextMiddleware:
    """Gives every request an id and records its origin for logs and the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID") or new_request_id()
        request_id = "".join(c for c in request_id if c.isalnum() or c == "-")[:64]
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_origin(
            Origin(request_id=request_id, ip_address=request.META.get("REMOTE_ADDR"), channel=channel)
        )
        try:
            response = self.get_response(request)
        finally:
            reset_origin(token)
        response["X-Request-ID"] = request_id
        return response
