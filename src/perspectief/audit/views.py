from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from perspectief.toegang import policies

from .constants import Actie, Resultaat
from .selectors import audit_search
from .services import audit_record


class AuditZoekForm(forms.Form):
    gebruiker = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    actie = forms.ChoiceField(label=_("Actie"), required=False, choices=[("", _("Alle"))] + Actie.choices)
    resultaat = forms.ChoiceField(label=_("Resultaat"), required=False, choices=[("", _("Alle"))] + Resultaat.choices)
    object_type = forms.CharField(label=_("Soort gegeven"), required=False, max_length=60)
    vanaf = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("Vul een geldige datum in.")})
    tot_en_met = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": _("Vul een geldige datum in.")})

    def clean(self):
        data = super().clean()
        if data.get("vanaf") and data.get("tot_en_met") and data["vanaf"] > data["tot_en_met"]:
            self.add_error("tot_en_met", _("Deze datum ligt voor de datum 'vanaf'."))
        return data


@login_required
def zoeken(request):
    if not policies.can_search_audit_log(request.user):
        audit_record(actor=request.user, actie=Actie.INZIEN, object_type="auditlog", resultaat=Resultaat.GEWEIGERD)
        raise PermissionDenied()
    form = AuditZoekForm(request.GET or None)
    entries = audit_search()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = audit_search(
            actor_gebruikersnaam=data["gebruiker"], actie=data["actie"], resultaat=data["resultaat"],
            object_type=data["object_type"], vanaf=data["vanaf"], tot_en_met=data["tot_en_met"],
        )
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)  # read before this view's own entry is written
    audit_record(actor=request.user, actie=Actie.INZIEN, object_type="auditlog", details={"pagina": page.number})
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "audit/zoeken.html", {"form": form, "page": page, "query": query.urlencode()})
