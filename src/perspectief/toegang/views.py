import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record

from .constants import Soort
from .forms import InwonerDemoLoginForm, MedewerkerLoginForm, TotpForm
from .login_methods import enabled_methods, is_enabled
from .services import totp_device_start


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def _password_step(request, form_class, template: str, success_url: str, *, follow_next: bool = True):
    """The password form; on success logs in and goes to `?next=` (when `follow_next` and
    safe) or else to `success_url`. Failures are audit-logged."""
    form = form_class(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            auth_login(request, form.get_user())
            return redirect((follow_next and _safe_next(request)) or success_url)
        audit_record(
            actor=None, actie=Actie.INLOGGEN, object_type="gebruiker", resultaat=Resultaat.MISLUKT,
            details={"stap": "wachtwoord"},
        )
    return render(request, template, {"form": form, "next": _safe_next(request)})


@sensitive_post_parameters("password")
@never_cache
def login(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("core:start")
    # Staff always pass the second step first; it carries `next` on.
    next_url = _safe_next(request)
    second_step = reverse("toegang:tweede_stap") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    return _password_step(request, MedewerkerLoginForm, "toegang/login.html", second_step, follow_next=False)


@never_cache
@login_required
def tweede_stap(request):
    user = request.user
    if user.soort != Soort.MEDEWERKER or user.is_verified():
        return redirect("core:start")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("toegang:tweede_stap_instellen")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            audit_record(actor=user, actie=Actie.INLOGGEN, object_type="gebruiker", object_id=user.pk)
            return redirect(_safe_next(request) or "core:start")
        audit_record(
            actor=user, actie=Actie.INLOGGEN, object_type="gebruiker", object_id=user.pk,
            resultaat=Resultaat.MISLUKT, details={"stap": "tweede_factor"},
        )
        message = (
            "De code klopt niet. Wacht op een nieuwe code en probeer het opnieuw."
            if allowed
            else "Te veel foute codes. Wacht even en probeer het dan opnieuw."
        )
        form.add_error("token", message)
    return render(request, "toegang/tweede_stap.html", {"form": form, "next": _safe_next(request)})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@login_required
def tweede_stap_instellen(request):
    user = request.user
    if user.soort != Soort.MEDEWERKER or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("toegang:tweede_stap")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = totp_device_start(gebruiker=user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=user, actie=Actie.AANMAKEN, object_type="tweede_factor", object_id=device.pk)
            return redirect("core:start")
        form.add_error("token", "De code klopt niet. Scan de QR-code opnieuw en vul de nieuwe code in.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "toegang/tweede_stap_instellen.html",
        {"form": form, "qr_data_uri": _qr_svg(device.config_url), "secret": secret},
    )


@require_POST
def logout(request):
    if request.user.is_authenticated:
        audit_record(actor=request.user, actie=Actie.UITLOGGEN, object_type="gebruiker", object_id=request.user.pk)
    auth_logout(request)
    return redirect("toegang:login")


@never_cache
def inwoner_login(request):
    next_url = _safe_next(request)
    return render(
        request,
        "toegang/inwoner_login.html",
        {"methods": enabled_methods(), "next_query": urlencode({"next": next_url}) if next_url else ""},
    )


@sensitive_post_parameters("password")
@never_cache
def inwoner_demo_login(request):
    if not is_enabled("demo"):  # production switches the demo method off: then it does not exist
        raise Http404()
    return _password_step(request, InwonerDemoLoginForm, "toegang/inwoner_demo_login.html", "core:mijn_gegevens")
