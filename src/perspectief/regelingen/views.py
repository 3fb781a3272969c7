"""Catalogue management for the functioneel beheerder (thin views; logic in services and
selectors). Only the beheerder's own gemeente; another gemeente's version answers 404."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record
from rekenregels import Catalogus

from . import policies, selectors, services
from .constants import BEDRAG_SLEUTELS, INKOMENSGRENS_PAD, CatalogusStatus
from .forms import BedragForm, ConceptForm, PublicerenForm

OBJECT_TYPE = services.OBJECT_TYPE

BEDRAGVELDEN = [
    (INKOMENSGRENS_PAD, gettext_lazy("Inkomensgrens (% van de bijstandsnorm)")),
    *((f"bedrag.{sleutel}", capfirst(label)) for sleutel, label in BEDRAG_SLEUTELS),
]


def _beheerder(request, object_id: str = ""):
    if not policies.can_manage_catalogue(request.user):
        audit_record(
            actor=request.user, actie=Actie.INZIEN, object_type=OBJECT_TYPE, object_id=object_id,
            resultaat=Resultaat.GEWEIGERD,
        )
        raise PermissionDenied()


def _versie(request, pk: int):
    _beheerder(request, object_id=str(pk))
    versie = selectors.catalogusversie_van_gemeente(gemeente=request.user.gemeente, pk=pk)
    if versie is None:
        audit_record(
            actor=request.user, actie=Actie.INZIEN, object_type=OBJECT_TYPE, object_id=pk,
            resultaat=Resultaat.GEWEIGERD,
        )
        raise Http404()
    return versie


@login_required
def lijst(request):
    _beheerder(request)
    gemeente = request.user.gemeente
    vandaag = timezone.localdate()
    versies = list(selectors.catalogusversies(gemeente=gemeente))
    geldig = selectors.catalogusversie_geldig(gemeente_id=gemeente.pk, peildatum=vandaag)
    return render(request, "regelingen/lijst.html", {
        "versies": versies, "geldig": geldig, "gemeente": gemeente, "vandaag": vandaag,
        "open_concept": next((v for v in versies if v.status == CatalogusStatus.CONCEPT), None),
    })


@login_required
@require_POST
def nieuw(request):
    """A new concept: a copy of the version valid today, or (with `van`) of a chosen version."""
    _beheerder(request)
    tekst = None
    if request.POST.get("van"):
        van = request.POST["van"]
        tekst = _versie(request, int(van) if van.isdigit() else 0).yaml_tekst  # unknown: 404, audited
    versie = services.concept_aanmaken(actor=request.user, gemeente=request.user.gemeente, yaml_tekst=tekst)
    messages.success(request, _("Versie %(versie)s is gemaakt als concept. Pas de regelingen aan en sla op.") % {"versie": versie.versie})
    return redirect("regelingen:versie", pk=versie.pk)


@login_required
def versie(request, pk: int):
    versie = _versie(request, pk)
    if versie.status != CatalogusStatus.CONCEPT:
        if request.method == "POST":
            messages.error(request, _("Deze versie kan niet meer veranderen. Maak een nieuw concept."))
            return redirect("regelingen:versie", pk=versie.pk)
        return render(request, "regelingen/versie.html", {"versie": versie, "problemen": [], "regels": versie.yaml_tekst.splitlines()})
    if request.method == "POST":
        form = ConceptForm(request.POST)
        if form.is_valid():
            try:
                versie, controle = services.concept_wijzigen(
                    actor=request.user, versie=versie, yaml_tekst=form.cleaned_data["yaml_tekst"],
                    toelichting=form.cleaned_data["toelichting"],
                )
            except services.CatalogusBeheerFout as fout:
                messages.error(request, str(fout))
                return redirect("regelingen:versie", pk=versie.pk)
            if not controle.problemen:
                messages.success(request, _("Opgeslagen. De regelingen zijn in orde: bekijk het voorbeeld en publiceer."))
                return redirect("regelingen:versie", pk=versie.pk)
            return render(request, "regelingen/concept.html", {
                "versie": versie, "form": form, "opgeslagen": True,
                "problemen": _met_regeltekst(controle.problemen, form.cleaned_data["yaml_tekst"]),
                "bedragform": _bedragform(controle.catalogus),
            })
    else:
        form = ConceptForm(initial={"yaml_tekst": versie.yaml_tekst, "toelichting": versie.toelichting})
    controle = selectors.yaml_controleren(versie.yaml_tekst)
    return render(request, "regelingen/concept.html", {
        "versie": versie, "form": form, "problemen": _met_regeltekst(controle.problemen, versie.yaml_tekst),
        "bedragform": _bedragform(controle.catalogus),
    })


def _met_regeltekst(problemen, tekst: str) -> list[dict]:
    """Each problem with the text of its line, so the beheerder sees the spot."""
    regels = tekst.replace("\r\n", "\n").split("\n")
    return [
        {"probleem": p, "regeltekst": regels[p.regel - 1].strip() if p.regel and p.regel <= len(regels) else ""}
        for p in problemen
    ]


def _bedragform(catalogus: Catalogus | None, data=None):
    """The form for one number without YAML; None for an invalid concept (no catalogue) or
    one without schemes."""
    keuzes = [(r["code"], r["naam"]) for r in catalogus.regelingen] if catalogus is not None else []
    if not keuzes:
        return None
    return BedragForm(data, regelingen=keuzes, velden=BEDRAGVELDEN, prefix="bedrag")


@login_required
@require_POST
def bedrag(request, pk: int):
    versie = _versie(request, pk)
    controle = selectors.yaml_controleren(versie.yaml_tekst)
    form = _bedragform(controle.catalogus, request.POST)
    if versie.status != CatalogusStatus.CONCEPT or form is None:
        messages.error(request, _("Alleen een concept zonder fouten kan zo worden aangepast."))
        return redirect("regelingen:versie", pk=versie.pk)
    if form.is_valid():
        waarde: Decimal = form.cleaned_data["waarde"]
        tekst = selectors.yaml_waarde_vervangen(
            versie.yaml_tekst, regeling=form.cleaned_data["regeling"], pad=form.cleaned_data["veld"],
            waarde=format(waarde.normalize(), "f"),
        )
        if tekst is None:
            form.add_error("veld", _("Deze regeling heeft dit veld niet. Kies een ander veld of pas de YAML aan."))
        else:
            services.concept_wijzigen(actor=request.user, versie=versie, yaml_tekst=tekst, toelichting=versie.toelichting)
            messages.success(request, _("De waarde is aangepast. Bekijk het voorbeeld om het effect te zien."))
            return redirect("regelingen:versie", pk=versie.pk)
    return render(request, "regelingen/concept.html", {
        "versie": versie, "form": ConceptForm(initial={"yaml_tekst": versie.yaml_tekst, "toelichting": versie.toelichting}),
        "problemen": _met_regeltekst(controle.problemen, versie.yaml_tekst),
        "bedragform": form,
    })


@login_required
def voorbeeld(request, pk: int):
    versie = _versie(request, pk)
    problemen = selectors.controleer_yaml(versie.yaml_tekst)
    vandaag = timezone.localdate()
    vergelijking = []
    if not problemen:
        concept = Catalogus.uit_yaml(versie.yaml_tekst)
        gepubliceerd = selectors.catalogus_voor_gemeente(gemeente=request.user.gemeente, peildatum=vandaag)
        vergelijking = selectors.voorbeeld_vergelijken(concept=concept, gepubliceerd=gepubliceerd, peildatum=vandaag)
    geldig = selectors.catalogusversie_geldig(gemeente_id=request.user.gemeente_id, peildatum=vandaag)
    tekstverschil = (
        selectors.yaml_verschil(geldig.yaml_tekst, versie.yaml_tekst) if geldig is not None and geldig.pk != versie.pk else None
    )
    return render(request, "regelingen/voorbeeld.html", {
        "versie": versie, "problemen": problemen, "vergelijking": vergelijking, "peildatum": vandaag,
        "geldig": geldig, "tekstverschil": tekstverschil,
    })


@login_required
def publiceren(request, pk: int):
    versie = _versie(request, pk)
    if versie.status != CatalogusStatus.CONCEPT:
        messages.error(request, _("Alleen een concept kan worden gepubliceerd."))
        return redirect("regelingen:versie", pk=versie.pk)
    problemen = selectors.controleer_yaml(versie.yaml_tekst)
    form = PublicerenForm(request.POST or None, initial={"geldig_vanaf": timezone.localdate()})
    if request.method == "POST" and not problemen and form.is_valid():
        try:
            services.concept_publiceren(
                actor=request.user, versie=versie, geldig_vanaf=form.cleaned_data["geldig_vanaf"],
                verleden_bevestigd=form.cleaned_data["verleden_bevestigd"],
            )
        except services.CatalogusBeheerFout as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(request, _("Versie %(versie)s is gepubliceerd en geldt vanaf %(datum)s.") % {
                "versie": versie.versie, "datum": form.cleaned_data["geldig_vanaf"].strftime("%d-%m-%Y"),
            })
            return redirect("regelingen:lijst")
    return render(request, "regelingen/publiceren.html", {
        "versie": versie, "form": form, "problemen": problemen,
        "later": selectors.later_gepubliceerd(gemeente=request.user.gemeente, na=timezone.localdate()),
    })


@login_required
@require_POST
def intrekken(request, pk: int):
    versie = _versie(request, pk)
    try:
        services.versie_intrekken(actor=request.user, versie=versie)
    except services.CatalogusBeheerFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, _("Versie %(versie)s is ingetrokken.") % {"versie": versie.versie})
    return redirect("regelingen:lijst")
