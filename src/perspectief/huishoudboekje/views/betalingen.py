"""Payments screens for the budgetbeheerder: planned payments, planning up to a date,
payment batches (prepare, four-eyes approval, refusal, download of the pain.001) and the
upload of a pain.002 status report.

Thin views: the work is done by ``huishoudboekje.betalingen``. Every view of personal data,
every change and every refusal is audit-logged (per page or per action, never per line)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record
from perspectief.contrib.bankformaten import BankbestandGeweigerd
from perspectief.core.refusal import refuse

from .. import betalingen as betaal_services
from .. import policies
from ..constants import DOEL, BatchStatus, BetalingStatus
from ..models import Betaalbatch, Betaling, Tussenrekening

PAGE_SIZE = 25
BATCHES_PER_PAGE = 10
PAIN_VERSIES = (
    ("pain.001.001.09", gettext_lazy("pain.001.001.09 (nieuw, meeste banken)")),
    ("pain.001.001.03", gettext_lazy("pain.001.001.03 (oude versie)")),
)

_refuse = partial(refuse, doel=DOEL)  # refusals here are logged under the budgetbeheer purpose
MAX_STATUSRAPPORT = 20 * 1024 * 1024


# --- forms ---------------------------------------------------------------------------------


class _RekeningForm(forms.Form):
    """A form that works on one tussenrekening of the user's gemeente: the choice is shown
    only when the gemeente has more than one."""

    tussenrekening = forms.ModelChoiceField(label=gettext_lazy("Rekening"), queryset=None, empty_label=None)

    def __init__(self, *args, rekeningen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tussenrekening"].queryset = rekeningen
        if len(rekeningen) == 1:
            self.fields["tussenrekening"].widget = forms.HiddenInput()
            self.fields["tussenrekening"].initial = rekeningen[0].pk


class PlannenForm(_RekeningForm):
    prefix = "plannen"
    tot = forms.DateField(
        label=gettext_lazy("Klaarzetten tot en met"),
        help_text=gettext_lazy("Alle vaste lasten en het leefgeld tot en met deze datum worden klaargezet."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Kies een datum."), "invalid": gettext_lazy("Kies een datum zoals 2026-12-01.")},
    )

    def clean_tot(self):
        tot = self.cleaned_data["tot"]
        if tot < timezone.localdate():
            raise ValidationError(_("Kies vandaag of een datum in de toekomst."))
        return tot


class BatchForm(_RekeningForm):
    prefix = "batch"
    uitvoerdatum = forms.DateField(
        label=gettext_lazy("Uitvoerdatum"),
        help_text=gettext_lazy(
            "Alle klaargezette betalingen tot en met deze dag komen in het bestand. De bank betaalt elke betaling op"
            " haar eigen dag. Is die dag al voorbij, dan betaalt de bank op de eerste bankdag vanaf vandaag."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Kies een datum."), "invalid": gettext_lazy("Kies een datum zoals 2026-12-01.")},
    )
    pain_versie = forms.ChoiceField(label=gettext_lazy("Soort bestand"), choices=PAIN_VERSIES, initial=PAIN_VERSIES[0][0])


class StatusrapportForm(_RekeningForm):
    prefix = "status"
    bestand = forms.FileField(
        label=gettext_lazy("Statusbericht van de bank (pain.002)"),
        help_text=gettext_lazy("Het XML-bestand dat de bank terugstuurt na een betaalbestand."),
        error_messages={"required": gettext_lazy("Kies een bestand.")},
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_STATUSRAPPORT:
            raise ValidationError(_("Het bestand is groter dan 20 MB. Dit is geen statusbericht."))
        return bestand


class AfkeurForm(forms.Form):
    reden = forms.CharField(
        label=gettext_lazy("Waarom keurt u het bestand af?"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("De betalingen komen terug in de lijst en kunnen opnieuw in een bestand."),
        error_messages={"required": gettext_lazy("Schrijf op waarom u het bestand afkeurt.")},
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False,
        choices=[("", gettext_lazy("Alle statussen"))] + list(BetalingStatus.choices),
    )


# --- helpers -----------------------------------------------------------------------------------


def _budgetbeheerder_or_refuse(request, object_type: str) -> None:
    if not policies.can_use_huishoudboekje(request.user):
        _refuse(request, object_type=object_type)


def _rekeningen(user):
    return Tussenrekening.objects.filter(gemeente_id=user.gemeente_id).order_by("pk")


def _batches(user):
    return (
        Betaalbatch.objects.filter(tussenrekening__gemeente_id=user.gemeente_id)
        .select_related("voorbereid_door", "goedgekeurd_door", "tussenrekening")
    )


def _batch_or_refuse(request, batch_uuid) -> Betaalbatch:
    batch = _batches(request.user).filter(uuid=batch_uuid).first()
    if batch is None:
        _refuse(request, object_type="betaalbatch", object_id=batch_uuid, hide_existence=True)
    return batch


def _overzicht_context(request, **forms_) -> dict:
    user = request.user
    rekeningen = _rekeningen(user)
    filter_form = StatusFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    betalingen = (
        Betaling.objects.filter(deelname__in=policies.deelnames_visible_to(user))
        .select_related("deelname__huishouden", "afspraak", "batch")
        .order_by("uitvoerdatum", "pk")
    )
    if status:
        betalingen = betalingen.filter(status=status)
    else:  # by default the payments still to go out
        betalingen = betalingen.filter(status__in=(BetalingStatus.GEPLAND, BetalingStatus.IN_BATCH))
    page = Paginator(betalingen, PAGE_SIZE).get_page(request.GET.get("pagina"))
    _dag_in_bestand(page)
    batches = Paginator(_batches(user), BATCHES_PER_PAGE).get_page(request.GET.get("batchpagina"))
    vandaag = timezone.localdate()
    # The first day a planned payment goes out: a batch for a later day would pay it late.
    eerste_uitvoerdatum = (
        Betaling.objects.filter(deelname__tussenrekening__in=rekeningen, status=BetalingStatus.GEPLAND)
        .order_by("uitvoerdatum").values_list("uitvoerdatum", flat=True).first()
    )
    return {
        "rekeningen": rekeningen,
        "filter_form": filter_form,
        "status": status,
        "page": page,
        "query": f"status={status}" if status else "",
        "batches": batches,
        "plannen_form": forms_.get("plannen_form") or PlannenForm(rekeningen=rekeningen, initial={"tot": vandaag}),
        "batch_form": forms_.get("batch_form") or BatchForm(
            rekeningen=rekeningen, initial={"uitvoerdatum": max(vandaag, eerste_uitvoerdatum or vandaag)}
        ),
        "status_form": forms_.get("status_form") or StatusrapportForm(rekeningen=rekeningen),
        "statusresultaat": forms_.get("statusresultaat"),
        "wacht_op_goedkeuring": _batches(user).filter(status=BatchStatus.VOORBEREID).count(),
    }


def _dag_in_bestand(page) -> None:
    """Mark each payment still to go out whose day has passed with the day the bank will
    pay it (``gaat_op``): a batch approved today sends it on the first bank day from today."""
    vandaag = timezone.localdate()
    page.object_list = list(page.object_list)
    for betaling in page.object_list:
        dag = betaal_services.uitvoerdatum_in_bestand(betaling.uitvoerdatum, vandaag=vandaag)
        wacht = betaling.status in (BetalingStatus.GEPLAND, BetalingStatus.IN_BATCH)
        betaling.gaat_op = dag if wacht and dag != betaling.uitvoerdatum else None


def _audit_page(request, page, object_type: str) -> None:
    audit_record(
        actor=request.user, actie=Actie.INZIEN, object_type=object_type, doel=DOEL,
        details={"pagina": page.number, "huishoudens": sorted({b.deelname.huishouden_id for b in page.object_list})},
    )


def _render_overzicht(request, status: int = 200, **forms_):
    context = _overzicht_context(request, **forms_)
    _audit_page(request, context["page"], "betalingen")
    return render(request, "huishoudboekje/betalingen.html", context, status=status)


# --- views -----------------------------------------------------------------------------------


@login_required
@require_GET
def overzicht(request):
    _budgetbeheerder_or_refuse(request, "betalingen")
    return _render_overzicht(request)


@login_required
@require_POST
def plannen(request):
    _budgetbeheerder_or_refuse(request, "betalingen")
    form = PlannenForm(request.POST, rekeningen=_rekeningen(request.user))
    if not form.is_valid():
        return _render_overzicht(request, plannen_form=form)
    aantal = betaal_services.betalingen_plannen(
        tussenrekening=form.cleaned_data["tussenrekening"], peildatum=timezone.localdate(), tot=form.cleaned_data["tot"]
    )
    audit_record(
        actor=request.user, actie=Actie.AANMAKEN, object_type="betalingen_plannen",
        object_id=form.cleaned_data["tussenrekening"].pk, doel=DOEL,
        details={"tot": form.cleaned_data["tot"].isoformat(), "aantal": aantal},
    )
    if aantal:
        messages.success(request, _("%(aantal)s betalingen klaargezet.") % {"aantal": aantal})
    else:
        messages.success(request, _("Er waren geen nieuwe betalingen om klaar te zetten."))
    return redirect("huishoudboekje:betalingen")


@login_required
@require_POST
def batch_maken(request):
    _budgetbeheerder_or_refuse(request, "betaalbatch")
    form = BatchForm(request.POST, rekeningen=_rekeningen(request.user))
    if not form.is_valid():
        return _render_overzicht(request, batch_form=form)
    try:
        batch = betaal_services.batch_voorbereiden(
            actor=request.user, tussenrekening=form.cleaned_data["tussenrekening"],
            uitvoerdatum=form.cleaned_data["uitvoerdatum"], pain_versie=form.cleaned_data["pain_versie"],
        )
    except ValidationError as fout:
        form.add_error(None, " ".join(fout.messages))
        return _render_overzicht(request, batch_form=form)
    messages.success(
        request,
        _("Het betaalbestand is gemaakt met %(aantal)s betalingen. Een andere budgetbeheerder moet het nu goedkeuren.")
        % {"aantal": batch.aantal},
    )
    return redirect("huishoudboekje:batch", batch_uuid=batch.uuid)


@login_required
@require_POST
def statusrapport(request):
    _budgetbeheerder_or_refuse(request, "statusrapport")
    form = StatusrapportForm(request.POST, request.FILES, rekeningen=_rekeningen(request.user))
    if not form.is_valid():
        return _render_overzicht(request, status_form=form)
    try:
        resultaat = betaal_services.statusrapport_verwerken(
            actor=request.user, tussenrekening=form.cleaned_data["tussenrekening"],
            inhoud=form.cleaned_data["bestand"].read(),
        )
    except ValidationError as fout:
        form.add_error("bestand", " ".join(fout.messages))
        return _render_overzicht(request, status_form=form)
    except BankbestandGeweigerd as fout:  # a clear reason, nothing changed
        form.add_error("bestand", fout.bericht)
        return _render_overzicht(request, status_form=form)
    return _render_overzicht(request, statusresultaat=resultaat)


@login_required
@require_GET
def batch(request, batch_uuid):
    _budgetbeheerder_or_refuse(request, "betaalbatch")
    batch = _batch_or_refuse(request, batch_uuid)
    betalingen = batch.betalingen.select_related("deelname__huishouden", "afspraak").order_by("uitvoerdatum", "pk")
    page = Paginator(betalingen, 100).get_page(request.GET.get("pagina"))
    _dag_in_bestand(page)
    audit_record(
        actor=request.user, actie=Actie.INZIEN, object_type="betaalbatch", object_id=batch.pk, doel=DOEL,
        details={"pagina": page.number},
    )
    return render(request, "huishoudboekje/betalingen_batch.html", {
        "batch": batch,
        "page": page,
        "mag_goedkeuren": batch.status == BatchStatus.VOORBEREID and policies.can_approve_batch(request.user, batch),
        "zelf_voorbereid": batch.voorbereid_door_id == request.user.pk,
        "afkeur_form": AfkeurForm(),
        "bestandsnaam": betaal_services.batch_bestandsnaam(batch) if batch.bestand else "",
    })


@login_required
@require_POST
def batch_goedkeuren(request, batch_uuid):
    _budgetbeheerder_or_refuse(request, "betaalbatch")
    batch = _batch_or_refuse(request, batch_uuid)
    if not policies.can_approve_batch(request.user, batch):
        audit_record(
            actor=request.user, actie=Actie.WIJZIGEN, object_type="betaalbatch", object_id=batch.pk,
            resultaat=Resultaat.GEWEIGERD, doel=DOEL, details={"reden": "vier_ogen"},
        )
        messages.error(
            request,
            _("U heeft dit betaalbestand zelf gemaakt. Een andere budgetbeheerder moet het goedkeuren (vier ogen)."),
        )
        return redirect("huishoudboekje:batch", batch_uuid=batch.uuid)
    try:
        betaal_services.batch_goedkeuren(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as fout:
        messages.error(request, " ".join(getattr(fout, "messages", None) or [str(fout)]))
        return redirect("huishoudboekje:batch", batch_uuid=batch.uuid)
    messages.success(request, _("Het betaalbestand is goedgekeurd. U kunt het nu downloaden en bij de bank aanbieden."))
    return redirect("huishoudboekje:batch", batch_uuid=batch.uuid)


@login_required
@require_POST
def batch_afkeuren(request, batch_uuid):
    _budgetbeheerder_or_refuse(request, "betaalbatch")
    batch = _batch_or_refuse(request, batch_uuid)
    form = AfkeurForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf op waarom u het bestand afkeurt."))
        return redirect("huishoudboekje:batch", batch_uuid=batch.uuid)
    try:
        betaal_services.batch_afkeuren(actor=request.user, batch=batch, reden=form.cleaned_data["reden"])
    except (ValidationError, PermissionDenied) as fout:
        messages.error(request, " ".join(getattr(fout, "messages", None) or [str(fout)]))
        return redirect("huishoudboekje:batch", batch_uuid=batch.uuid)
    messages.success(request, _("Het betaalbestand is afgekeurd. De betalingen staan weer klaar."))
    return redirect("huishoudboekje:batch", batch_uuid=batch.uuid)


@login_required
@require_GET
def batch_downloaden(request, batch_uuid):
    _budgetbeheerder_or_refuse(request, "betaalbestand")
    batch = _batch_or_refuse(request, batch_uuid)
    if batch.status != BatchStatus.GOEDGEKEURD or not batch.bestand:
        _refuse(request, object_type="betaalbestand", object_id=batch.pk, hide_existence=True)
    audit_record(
        actor=request.user, actie=Actie.INZIEN, object_type="betaalbestand", object_id=batch.pk, doel=DOEL,
        details={"sha256": batch.sha256, "aantal": batch.aantal},
    )
    response = HttpResponse(bytes(batch.bestand), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{betaal_services.batch_bestandsnaam(batch)}"'
    response["Cache-Control"] = "no-store"
    return response

