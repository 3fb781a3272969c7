"""Views: thin; logic in services.py and selectors.py. Every view of a candidate's data and
every refusal is audit-logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.core.refusal import refuse as _refuse
from perspectief.huishoudens import policies as huishouden_policies
from perspectief.regelingen.selectors import catalogus_voor_gemeente
from rekenregels import CatalogusFout

from . import csv_formaat, policies, selectors, services
from .brief import brief_context, brief_pdf
from .constants import DOEL, KLEINE_GROEP, AfmeldingVia, ImportStatus
from .forms import BesluitForm, ImportForm, WatAlsForm
from .grafiek import staafgrafiek

PAGE_SIZE = 25


def _klantmanager_or_refuse(request, object_type: str) -> None:
    if not policies.can_use_proactief(request.user):
        _refuse(request, object_type=object_type)


# --- overview, import, run ----------------------------------------------------------------------


def _overzicht_context(request, form=None) -> dict:
    user = request.user
    ronde = selectors.laatste_ronde(gemeente_id=user.gemeente_id)
    zichtbaar = huishouden_policies.households_visible_to(user)
    aantallen = selectors.aantallen_per_regeling(ronde=ronde, zichtbaar=zichtbaar) if ronde else {}
    alle = [
        {"code": code, "naam": data["naam"], **aantallen.get(code, {"kandidaten": 0, "open": 0})}
        for code, data in (ronde.per_regeling.items() if ronde else [])
    ]
    regelingen = [r for r in alle if r["kandidaten"]]
    zonder_kansen = [r["naam"] for r in alle if not r["kandidaten"]]
    return {
        "form": form or ImportForm(teams=user.teams.all()),
        "imports": selectors.imports_zichtbaar_voor(user)[:5],
        "ronde": ronde,
        "regelingen": regelingen,
        "zonder_kansen": zonder_kansen,
        "aantal_geimporteerd": selectors.aantal_geimporteerd(gemeente_id=user.gemeente_id),
        "vandaag": timezone.localdate(),
    }


@login_required
@require_GET
def overzicht(request):
    _klantmanager_or_refuse(request, "proactief")
    return render(request, "proactief/overzicht.html", _overzicht_context(request))


@login_required
@require_POST
def import_nieuw(request):
    _klantmanager_or_refuse(request, "proactief_import")
    user = request.user
    form = ImportForm(request.POST, request.FILES, teams=user.teams.all())
    if form.is_valid():
        inhoud = form.cleaned_data["bestand"].read()
        try:
            upload = services.import_aanmaken(actor=user, gemeente=user.gemeente, team=form.cleaned_data["team"], inhoud=inhoud)
        except csv_formaat.BestandGeweigerd as fout:
            form.add_error("bestand", str(fout))
        else:
            return redirect("proactief:import_detail", import_id=upload.pk)
    return render(request, "proactief/overzicht.html", _overzicht_context(request, form))


@login_required
@require_GET
def import_detail(request, import_id: int):
    _klantmanager_or_refuse(request, "proactief_import")
    upload = selectors.imports_zichtbaar_voor(request.user).filter(pk=import_id).first()
    if upload is None:
        _refuse(request, object_type="proactief_import", object_id=import_id, hide_existence=True)
    context = {"upload": upload, "bezig": upload.status in (ImportStatus.WACHTEND, ImportStatus.BEZIG)}
    if upload.fouten and not request.htmx:  # the report names household keys and bad values
        audit_record(actor=request.user, actie=Actie.INZIEN, object_type="proactief_import", object_id=upload.pk, doel=DOEL)
    if request.htmx:
        return render(request, "proactief/_import_status.html", context)
    return render(request, "proactief/import_detail.html", context)


@login_required
@require_POST
def ronde_starten(request):
    _klantmanager_or_refuse(request, "proactief_ronde")
    user = request.user
    try:
        peildatum = dt.date.fromisoformat(request.POST.get("peildatum", "")) if request.POST.get("peildatum") else timezone.localdate()
    except ValueError:
        messages.error(request, _("De peildatum is geen datum. Kies een datum zoals 2025-09-01."))
        return redirect("proactief:overzicht")
    if selectors.aantal_geimporteerd(gemeente_id=user.gemeente_id) == 0:
        messages.error(request, _("Er zijn nog geen huishoudens ingelezen. Lees eerst een bestand in."))
        return redirect("proactief:overzicht")
    try:
        ronde = services.ronde_uitvoeren(actor=user, gemeente=user.gemeente, peildatum=peildatum)
    except services.RondeFout as fout:
        messages.error(request, str(fout))
        return redirect("proactief:overzicht")
    messages.success(
        request,
        _("De ronde is klaar: %(huishoudens)s huishoudens bekeken, %(kansen)s kansen gevonden.")
        % {"huishoudens": ronde.aantal_huishoudens, "kansen": ronde.aantal_kandidaten},
    )
    return redirect("proactief:overzicht")


# --- candidates ------------------------------------------------------------------------------


@login_required
@require_GET
def regeling(request, code: str):
    _klantmanager_or_refuse(request, "proactief_kandidaten")
    user = request.user
    ronde = selectors.laatste_ronde(gemeente_id=user.gemeente_id)
    if ronde is None or code not in ronde.per_regeling:
        _refuse(request, object_type="proactief_kandidaten", object_id=code, hide_existence=True)
    kandidaten = selectors.kandidaten_in_caseload(
        ronde=ronde, zichtbaar=huishouden_policies.households_visible_to(user), regeling=code
    )
    page = Paginator(kandidaten, PAGE_SIZE).get_page(request.GET.get("pagina"))
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="proactief_kandidaten", object_id=code, doel=DOEL,
        details={"ronde": ronde.pk, "huishoudens": [k.huishouden_id for k in page.object_list], "pagina": page.number},
    )
    return render(request, "proactief/regeling.html", {
        "ronde": ronde, "code": code, "naam": ronde.per_regeling[code]["naam"], "page": page,
    })


def _kandidaat_or_refuse(request, kandidaat_id: int, object_type: str):
    kandidaat = selectors.kandidaat_in_caseload(
        kandidaat_id=kandidaat_id, zichtbaar=huishouden_policies.households_visible_to(request.user)
    )
    if kandidaat is None:
        bestaand = selectors.huishouden_van_kandidaat(kandidaat_id=kandidaat_id)
        _refuse(request, object_type=object_type, object_id=kandidaat_id, huishouden_id=bestaand, hide_existence=True)
    return kandidaat


def _uitleg(kandidaat, catalogus) -> dict | None:
    """The engine's full explanation for this one household and scheme (`bereken`)."""
    from rekenregels import RekenregelsFout, bereken

    opname = selectors.momentopname(huishouden_id=kandidaat.huishouden_id)
    if opname is None or catalogus is None:
        return None
    invoer = selectors.huishouden_als_invoer(
        opname=opname, peildatum=kandidaat.ronde.peildatum, gemeente_code=catalogus.gemeente["code"]
    )
    try:
        resultaat = bereken(invoer, catalogus=catalogus)
    except RekenregelsFout:
        return None
    return next((r for r in resultaat["regelingen"] if r["code"] == kandidaat.regeling), None)


def _regeling_definitie(catalogus, code: str) -> dict:
    if catalogus is None:
        return {}
    try:
        return catalogus.regeling(code)
    except KeyError:
        return {}


@login_required
@require_http_methods(["GET", "POST"])
def kandidaat(request, kandidaat_id: int):
    _klantmanager_or_refuse(request, "proactief_kandidaat")
    user = request.user
    kandidaat = _kandidaat_or_refuse(request, kandidaat_id, "proactief_kandidaat")
    form = BesluitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.besluit_nemen(actor=user, kandidaat=kandidaat, soort=form.cleaned_data["soort"], reden=form.cleaned_data["reden"])
        except ValidationError as fout:
            if hasattr(fout, "error_dict"):
                for veld, meldingen in fout.message_dict.items():
                    form.add_error(veld if veld in form.fields else None, meldingen)
            else:
                form.add_error(None, fout.messages)
        else:
            messages.success(request, _("Uw besluit is vastgelegd."))
            return redirect("proactief:kandidaat", kandidaat_id=kandidaat.pk)
    catalogus = catalogus_voor_gemeente(gemeente=user.gemeente, peildatum=kandidaat.ronde.peildatum)
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="proactief_kandidaat", object_id=kandidaat.pk,
        huishouden_id=kandidaat.huishouden_id, doel=DOEL, details={"regeling": kandidaat.regeling},
    )
    besluit = getattr(kandidaat, "besluit", None)
    return render(request, "proactief/kandidaat.html", {
        "kandidaat": kandidaat, "huishouden": kandidaat.huishouden, "besluit": besluit, "form": form,
        "naam": kandidaat.ronde.per_regeling.get(kandidaat.regeling, {}).get("naam", kandidaat.regeling),
        "definitie": _regeling_definitie(catalogus, kandidaat.regeling),
        "uitleg": _uitleg(kandidaat, catalogus),
        "ontvangt": [
            _regeling_definitie(catalogus, code).get("naam", code)
            for code in selectors.ontvangen_regelingen(huishouden_id=kandidaat.huishouden_id)
        ],
        "afmeldingen": selectors.afmeldingen(huishouden_id=kandidaat.huishouden_id),
        "per_maand": (kandidaat.bedrag_per_jaar / 12).quantize(Decimal("0.01")),
    })


@login_required
@require_GET
def brief(request, kandidaat_id: int):
    _klantmanager_or_refuse(request, "proactief_brief")
    user = request.user
    kandidaat = _kandidaat_or_refuse(request, kandidaat_id, "proactief_brief")
    huishouden = kandidaat.huishouden
    aanvrager = huishouden.personen.filter(rol="aanvrager").first()
    catalogus = catalogus_voor_gemeente(gemeente=user.gemeente, peildatum=kandidaat.ronde.peildatum)
    definitie = _regeling_definitie(catalogus, kandidaat.regeling)
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="proactief_brief", object_id=kandidaat.pk,
        huishouden_id=huishouden.pk, doel=DOEL, details={"regeling": kandidaat.regeling},
    )
    pdf = brief_pdf(context=brief_context(
        definitie=definitie, code=kandidaat.regeling, bedrag_per_jaar=kandidaat.bedrag_per_jaar, aanvrager=aanvrager,
        adres=huishouden.adres, gemeente=user.gemeente, klantmanager=user, datum=timezone.localdate(),
    ))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brief-{kandidaat.regeling}.pdf"'
    return response


@login_required
@require_POST
def afmelden(request, kandidaat_id: int):
    """The klantmanager records an opt-out on behalf of the household."""
    _klantmanager_or_refuse(request, "proactief_afmelding")
    kandidaat = _kandidaat_or_refuse(request, kandidaat_id, "proactief_afmelding")
    regeling = kandidaat.regeling if request.POST.get("omvang") == "regeling" else ""
    services.afmelding_vastleggen(
        actor=request.user, huishouden_id=kandidaat.huishouden_id, regeling=regeling, via=AfmeldingVia.KLANTMANAGER
    )
    messages.success(request, _("De afmelding is vastgelegd. Volgende rondes slaan dit huishouden over."))
    return redirect("proactief:kandidaat", kandidaat_id=kandidaat.pk)


# --- the resident's own choice --------------------------------------------------------------------


@login_required(login_url="toegang:inwoner_login")
@require_http_methods(["GET", "POST"])
def mijn_keuze(request):
    user = request.user
    if not policies.can_choose_own_opt_out(user):
        _refuse(request, object_type="proactief_mijn_keuze")
    huishouden_id = user.persoon.huishouden_id
    if request.method == "POST":
        if request.POST.get("keuze") == "geen_contact":
            services.afmelding_vastleggen(actor=user, huishouden_id=huishouden_id, via=AfmeldingVia.INWONER)
            messages.success(request, _("U krijgt van ons geen brief of telefoontje meer over regelingen."))
        else:
            services.afmelding_intrekken(actor=user, huishouden_id=huishouden_id)
            messages.success(request, _("Wij laten het u weer weten als u misschien geld kunt krijgen."))
        return redirect("proactief:mijn_keuze")
    afgemeld = "" in selectors.afmeldingen(huishouden_id=huishouden_id)
    return render(request, "proactief/mijn_keuze.html", {"afgemeld": afgemeld})


# --- what-if for the armoederegisseur ---------------------------------------------------------------


def _getal_tekst(waarde: float) -> str:
    return f"{waarde:g}".replace(".", ",")


@login_required
@require_GET
def wat_als(request):
    user = request.user
    if not policies.can_use_wat_als(user):
        _refuse(request, object_type="beleid_wat_als")
    peildatum = timezone.localdate()
    catalogus = catalogus_voor_gemeente(gemeente=user.gemeente, peildatum=peildatum)
    aantal = selectors.aantal_geimporteerd(gemeente_id=user.gemeente_id)
    context = {"aantal": aantal, "catalogus": catalogus, "kleine_groep": KLEINE_GROEP}
    if catalogus is None or aantal == 0:
        return render(request, "proactief/wat_als.html", context)
    keuzes = selectors.wat_als_keuzes(catalogus=catalogus)
    form = WatAlsForm(request.GET or {"keuze": keuzes[0].sleutel}, keuzes=keuzes)
    context["form"] = form
    if form.is_valid():
        keuze = next(k for k in keuzes if k.sleutel == form.cleaned_data["keuze"])
        nieuw = float(form.cleaned_data["waarde"]) if form.cleaned_data["waarde"] is not None else None
        waarden = sorted(set(keuze.stappen) | {keuze.huidig} | ({nieuw} if nieuw is not None else set()))
        try:
            punten = selectors.wat_als(
                gemeente_id=user.gemeente_id, peildatum=peildatum, catalogus=catalogus, keuze=keuze, waarden=waarden
            )
        except CatalogusFout as fout:  # a value the catalogue schema does not allow
            form.add_error("waarde", "; ".join(f.bericht for f in fout.fouten) if getattr(fout, "fouten", None) else str(fout))
            return render(request, "proactief/wat_als.html", context)
        huidig = next(p for p in punten if p.huidig)
        gekozen = next((p for p in punten if nieuw is not None and abs(p.waarde - nieuw) < 1e-9), None)
        eenheid = "%" if keuze.pad.endswith("percentage_bijstandsnorm") else " euro"
        labels = [f"{_getal_tekst(p.waarde)}%" if eenheid == "%" else f"€ {_getal_tekst(p.waarde)}" for p in punten]
        context.update({
            "keuze": keuze, "punten": punten, "huidig": huidig, "gekozen": gekozen, "eenheid": eenheid,
            "verschil": _verschil(huidig, gekozen),
            "rijen": [{"label": label, "punt": p} for label, p in zip(labels, punten, strict=True)],
            "grafiek_huishoudens": staafgrafiek(
                titel="Huishoudens met recht", labels=labels, waarden=[p.huishoudens for p in punten],
                teksten=[f"{p.huishoudens:,}".replace(",", ".") if p.huishoudens is not None else "<10" for p in punten],
                gemarkeerd=[p.huidig for p in punten],
            ),
            "grafiek_kosten": staafgrafiek(
                titel="Kosten per jaar", labels=labels, waarden=[p.kosten_per_jaar for p in punten],
                teksten=[_kort_bedrag(p.kosten_per_jaar) for p in punten], gemarkeerd=[p.huidig for p in punten],
            ),
        })
    return render(request, "proactief/wat_als.html", context)


def _kort_bedrag(bedrag: float | None) -> str:
    if bedrag is None:
        return "-"
    if bedrag >= 1_000_000:
        return f"€ {bedrag / 1_000_000:.1f} mln".replace(".", ",")
    if bedrag >= 1_000:
        return f"€ {bedrag / 1_000:.0f}k"
    return f"€ {bedrag:.0f}"


def _verschil(huidig, gekozen) -> dict | None:
    if gekozen is None or gekozen.huishoudens is None or huidig.huishoudens is None:
        return None
    extra = gekozen.huishoudens - huidig.huishoudens
    return {
        "huishoudens": extra if abs(extra) >= KLEINE_GROEP or extra == 0 else None,
        "kosten": round(gekozen.kosten_per_jaar - huidig.kosten_per_jaar, 2) if abs(extra) >= KLEINE_GROEP or extra == 0 else None,
    }

