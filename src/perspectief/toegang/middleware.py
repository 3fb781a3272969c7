from django.shortcuts import redirect
from django.urls import reverse

from .constants import Soort

# Paths a staff member may reach after the password step, before the second factor.
_OPEN_PREFIXES = ("/toegang/", "/static/", "/health/", "/i18n/")


class StaffSecondFactorMiddleware:
    """Staff must complete the TOTP step before any other page (mandatory 2FA)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.soort == Soort.MEDEWERKER
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect(reverse("toegang:tweede_stap"))
        return self.get_response(request)
