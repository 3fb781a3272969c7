"""The public regelingencheck pages: thin views over forms, services and selectors.

Anonymous: no login, no BSN. The visitor's check is found through the session (the id of a
CheckAntwoorden row) or reopened with the code. Only "deel met mijn consulent" needs a
resident login.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record
from perspectief.core.request_context import current_origin
from perspectief.huishoudens.models import Gemeente
from perspectief.toegang import policies

from . import grafiek, selectors, services
from .antwoorden import personen
from .constants import CODE_SESSIE_SLEUTEL, SESSIE_SLEUTEL, STAPPEN, Stap
from .forms import FORMULIEREN, CodeForm, DelenForm, WerkenForm
from .overzicht import regels


def _gemeente(slug: str) -> Gemeente:
    return get_object_or_404(Gemeente, slug=slug)


def _check_van_sessie(request, gemeente):
    check_id = request.session.get(SESSIE_SLEUTEL, {}).get(gemeente.slug)
    return selectors.check_geldig(check_id=check_id, gemeente_id=gemeente.pk)


def _onthoud_check(request, gemeente, check) -> None:
    checks = dict(request.session.get(SESSIE_SLEUTEL, {}))
    checks[gemeente.slug] = str(check.pk)
    request.session[SESSIE_SLEUTEL] = checks


def _code_in_sessie(request, check) -> str:
    return request.session.get(CODE_SESSIE_SLEUTEL, {}).get(str(check.pk), "")


def _naar_start(gemeente):
    return redirect("regelingencheck:start", gemeente_slug=gemeente.slug)


def _stap_url(gemeente, stap: str) -> str:
    return reverse("regelingencheck:stap", kwargs={"gemeente_slug": gemeente.slug, "nummer": STAPPEN.index(stap) + 1})


def kies_gemeente(request):
    """/check/: the check of the only gemeente, or a choice when the installation serves more."""
    gemeenten = list(Gemeente.objects.order_by("naam").only("naam", "slug"))
    if len(gemeenten) == 1:
        return _naar_start(gemeenten[0])
    return render(request, "regelingencheck/kies_gemeente.html", {"gemeenten": gemeenten})


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, gemeente_slug):
    gemeente = _gemeente(gemeente_slug)
    check = _check_van_sessie(request, gemeente)
    if request.method == "POST":
        if check is None or request.POST.get("opnieuw"):
            check = services.check_start(gemeente=gemeente)
            _onthoud_check(request, gemeente, check)
        return redirect(_stap_url(gemeente, Stap.HUISHOUDEN))
    return render(request, "regelingencheck/start.html", {"gemeente": gemeente, "check": check})


@never_cache
@require_http_methods(["GET", "POST"])
def stap(request, gemeente_slug, nummer: int):
    gemeente = _gemeente(gemeente_slug)
    if not 1 <= nummer <= len(STAPPEN):
        raise Http404()
    check = _check_van_sessie(request, gemeente)
    if check is None:
        return _naar_start(gemeente)
    stap_naam = STAPPEN[nummer - 1]
    open_stap = selectors.eerste_open_stap(check.antwoorden)
    if open_stap is not None and STAPPEN.index(open_stap) < nummer - 1:
        return redirect(_stap_url(gemeente, open_stap))  # answer the earlier steps first
    form_class = FORMULIEREN[stap_naam]
    kwargs = {
        "personen": personen(check.antwoorden.get("huishouden")),
        "peildatum": timezone.localdate(),
        "initial": form_class.uit_antwoord(check.antwoorden.get(stap_naam)),
    }
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        terug = "terug" in request.POST
        if form.is_valid():
            if stap_naam != Stap.OVERZICHT:
                services.check_stap_opslaan(check=check, stap=stap_naam, antwoord=form.antwoord())
            if terug:
                return redirect(_stap_url(gemeente, STAPPEN[max(nummer - 2, 0)]))
            if stap_naam == Stap.OVERZICHT:
                return redirect("regelingencheck:uitkomst", gemeente_slug=gemeente.slug)
            return redirect(_stap_url(gemeente, STAPPEN[nummer]))
        if terug:  # going back never loses what was saved before; this step's errors wait
            return redirect(_stap_url(gemeente, STAPPEN[max(nummer - 2, 0)]))
    else:
        form = form_class(**kwargs)
    context = {
        "gemeente": gemeente,
        "check": check,
        "form": form,
        "stap": stap_naam,
        "stap_titel": Stap(stap_naam).label,
        "nummer": nummer,
        "aantal": len(STAPPEN),
        "vorige_url": _stap_url(gemeente, STAPPEN[nummer - 2]) if nummer > 1 else "",
        "overzicht": _overzicht(check.antwoorden, gemeente) if stap_naam == Stap.OVERZICHT else None,
    }
    return render(request, "regelingencheck/stap.html", context)


def _overzicht(antwoorden: dict, gemeente) -> list[dict]:
    """The answers per step, for the last step: what was filled in, with a link to change it."""
    return [
        {"titel": Stap(stap_naam).label, "url": _stap_url(gemeente, stap_naam), "regels": regels(stap_naam, antwoorden)}
        for stap_naam in STAPPEN[:-1]
    ]


def _uitkomst_context(request, gemeente, check) -> dict:
    uitkomst = services.check_uitkomst(check=check, peildatum=timezone.localdate())
    regelingen = uitkomst["regelingen"]
    return {
        "gemeente": gemeente,
        "check": check,
        "uitkomst": uitkomst,
        "ja": [r for r in regelingen if r["recht"] == "ja"],
        "misschien": [r for r in regelingen if r["recht"] == "misschien"],
        "nee": [r for r in regelingen if r["recht"] == "nee"],
        "code": _code_in_sessie(request, check),
        "is_inwoner": policies.is_resident(request.user),
    }


@never_cache
def uitkomst(request, gemeente_slug):
    gemeente = _gemeente(gemeente_slug)
    check = _check_van_sessie(request, gemeente)
    if check is None:
        return _naar_start(gemeente)
    open_stap = selectors.eerste_open_stap(check.antwoorden)
    if open_stap is not None:
        return redirect(_stap_url(gemeente, open_stap))
    return render(request, "regelingencheck/uitkomst.html", _uitkomst_context(request, gemeente, check))


@never_cache
def uitkomst_pdf(request, gemeente_slug):
    gemeente = _gemeente(gemeente_slug)
    check = _check_van_sessie(request, gemeente)
    if check is None:
        return _naar_start(gemeente)
    if selectors.eerste_open_stap(check.antwoorden) is not None:
        return redirect("regelingencheck:uitkomst", gemeente_slug=gemeente.slug)
    from .pdf import pdf_van_uitkomst

    inhoud = pdf_van_uitkomst(request=request, context=_uitkomst_context(request, gemeente, check))
    response = HttpResponse(inhoud, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="regelingencheck-uitkomst.pdf"'
    return response


@never_cache
@require_POST
def code_maken(request, gemeente_slug):
    gemeente = _gemeente(gemeente_slug)
    check = _check_van_sessie(request, gemeente)
    if check is None:
        return _naar_start(gemeente)
    code = services.check_code_maken(check=check)
    codes = dict(request.session.get(CODE_SESSIE_SLEUTEL, {}))
    codes[str(check.pk)] = code
    request.session[CODE_SESSIE_SLEUTEL] = codes
    return redirect(reverse("regelingencheck:uitkomst", kwargs={"gemeente_slug": gemeente.slug}) + "#code")


@never_cache
@require_http_methods(["GET", "POST"])
def openen(request, gemeente_slug):
    gemeente = _gemeente(gemeente_slug)
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                check = services.check_openen_met_code(
                    gemeente=gemeente, code=form.cleaned_data["code"], ip_address=current_origin().ip_address
                )
            except services.TeVeelPogingen:
                form.add_error("code", _("U heeft te vaak een code geprobeerd die niet klopt. Probeer het over 15 minuten opnieuw."))
                status = 429
            else:
                if check is not None:
                    _onthoud_check(request, gemeente, check)
                    return redirect("regelingencheck:uitkomst", gemeente_slug=gemeente.slug)
                form.add_error(
                    "code",
                    _("Deze code kennen wij niet. Kijk of u hem goed heeft overgenomen. Een code werkt 30 dagen."),
                )
    else:
        form = CodeForm()
    return render(request, "regelingencheck/openen.html", {"gemeente": gemeente, "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def delen(request, gemeente_slug):
    gemeente = _gemeente(gemeente_slug)
    user = request.user
    if user.is_authenticated and not policies.is_resident(user):
        audit_record(actor=user, actie=Actie.INZIEN, object_type="regelingencheck_delen", resultaat=Resultaat.GEWEIGERD)
        raise PermissionDenied()
    check = _check_van_sessie(request, gemeente)
    if check is None or selectors.eerste_open_stap(check.antwoorden) is not None:
        return _naar_start(gemeente)
    persoon = getattr(user, "persoon", None) if user.is_authenticated else None
    bekend = persoon is not None and persoon.huishouden.gemeente_id == gemeente.pk
    form = DelenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not bekend:
            audit_record(
                actor=user, actie=Actie.AANMAKEN, object_type="regelingencheck_gedeeld", resultaat=Resultaat.GEWEIGERD
            )
            raise PermissionDenied()
        if form.is_valid():
            services.check_delen(check=check, gebruiker=user, peildatum=timezone.localdate())
            messages.success(request, _("Uw consulent kan de uitkomst nu zien. U kunt de toestemming altijd intrekken."))
            return redirect("regelingencheck:uitkomst", gemeente_slug=gemeente.slug)
    context = {
        "gemeente": gemeente,
        "check": check,
        "form": form,
        "ingelogd": user.is_authenticated,
        "bekend": bekend,
        "gedeeld": check.gedeeld_met_id is not None and bekend and check.gedeeld_met_id == persoon.huishouden_id,
        "login_url": reverse("toegang:inwoner_login") + "?next=" + request.path,
    }
    return render(request, "regelingencheck/delen.html", context)


@never_cache
def werken(request, gemeente_slug):
    gemeente = _gemeente(gemeente_slug)
    check = _check_van_sessie(request, gemeente)
    if check is None:
        return _naar_start(gemeente)
    open_stap = selectors.eerste_open_stap(check.antwoorden)
    if open_stap is not None:
        return redirect(_stap_url(gemeente, open_stap))
    form = WerkenForm(request.GET or None)
    uren, uurloon = 16, None
    if form.is_bound and form.is_valid():
        uren = form.cleaned_data["uren"] if form.cleaned_data["uren"] is not None else 16
        uurloon = form.cleaned_data["uurloon"]
    uitkomst = grafiek.werken_uitkomst(check=check, peildatum=timezone.localdate(), uurloon=uurloon)
    if not form.is_bound:
        form = WerkenForm(initial={"uren": uren, "uurloon": f"{uitkomst['uurloon']:.2f}".replace(".", ",")})
    context = {
        "gemeente": gemeente,
        "check": check,
        "form": form,
        "uren": uren,
        "uitkomst": uitkomst,
        "gekozen": grafiek.punt(uitkomst, uren),
        "svg": grafiek.svg(uitkomst, gekozen_uren=uren),
    }
    return render(request, "regelingencheck/werken.html", context)
