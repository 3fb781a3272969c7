"""The budgetbeheerder's household screens: the work list, starting a participation, a
household's page (budget, afspraken, ledger, bank lines, payments, monthly overview) and
adding, changing or ending afspraken.

Thin views: the work is done by deelname.py, budget.py and the selectors. Every view of a
household's page, every change and every refusal is audit-logged (per page, never per line)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.core.refusal import refuse
from perspectief.core.session_search import store_search_term, stored_search_term
from perspectief.huishoudens.policies import households_visible_to

from .. import budget, policies, schema, selectors
from .. import deelname as deelname_services
from ..constants import DOEL, Rubriek
from ..forms import AfspraakForm, DeelnameForm
from ..grafiek import maandgrafiek
from ..selectors import WerklijstFilter, WerklijstZoekopdracht

PAGE_SIZE = 25
CENT = Decimal("0.01")
REGELS_PER_PAGINA = 20
BETALINGEN_OP_PAGINA = 10


# --- shared by the huishoudboekje views ---------------------------------------------------------


def weigeren(request, *, object_type: str, object_id="", huishouden_id=None, verbergen=False):
    """The huishoudboekje screens' refusal (core.refusal under this module's purpose)."""
    refuse(
        request, object_type=object_type, object_id=object_id, huishouden_id=huishouden_id, doel=DOEL,
        hide_existence=verbergen,
    )


def verstuurd(request):
    """The posted data, also when it is empty (an empty POST is a bound form with errors)."""
    return request.POST if request.method == "POST" else None


_verstuurd = verstuurd


def alleen_budgetbeheerder(request, object_type: str) -> None:
    if not policies.can_use_huishoudboekje(request.user):
        weigeren(request, object_type=object_type)


def fouten_naar_form(fout: ValidationError, form) -> None:
    """A service's errors on a field go to that field when the form has it; the rest go
    above the form."""
    meldingen = fout.message_dict if hasattr(fout, "error_dict") else {None: fout.messages}
    for veld, tekst in meldingen.items():
        form.add_error(veld if veld in form.fields else None, tekst)


def _zichtbare_deelname_of_weigeren(request, uuid, *, object_type: str = "deelname"):
    alleen_budgetbeheerder(request, object_type)
    deelname = selectors.deelname_detail(zichtbaar=policies.deelnames_visible_to(request.user), uuid=uuid)
    if deelname is None:
        bestaand = selectors.deelname_id_by_uuid(uuid=uuid)
        weigeren(
            request, object_type=object_type, object_id=bestaand[0] if bestaand else "",
            huishouden_id=bestaand[1] if bestaand else None, verbergen=True,
        )
    return deelname


# --- the work list ------------------------------------------------------------------------------

ZOEKOPDRACHTEN = "huishoudboekje_zoekopdrachten"
FILTERS = (
    (WerklijstFilter.ALLE, gettext_lazy("Alle huishoudens")),
    (WerklijstFilter.MET_SIGNALEN, gettext_lazy("Met open signalen")),
    (WerklijstFilter.NEGATIEF, gettext_lazy("Negatief saldo")),
)


class WerklijstZoekForm(forms.Form):
    zoekterm = forms.CharField(
        label=gettext_lazy("Naam van het huishouden"), required=False, max_length=100,
        help_text=gettext_lazy("Een deel van de naam is genoeg."),
    )
    filter = forms.ChoiceField(label=gettext_lazy("Toon"), required=False, choices=FILTERS)


def _werklijst_url(params: dict) -> str:
    query = {naam: waarde for naam, waarde in params.items() if waarde}
    return reverse("huishoudboekje:werklijst") + (f"?{urlencode(query)}" if query else "")


@login_required
@require_http_methods(["GET", "POST"])
def werklijst(request):
    alleen_budgetbeheerder(request, "huishoudboekje_werklijst")
    user = request.user
    if request.method == "POST":
        form = WerklijstZoekForm(request.POST)
        if form.is_valid():
            term = form.cleaned_data["zoekterm"].strip()
            return redirect(_werklijst_url({
                "zoekopdracht": store_search_term(request, term, session_key=ZOEKOPDRACHTEN) if term else "",
                "filter": form.cleaned_data["filter"],
            }))
    token = request.GET.get("zoekopdracht", "")
    term = stored_search_term(request, token, session_key=ZOEKOPDRACHTEN) if token else ""
    form = WerklijstZoekForm({"zoekterm": term, "filter": request.GET.get("filter", "")})
    zoekopdracht = WerklijstZoekopdracht()
    if form.is_valid():
        zoekopdracht = WerklijstZoekopdracht(zoekterm=form.cleaned_data["zoekterm"], filter=form.cleaned_data["filter"])
    vandaag = timezone.localdate()
    zichtbaar = policies.deelnames_visible_to(user)
    deelnames = selectors.werklijst(zichtbaar=zichtbaar, zoekopdracht=zoekopdracht, peildatum=vandaag)
    page = Paginator(deelnames, PAGE_SIZE).get_page(request.GET.get("pagina"))
    for deelname in page.object_list:
        deelname.tegoed = Decimal(deelname.tegoed).quantize(CENT)  # SQLite drops the decimals of -saldo
        if deelname.leefgeld_datum is None:  # no planned payment yet: the date from the schedule
            deelname.leefgeld_verwacht = schema.volgende_leefgeld_termijn(deelname, vandaag)
    audit_record(
        actor=user, actie=Actie.ZOEKEN if zoekopdracht.zoekterm else Actie.INZIEN, object_type="huishoudboekje_werklijst",
        doel=DOEL, details={"deelnames": [d.pk for d in page.object_list], "pagina": page.number},
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "huishoudboekje/werklijst.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "zoekopdracht_verlopen": bool(token) and not term,
        "gezocht": bool(zoekopdracht.zoekterm or zoekopdracht.filter),
        "laatste_bestand": selectors.laatste_bankbestand(tussenrekeningen=policies.tussenrekeningen_visible_to(user)),
    })


# --- starting a participation -------------------------------------------------------------------


class HuishoudenKeuzeForm(forms.Form):
    huishouden = forms.ModelChoiceField(
        label=gettext_lazy("Huishouden"), queryset=None, empty_label=gettext_lazy("Kies een huishouden"),
        to_field_name="uuid", error_messages={
            "required": gettext_lazy("Kies het huishouden dat meedoet."),
            "invalid_choice": gettext_lazy("Kies een huishouden uit de lijst."),
        },
        help_text=gettext_lazy("Huishoudens uit uw werkvoorraad die nog niet meedoen."),
    )
    tussenrekening = forms.ModelChoiceField(
        label=gettext_lazy("Tussenrekening van de gemeente"), queryset=None, empty_label=None, required=False,
    )

    def __init__(self, *args, huishoudens, rekeningen, **kwargs):
        super().__init__(*args, **kwargs)
        self.rekeningen = rekeningen
        self.fields["huishouden"].queryset = huishoudens
        self.fields["tussenrekening"].queryset = rekeningen
        if len(rekeningen) <= 1:  # the gemeente's only account: no choice to make
            self.fields["tussenrekening"].widget = forms.HiddenInput()
            self.fields["tussenrekening"].initial = rekeningen[0].pk if rekeningen else None

    def clean_tussenrekening(self):
        gekozen = self.cleaned_data.get("tussenrekening")
        if gekozen is None and len(self.rekeningen) == 1:
            return self.rekeningen[0]
        if gekozen is None:
            raise forms.ValidationError(_("Kies de tussenrekening."))
        return gekozen


@login_required
@require_http_methods(["GET", "POST"])
def deelname_nieuw(request):
    alleen_budgetbeheerder(request, "deelname_nieuw")
    user = request.user
    huishoudens = selectors.huishoudens_zonder_deelname(zichtbaar_huishoudens=households_visible_to(user))
    rekeningen = policies.tussenrekeningen_visible_to(user).order_by("pk")
    keuze = HuishoudenKeuzeForm(
        _verstuurd(request), huishoudens=huishoudens, rekeningen=rekeningen, prefix="keuze",
        initial={"huishouden": request.GET.get("huishouden", "")},
    )
    form = DeelnameForm(_verstuurd(request), initial={"startdatum": timezone.localdate()})
    if request.method == "POST" and keuze.is_valid() and form.is_valid():
        try:
            deelname = form.save(
                actor=user, huishouden=keuze.cleaned_data["huishouden"],
                tussenrekening=keuze.cleaned_data["tussenrekening"], budgetbeheerder=user,
            )
        except ValidationError as fout:
            fouten_naar_form(fout, form)
        else:
            messages.success(request, _("Het huishouden doet nu mee met het huishoudboekje. Leg nu de afspraken vast."))
            return redirect("huishoudboekje:deelname", uuid=deelname.uuid)
    return render(request, "huishoudboekje/deelname_nieuw.html", {
        "keuze": keuze, "form": form, "geen_rekening": not rekeningen, "geen_huishoudens": not huishoudens.exists(),
    })


# --- a household's page ---------------------------------------------------------------------------


@login_required
@require_GET
def deelname_detail(request, uuid):
    deelname = _zichtbare_deelname_of_weigeren(request, uuid)
    vandaag = timezone.localdate()
    mutaties = Paginator(selectors.mutaties_van(deelname=deelname), REGELS_PER_PAGINA).get_page(request.GET.get("mutaties"))
    transacties = Paginator(selectors.banktransacties_van(deelname=deelname), REGELS_PER_PAGINA).get_page(
        request.GET.get("bankregels")
    )
    betalingen = Paginator(selectors.betalingen_van(deelname=deelname), BETALINGEN_OP_PAGINA).get_page(
        request.GET.get("betalingen")
    )
    for mutatie in mutaties.object_list:  # seen from the household: credit is money added
        mutatie.erbij = -mutatie.bedrag if mutatie.bedrag < 0 else None
        mutatie.eraf = mutatie.bedrag if mutatie.bedrag > 0 else None
    for transactie in transacties.object_list:
        transactie.reden_teksten = selectors.redenen_met_tekst(transactie.redenen, transactie.afspraak)
    overzicht = budget.overzicht(deelname=deelname, peildatum=vandaag)
    maanden = budget.maandoverzicht(deelname=deelname, tot=vandaag, maanden=6)
    audit_record(
        actor=request.user, actie=Actie.INZIEN, object_type="deelname", object_id=deelname.pk,
        huishouden_id=deelname.huishouden_id, doel=DOEL,
    )
    return render(request, "huishoudboekje/deelname.html", {
        "deelname": deelname,
        "huishouden": deelname.huishouden,
        "budget": overzicht,
        "afspraken": selectors.afspraken_van(deelname=deelname),
        "signalen": selectors.open_signalen_van(deelname=deelname),
        "mutaties": mutaties,
        "transacties": transacties,
        "betalingen": betalingen,
        **_maandtabel(maanden),
        "vandaag": vandaag,
    })


def _maandtabel(maanden) -> dict:
    """The monthly overview as a table (one row per rubriek, one column per month) and the
    same figures as a chart (money in and out per month)."""
    labels = [date_format(maand.maand, "F Y") for maand in maanden]
    rubrieken: list[str] = []
    for maand in maanden:
        for rubriek in maand.per_rubriek:
            if rubriek not in rubrieken:
                rubrieken.append(rubriek)
    volgorde = {code: index for index, code in enumerate(Rubriek.values)}
    rubrieken.sort(key=lambda code: volgorde.get(code, len(volgorde)))
    namen = dict(Rubriek.choices)
    rijen = [
        {"rubriek": namen.get(code, code) if code else _("Zonder rubriek"),
         "bedragen": [maand.per_rubriek.get(code) for maand in maanden]}
        for code in rubrieken
    ]
    return {
        "maand_labels": labels,
        "maand_rijen": rijen,
        "maanden": maanden,
        "grafiek": maandgrafiek(
            titel=_("Geld erin en geld eruit per maand"), labels=[date_format(m.maand, "M") for m in maanden],
            inkomen=[maand.inkomen for maand in maanden], uitgaven=[maand.uitgaven for maand in maanden],
        ),
    }


# --- afspraken ----------------------------------------------------------------------------------


def _afspraak_of_weigeren(request, deelname, afspraak_uuid, object_type: str):
    afspraak = deelname.afspraken.select_related("organisatie").filter(uuid=afspraak_uuid).first()
    if afspraak is None:
        weigeren(
            request, object_type=object_type, object_id="", huishouden_id=deelname.huishouden_id, verbergen=True,
        )
    return afspraak


@login_required
@require_http_methods(["GET", "POST"])
def afspraak_nieuw(request, uuid):
    deelname = _zichtbare_deelname_of_weigeren(request, uuid, object_type="afspraak_nieuw")
    form = AfspraakForm(_verstuurd(request), initial={"geldig_vanaf": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            form.save(actor=request.user, deelname=deelname)
        except ValidationError as fout:
            fouten_naar_form(fout, form)
        else:
            messages.success(request, _("De afspraak is opgeslagen."))
            return redirect(reverse("huishoudboekje:deelname", kwargs={"uuid": deelname.uuid}) + "#afspraken-kop")
    return render(request, "huishoudboekje/afspraak_form.html", {"form": form, "deelname": deelname, "nieuw": True})


@login_required
@require_http_methods(["GET", "POST"])
def afspraak_wijzigen(request, uuid, afspraak_uuid):
    deelname = _zichtbare_deelname_of_weigeren(request, uuid, object_type="afspraak")
    afspraak = _afspraak_of_weigeren(request, deelname, afspraak_uuid, "afspraak")
    form = AfspraakForm(_verstuurd(request), instance=afspraak)
    if request.method == "POST" and form.is_valid():
        try:
            wijziging = deelname_services.afspraak_wijzigen(
                actor=request.user, deelname=deelname, afspraak=afspraak, **form.cleaned_data
            )
        except ValidationError as fout:
            fouten_naar_form(fout, form)
        else:
            messages.success(request, _("De afspraak is gewijzigd."))
            for niveau, melding in betalingen_meldingen(wijziging):
                messages.add_message(request, niveau, melding)
            return redirect(reverse("huishoudboekje:deelname", kwargs={"uuid": deelname.uuid}) + "#afspraken-kop")
    if request.method == "GET":
        audit_record(
            actor=request.user, actie=Actie.INZIEN, object_type="afspraak", object_id=afspraak.pk,
            huishouden_id=deelname.huishouden_id, doel=DOEL,
        )
    return render(request, "huishoudboekje/afspraak_form.html", {"form": form, "deelname": deelname, "afspraak": afspraak})


# What a change of an afspraak did to its payments (betalingen_meldingen).
BETALINGEN_AANGEPAST = ngettext_lazy(
    "%(aantal)d geplande betaling is aangepast aan de nieuwe afspraak.",
    "%(aantal)d geplande betalingen zijn aangepast aan de nieuwe afspraak.",
    "aantal",
)
BETALINGEN_VERVALLEN = ngettext_lazy(
    "%(aantal)d geplande betaling gaat niet door, want die past niet meer bij de afspraak.",
    "%(aantal)d geplande betalingen gaan niet door, want die passen niet meer bij de afspraak.",
    "aantal",
)
BETALINGEN_NIEUW = ngettext_lazy(
    "%(aantal)d betaling is nu gepland volgens de nieuwe afspraak.",
    "%(aantal)d betalingen zijn nu gepland volgens de nieuwe afspraak.",
    "aantal",
)
BETALINGEN_IN_BATCH = ngettext_lazy(
    "%(aantal)d betaling staat al in een betaalbestand dat nog niet is goedgekeurd. Die is niet aangepast. "
    "Moet die anders? Keur dan het betaalbestand af en annuleer de betaling. "
    "Dan wordt de betaling opnieuw gepland met de nieuwe gegevens.",
    "%(aantal)d betalingen staan al in een betaalbestand dat nog niet is goedgekeurd. Die zijn niet aangepast. "
    "Moeten die anders? Keur dan het betaalbestand af en annuleer de betalingen. "
    "Dan worden de betalingen opnieuw gepland met de nieuwe gegevens.",
    "aantal",
)


def betalingen_meldingen(wijziging: deelname_services.AfspraakWijziging) -> list[tuple[int, str]]:
    """What a change did to the payments, in plain words, as (message level, text);
    nothing when it did nothing. A cancelled payment with a new one in its place counts
    as changed; payments in a prepared batch kept the old values, which is a warning."""
    aangepast = min(wijziging.betalingen_geannuleerd, wijziging.betalingen_gepland)
    teksten = (
        (messages.INFO, aangepast, BETALINGEN_AANGEPAST),
        (messages.INFO, wijziging.betalingen_geannuleerd - aangepast, BETALINGEN_VERVALLEN),
        (messages.INFO, wijziging.betalingen_gepland - aangepast, BETALINGEN_NIEUW),
        (messages.WARNING, wijziging.betalingen_in_batch, BETALINGEN_IN_BATCH),
    )
    return [(niveau, str(tekst % {"aantal": aantal})) for niveau, aantal, tekst in teksten if aantal > 0]


class BeeindigenForm(forms.Form):
    geldig_tot = forms.DateField(
        label=gettext_lazy("Laatste dag van de afspraak"),
        help_text=gettext_lazy("Na deze dag wordt er niets meer betaald of verwacht voor deze afspraak."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Kies een datum."), "invalid": gettext_lazy("Kies een datum zoals 2026-12-31.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def afspraak_beeindigen(request, uuid, afspraak_uuid):
    deelname = _zichtbare_deelname_of_weigeren(request, uuid, object_type="afspraak_beeindigen")
    afspraak = _afspraak_of_weigeren(request, deelname, afspraak_uuid, "afspraak_beeindigen")
    form = BeeindigenForm(_verstuurd(request), initial={"geldig_tot": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            deelname_services.afspraak_beeindigen(
                actor=request.user, afspraak=afspraak, geldig_tot=form.cleaned_data["geldig_tot"],
            )
        except ValidationError as fout:
            fouten_naar_form(fout, form)
        else:
            messages.success(request, _("De afspraak is beëindigd."))
            return redirect(reverse("huishoudboekje:deelname", kwargs={"uuid": deelname.uuid}) + "#afspraken-kop")
    return render(request, "huishoudboekje/afspraak_beeindigen.html", {"form": form, "deelname": deelname, "afspraak": afspraak})
