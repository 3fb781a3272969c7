"""The budgetbeheerder's work list of signals: open alarms of the participations in their
caseload, with the afspraak and the bank lines involved, and "Afgehandeld" with a note.

Thin views: ``huishoudboekje.signalen`` does the work. Each page shown and each refusal is
audit-logged once."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.core.refusal import refuse

from .. import policies
from .. import signalen as signaal_services
from ..constants import DOEL, SignaalSoort, SignaalStatus
from ..models import Banktransactie, Signaal

_refuse = partial(refuse, doel=DOEL)  # refusals here are logged under the budgetbeheer purpose

PAGE_SIZE = 25


class SoortFilterForm(forms.Form):
    soort = forms.ChoiceField(
        label=gettext_lazy("Soort signaal"), required=False,
        choices=[("", gettext_lazy("Alle soorten"))] + list(SignaalSoort.choices),
    )


class AfhandelForm(forms.Form):
    toelichting = forms.CharField(
        label=gettext_lazy("Wat heeft u gedaan?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Bijvoorbeeld: gebeld met de inwoner, de uitkering komt later. Schrijf geen BSN op."),
        error_messages={"required": gettext_lazy("Schrijf kort op wat u heeft gedaan.")},
    )


def _open_signalen(user):
    return (
        Signaal.objects.filter(deelname__in=policies.deelnames_visible_to(user), status=SignaalStatus.OPEN)
        .select_related("deelname__huishouden", "afspraak__organisatie")
        .prefetch_related(Prefetch("transacties", queryset=Banktransactie.objects.order_by("boekdatum", "pk")))
        .order_by("-periode", "-pk")
    )


def _lijst(request, *, fout_id: int | None = None, fout_form: AfhandelForm | None = None, status: int = 200):
    user = request.user
    filter_form = SoortFilterForm(request.GET or None)
    soort = filter_form.cleaned_data["soort"] if filter_form.is_valid() else ""
    signalen = _open_signalen(user)
    if soort:
        signalen = signalen.filter(soort=soort)
    page = Paginator(signalen, PAGE_SIZE).get_page(request.GET.get("pagina"))
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="signalen", doel=DOEL,
        details={"pagina": page.number, "huishoudens": sorted({s.deelname.huishouden_id for s in page.object_list})},
    )
    rijen = [
        {
            "signaal": signaal,
            "form": fout_form if signaal.pk == fout_id else AfhandelForm(auto_id=f"id_%s_{signaal.pk}"),
            # Plain words instead of a sign: "€ 120,00 minder".
            "verschil": None if signaal.verschil is None else abs(signaal.verschil),
            "minder": signaal.verschil is not None and signaal.verschil < 0,
        }
        for signaal in page.object_list
    ]
    return render(request, "huishoudboekje/signalen.html", {
        "filter_form": filter_form, "soort": soort, "page": page, "rijen": rijen,
        "query": f"soort={soort}" if soort else "",
    }, status=status)


@login_required
@require_GET
def lijst(request):
    if not policies.can_use_huishoudboekje(request.user):
        _refuse(request, object_type="signalen")
    return _lijst(request)


@login_required
@require_POST
def afhandelen(request, signaal_id: int):
    if not policies.can_use_huishoudboekje(request.user):
        _refuse(request, object_type="signaal", object_id=signaal_id)
    signaal = _open_signalen(request.user).filter(pk=signaal_id).first()
    if signaal is None:
        bestaand = Signaal.objects.filter(pk=signaal_id).select_related("deelname").first()
        zichtbaar = bestaand is not None and policies.can_view_deelname(request.user, bestaand.deelname)
        if zichtbaar:  # already handled (by a colleague, or twice submitted)
            messages.success(request, _("Dit signaal was al afgehandeld."))
            return _terug(request)
        _refuse(
            request, object_type="signaal", object_id=signaal_id,
            huishouden_id=bestaand.deelname.huishouden_id if bestaand else None, hide_existence=True,
        )
    form = AfhandelForm(request.POST, auto_id=f"id_%s_{signaal.pk}")
    if not form.is_valid():
        return _lijst(request, fout_id=signaal.pk, fout_form=form)
    try:
        signaal_services.signaal_afhandelen(actor=request.user, signaal=signaal, toelichting=form.cleaned_data["toelichting"])
    except ValidationError as fout:
        form.add_error("toelichting", " ".join(fout.messages))
        return _lijst(request, fout_id=signaal.pk, fout_form=form)
    messages.success(request, _("Het signaal is afgehandeld."))
    return _terug(request)


def _terug(request):
    """Back to the list, with the filter the user had chosen."""
    filter_form = SoortFilterForm(request.GET or None)
    soort = filter_form.cleaned_data["soort"] if filter_form.is_valid() else ""
    return redirect(reverse("huishoudboekje:signalen") + (f"?soort={soort}" if soort else ""))
