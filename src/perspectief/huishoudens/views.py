from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.core.refusal import refuse as _refuse
from perspectief.core.session_search import store_search_term, stored_search_term

from . import policies, selectors, services
from .bsn import bsn_decrypt, bsn_mask
from .constants import Gegevensdeel
from .forms import AanvragerForm, AdresForm, HuishoudenZoekForm, PersoonForm, ToestemmingForm
from .models import Huishouden
from .selectors import HuishoudenFilter

DOEL = "ondersteuning"
PAGE_SIZE = 25


def _visible_household_or_refuse(request, uuid) -> Huishouden:
    huishouden = selectors.huishouden_detail(zichtbaar=policies.households_visible_to(request.user), uuid=uuid)
    if huishouden is None:
        existing = selectors.huishouden_id_by_uuid(uuid=uuid)
        _refuse(request, object_type="huishouden", object_id=existing or "", huishouden_id=existing, hide_existence=True)
    return huishouden


def _changeable_household_or_refuse(request, uuid, *, object_type: str, object_id="") -> Huishouden:
    """Pages that change a household are refused (403) to roles that never change households,
    before looking the household up, so their answer says nothing about its existence; then
    the household must be in the user's caseload (404 otherwise)."""
    if not policies.can_change_households(request.user):
        _refuse(request, object_type=object_type, object_id=object_id)
    return _visible_household_or_refuse(request, uuid)


def _apply_service_errors(error: ValidationError, form, *other_forms) -> None:
    """A service's error on each field goes to the form that has that field; the rest to
    `form`, above its fields."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, text in messages.items():
        owner = next((f for f in (form, *other_forms) if field in f.fields), None)
        (owner or form).add_error(field if owner else None, text)


SEARCHES_SESSION_KEY = "huishouden_zoekopdrachten"


def _list_url(params: dict) -> str:
    query = {name: value for name, value in params.items() if value}
    return reverse("huishoudens:lijst") + (f"?{urlencode(query)}" if query else "")


@login_required
@require_http_methods(["GET", "POST"])
def huishouden_lijst(request):
    user = request.user
    if not policies.can_list_households(user):
        _refuse(request, object_type="huishouden_lijst")
    wijken = selectors.wijken_for_gemeente(gemeente_id=user.gemeente_id)
    token_expired = False
    if request.method == "POST":
        form = HuishoudenZoekForm(request.POST, wijken=wijken)
        if form.is_valid():
            term = form.cleaned_data["zoekterm"].strip()
            params = {
                "zoekopdracht": store_search_term(request, term, session_key=SEARCHES_SESSION_KEY) if term else "",
                "wijk": form.cleaned_data["wijk"] or "",
                "aantal_personen": form.cleaned_data["aantal_personen"] or "",
            }
            if not request.htmx:
                return redirect(_list_url(params), permanent=False)
            request.GET = QueryDict(urlencode({k: v for k, v in params.items() if v}))
    token = request.GET.get("zoekopdracht", "")
    term = stored_search_term(request, token, session_key=SEARCHES_SESSION_KEY) if token else ""
    token_expired = bool(token) and not term
    form = HuishoudenZoekForm(
        {"zoekterm": term, "wijk": request.GET.get("wijk", ""), "aantal_personen": request.GET.get("aantal_personen", "")},
        wijken=wijken,
    )
    criteria = HuishoudenFilter()
    if form.is_valid():
        criteria = HuishoudenFilter(
            zoekterm=form.cleaned_data["zoekterm"],
            wijk_id=form.cleaned_data["wijk"],
            aantal_personen=form.cleaned_data["aantal_personen"],
        )
    # Only households the user may find through what this search matches on (consent).
    matches_on = selectors.huishouden_filter_parts(criteria)
    searchable = policies.households_searchable_by(user, matches_on=matches_on)
    households = policies.with_list_parts(
        selectors.huishouden_list(zichtbaar=searchable, filter=criteria), user
    )
    page = selectors.HuishoudenPaginator(households, PAGE_SIZE).get_page(request.GET.get("pagina"))
    audit_record(
        actor=user, actie=Actie.ZOEKEN if criteria.zoekterm else Actie.INZIEN, object_type="huishouden_lijst",
        doel=DOEL, details={"huishoudens": [h.pk for h in page.object_list], "pagina": page.number},
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "zoekopdracht_verlopen": token_expired}
    if request.htmx:
        response = render(request, "huishoudens/_lijst_resultaten.html", context)
        response["HX-Push-Url"] = _list_url(dict(request.GET.items()))
        return response
    return render(request, "huishoudens/lijst.html", context)


@login_required
def huishouden_detail(request, uuid):
    user = request.user
    if not policies.can_list_households(user):
        _refuse(request, object_type="huishouden")
    huishouden = _visible_household_or_refuse(request, uuid)
    parts = policies.visible_parts(user, huishouden)
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="huishouden", object_id=huishouden.pk,
        huishouden_id=huishouden.pk, doel=DOEL, details={"gegevensdelen": sorted(parts)},
    )
    personen = list(huishouden.personen.all())
    for persoon in personen:
        persoon.bsn_gemaskeerd = bsn_mask(bsn_decrypt(persoon.bsn_versleuteld)) if persoon.bsn_versleuteld else ""
    return render(request, "huishoudens/detail.html", {
        "huishouden": huishouden,
        "personen": personen,
        "toon": {part: part in parts for part in Gegevensdeel.values},
        # The household is in the caseload (looked up through it), so this is can-edit.
        "mag_wijzigen": policies.can_change_households(user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def huishouden_nieuw(request):
    user = request.user
    if not policies.can_create_household(user):
        _refuse(request, object_type="huishouden_nieuw")
    wijken = selectors.wijken_for_gemeente(gemeente_id=user.gemeente_id)
    adres_form = AdresForm(request.POST or None, wijken=wijken, prefix="adres")
    persoon_form = AanvragerForm(request.POST or None, prefix="aanvrager")
    if request.method == "POST" and adres_form.is_valid() and persoon_form.is_valid():
        adres = dict(adres_form.cleaned_data)
        wijk_id = adres.pop("wijk")
        adres["wijk"] = wijken.filter(pk=wijk_id).first() if wijk_id else None
        try:
            huishouden = services.huishouden_create(
                actor=user, gemeente=user.gemeente, adres=adres, aanvrager=persoon_form.cleaned_data,
                team=user.teams.first(), contactpersoon=user,
            )
        except ValidationError as error:
            _apply_service_errors(error, persoon_form, adres_form)
        else:
            return redirect("huishoudens:detail", uuid=huishouden.uuid)
    return render(request, "huishoudens/nieuw.html", {"adres_form": adres_form, "persoon_form": persoon_form})


@login_required
@require_http_methods(["GET", "POST"])
def persoon_toevoegen(request, uuid):
    huishouden = _changeable_household_or_refuse(request, uuid, object_type="persoon_nieuw")
    form = PersoonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.persoon_add(actor=request.user, huishouden=huishouden, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(error, form)
        else:
            return redirect("huishoudens:detail", uuid=huishouden.uuid)
    return render(request, "huishoudens/persoon_form.html", {"form": form, "huishouden": huishouden, "nieuw": True})


@login_required
@require_http_methods(["GET", "POST"])
def persoon_wijzigen(request, uuid, persoon_id: int):
    huishouden = _changeable_household_or_refuse(request, uuid, object_type="persoon", object_id=persoon_id)
    persoon = next((p for p in huishouden.personen.all() if p.pk == persoon_id), None)
    if persoon is None:
        _refuse(request, object_type="persoon", object_id=persoon_id, huishouden_id=huishouden.pk, hide_existence=True)
    initial = {
        "rol": persoon.rol, "voornamen": persoon.voornamen, "tussenvoegsel": persoon.tussenvoegsel,
        "achternaam": persoon.achternaam, "geboortedatum": persoon.geboortedatum,
        "email": persoon.email, "telefoon": persoon.telefoon,
    }
    form = PersoonForm(request.POST or None, initial=initial)
    if request.method == "GET":
        audit_record(
            actor=request.user, actie=Actie.INZIEN, object_type="persoon", object_id=persoon.pk,
            huishouden_id=huishouden.pk, doel=DOEL,
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        bsn = data.pop("bsn") or None
        try:
            services.persoon_update(actor=request.user, persoon=persoon, bsn=bsn, **data)
        except ValidationError as error:
            _apply_service_errors(error, form)
        else:
            return redirect("huishoudens:detail", uuid=huishouden.uuid)
    return render(request, "huishoudens/persoon_form.html", {"form": form, "huishouden": huishouden, "persoon": persoon})


@login_required
@require_http_methods(["GET", "POST"])
def toestemming_nieuw(request, uuid):
    huishouden = _changeable_household_or_refuse(request, uuid, object_type="toestemming_nieuw")
    form = ToestemmingForm(request.POST or None, initial={"geldig_vanaf": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.toestemming_create(actor=request.user, huishouden=huishouden, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(error, form)
        else:
            return redirect("huishoudens:detail", uuid=huishouden.uuid)
    return render(request, "huishoudens/toestemming_form.html", {"form": form, "huishouden": huishouden})


@login_required
@require_POST
def toestemming_intrekken(request, uuid, toestemming_id: int):
    huishouden = _changeable_household_or_refuse(request, uuid, object_type="toestemming", object_id=toestemming_id)
    toestemming = next((t for t in huishouden.toestemmingen.all() if t.pk == toestemming_id), None)
    if toestemming is None:
        _refuse(
            request, object_type="toestemming", object_id=toestemming_id, huishouden_id=huishouden.pk,
            hide_existence=True,
        )
    if toestemming.ingetrokken_op is None:
        services.toestemming_intrekken(actor=request.user, toestemming=toestemming)
    return redirect("huishoudens:detail", uuid=huishouden.uuid)
