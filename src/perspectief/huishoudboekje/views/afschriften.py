"""The budgetbeheerder's statement screens: reading in a bank statement, the list of imports,
one import with its lines and why each was (not) booked, the open lines of the gemeente's
tussenrekening with ranked suggestions, and booking or undoing a line (always after a
confirmation step).

Thin views: the work is done by inlezen.py and matching.py. Changes are POST only, each is
audit-logged by its service; views of bank lines are audit-logged per page, refusals always."""

from __future__ import annotations

import uuid

from celery.result import EagerResult
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record

from .. import inlezen, matching, policies, selectors, wachtrij
from ..constants import DOEL, BestandStatus, TransactieStatus
from ..models import Afspraak
from ..tasks import bankbestand_inlezen_task
from .huishoudens import alleen_budgetbeheerder, weigeren
from .huishoudens import verstuurd as _verstuurd

MAX_BESTAND = 50 * 1024 * 1024
# Up to this size a statement is read in while the budgetbeheerder waits (Utrecht's
# Huishoudboekje refuses anything larger); larger files go to the import task.
DIRECT_INLEZEN_TOT = 2 * 1024 * 1024
WACHTEND = "huishoudboekje_wachtende_afschriften"
BESTANDEN_PER_PAGINA = 20
REGELS_PER_PAGINA = 50
OPEN_POSTEN_PER_PAGINA = 10
SUGGESTIES_PER_REGEL = 3
STANDAARD_CATEGORIEEN = (
    gettext_lazy("Bankkosten"),
    gettext_lazy("Rente"),
    gettext_lazy("Terugbetalen aan afzender"),
    gettext_lazy("Onbekend, uitzoeken"),
)


# --- forms ---------------------------------------------------------------------------------------


class InlezenForm(forms.Form):
    bestand = forms.FileField(
        label=gettext_lazy("Bankafschrift"),
        help_text=gettext_lazy("Een CAMT.053-, CAMT.052-, CAMT.054- of MT940-bestand van de bank. Hoogstens 50 MB."),
        error_messages={"required": gettext_lazy("Kies een bestand."), "empty": gettext_lazy("Het bestand is leeg.")},
    )
    tussenrekening = forms.ModelChoiceField(label=gettext_lazy("Rekening"), queryset=None, empty_label=None, required=False)

    def __init__(self, *args, rekeningen, **kwargs):
        super().__init__(*args, **kwargs)
        self.rekeningen = rekeningen
        self.fields["tussenrekening"].queryset = rekeningen
        if len(rekeningen) == 1:  # the gemeente's only account: no choice to make
            self.fields["tussenrekening"].widget = forms.HiddenInput()
            self.fields["tussenrekening"].initial = rekeningen[0].pk

    def clean_tussenrekening(self):
        gekozen = self.cleaned_data.get("tussenrekening")
        if gekozen is None and len(self.rekeningen) == 1:
            return self.rekeningen[0]
        if gekozen is None:
            raise ValidationError(_("Kies de rekening van dit afschrift."))
        return gekozen

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_BESTAND:
            raise ValidationError(_(
                "Het bestand is groter dan 50 MB. Vraag de bank om afschriften per dag of per week, of deel het bestand op."
            ))
        return bestand


class HuishoudenZoekForm(forms.Form):
    naam = forms.CharField(
        label=gettext_lazy("Naam van het huishouden"), max_length=100,
        error_messages={"required": gettext_lazy("Vul een (deel van de) naam in.")},
    )


class CategorieForm(forms.Form):
    categorie = forms.ChoiceField(label=gettext_lazy("Categorie van de gemeente"), choices=())

    def __init__(self, *args, bestaande, **kwargs):
        super().__init__(*args, **kwargs)
        namen = [str(naam) for naam in STANDAARD_CATEGORIEEN]
        namen += [naam for naam in bestaande if naam not in namen]
        self.fields["categorie"].choices = [(naam, naam) for naam in namen]


# --- statements -----------------------------------------------------------------------------------


def _rekeningen(user):
    return policies.tussenrekeningen_visible_to(user).order_by("pk")


def _inlezen(request, *, tussenrekening, upload) -> int | None:
    """Reads the file in now when it is small; a large file goes to the import task (which
    runs in-process in development and tests). Returns the Bankbestand id, or None while a
    worker is still busy with it (then the list shows it as soon as it appears)."""
    bestandsnaam = upload.name[:200]
    if upload.size <= DIRECT_INLEZEN_TOT:
        return inlezen.bankbestand_inlezen(
            actor=request.user, tussenrekening=tussenrekening, bestandsnaam=bestandsnaam, inhoud=upload.read(),
        ).pk
    # Encrypted in the waiting room (shared by web and worker); the task removes it.
    pad = wachtrij.opslaan(upload.chunks())
    resultaat = bankbestand_inlezen_task.delay(
        tussenrekening_id=tussenrekening.pk, pad=pad, bestandsnaam=bestandsnaam, actor_id=request.user.pk, opruimen=True,
        versleuteld=True,
    )
    if isinstance(resultaat, EagerResult):
        return resultaat.get()
    wachtend = request.session.get(WACHTEND, [])
    request.session[WACHTEND] = [*wachtend, bestandsnaam][-10:]
    return None


@login_required
@require_http_methods(["GET", "POST"])
def afschriften(request):
    alleen_budgetbeheerder(request, "bankafschriften")
    user = request.user
    rekeningen = _rekeningen(user)
    form = InlezenForm(_verstuurd(request), request.FILES if request.method == "POST" else None, rekeningen=rekeningen)
    if request.method == "POST" and form.is_valid():
        bestand_id = _inlezen(request, tussenrekening=form.cleaned_data["tussenrekening"], upload=form.cleaned_data["bestand"])
        if bestand_id is not None:
            return redirect("huishoudboekje:afschrift", bestand_id=bestand_id)
        messages.success(request, _("Het bestand wordt ingelezen. Dat kan even duren; deze pagina laat zien wanneer het klaar is."))
        return redirect("huishoudboekje:afschriften")
    page = Paginator(selectors.bankbestanden(zichtbaar=policies.bankbestanden_visible_to(user)), BESTANDEN_PER_PAGINA).get_page(
        request.GET.get("pagina")
    )
    wachtend = _nog_wachtend(request, page.object_list)
    context = {
        "form": form, "page": page, "geen_rekening": not rekeningen, "max_mb": MAX_BESTAND // (1024 * 1024),
        "wachtend": wachtend, "bezig": bool(wachtend) or any(b.status == BestandStatus.BEZIG for b in page.object_list),
    }
    if request.htmx:
        return render(request, "huishoudboekje/_afschriften_lijst.html", context)
    return render(request, "huishoudboekje/afschriften.html", context)


def _nog_wachtend(request, bestanden) -> list[str]:
    """Names of large files handed to a worker that have not appeared in the list yet."""
    wachtend = request.session.get(WACHTEND, [])
    if not wachtend:
        return []
    namen = {b.bestandsnaam for b in bestanden}
    over = [naam for naam in wachtend if naam not in namen]
    if over != wachtend:
        request.session[WACHTEND] = over
    return over


def _zichtbare_deelname_ids(user, transacties) -> set[int]:
    """Which of these lines' households are in the user's caseload (one query)."""
    ids = {t.deelname_id for t in transacties if t.deelname_id}
    if not ids:
        return set()
    return set(policies.deelnames_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _markeer_zichtbaar(user, transacties) -> None:
    zichtbaar = _zichtbare_deelname_ids(user, transacties)
    for transactie in transacties:
        transactie.huishouden_zichtbaar = transactie.deelname_id in zichtbaar


@login_required
@require_GET
def afschrift(request, bestand_id: int):
    alleen_budgetbeheerder(request, "bankafschrift")
    user = request.user
    bestand = policies.bankbestanden_visible_to(user).select_related("tussenrekening", "ingelezen_door").filter(pk=bestand_id).first()
    if bestand is None:
        weigeren(request, object_type="bankafschrift", object_id=bestand_id, verbergen=True)
    bezig = bestand.status == BestandStatus.BEZIG
    if request.htmx:  # the status block polls while the import runs
        response = render(request, "huishoudboekje/_afschrift_status.html", {"bestand": bestand, "bezig": bezig})
        if not bezig:  # done: load the page once more, now with its lines
            response["HX-Refresh"] = "true"
        return response
    page = Paginator(selectors.bankbestand_regels(bankbestand=bestand), REGELS_PER_PAGINA).get_page(request.GET.get("pagina"))
    _markeer_zichtbaar(user, page.object_list)
    for regel in page.object_list:
        regel.reden_teksten = selectors.redenen_met_tekst(regel.redenen, regel.afspraak)
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="bankafschrift", object_id=bestand.pk, doel=DOEL,
        details={"pagina": page.number, "regels": len(page.object_list)},
    )
    return render(request, "huishoudboekje/afschrift.html", {"bestand": bestand, "bezig": bezig, "page": page})


# --- open lines, booking and undoing ---------------------------------------------------------------


@login_required
@require_GET
def open_posten(request):
    alleen_budgetbeheerder(request, "open_posten")
    user = request.user
    page = Paginator(selectors.open_posten(zichtbaar=policies.transacties_visible_to(user)), OPEN_POSTEN_PER_PAGINA).get_page(
        request.GET.get("pagina")
    )
    voorstellen = selectors.voorstellen(
        transacties=page.object_list, zichtbaar=policies.deelnames_visible_to(user), limiet=SUGGESTIES_PER_REGEL,
    )
    for transactie in page.object_list:
        transactie.suggesties = voorstellen[transactie.pk]
    audit_record(
        actor=user, actie=Actie.INZIEN, object_type="open_posten", doel=DOEL,
        details={"transacties": [t.pk for t in page.object_list], "pagina": page.number},
    )
    return render(request, "huishoudboekje/open_posten.html", {"page": page})


def _transactie_of_weigeren(request, transactie_id: int, object_type: str):
    alleen_budgetbeheerder(request, object_type)
    transactie = selectors.transactie_detail(zichtbaar=policies.transacties_visible_to(request.user), transactie_id=transactie_id)
    if transactie is None:
        weigeren(request, object_type=object_type, object_id=transactie_id, verbergen=True)
    return transactie


@login_required
@require_http_methods(["GET", "POST"])
def transactie(request, transactie_id: int):
    """One bank line: its booking or its suggestions, and the other ways to book it (another
    afspraak of a household in the caseload, found by name; a gemeente category)."""
    user = request.user
    transactie = _transactie_of_weigeren(request, transactie_id, "banktransactie")
    zichtbaar = policies.deelnames_visible_to(user)
    zoekform = HuishoudenZoekForm(_verstuurd(request))
    gevonden = None
    if request.method == "POST" and zoekform.is_valid():
        gevonden = selectors.afspraken_zoeken(zichtbaar=zichtbaar, naam=zoekform.cleaned_data["naam"], peildatum=transactie.boekdatum)
    open_ = transactie.status == TransactieStatus.OPEN
    suggesties = selectors.voorstellen(transacties=[transactie], zichtbaar=zichtbaar)[transactie.pk] if open_ else []
    _markeer_zichtbaar(user, [transactie])
    transactie.reden_teksten = selectors.redenen_met_tekst(transactie.redenen, transactie.afspraak)
    audit_record(
        actor=user, actie=Actie.ZOEKEN if gevonden is not None else Actie.INZIEN, object_type="banktransactie",
        object_id=transactie.pk, huishouden_id=transactie.deelname.huishouden_id if transactie.huishouden_zichtbaar else None,
        doel=DOEL, details={"gevonden": [d.pk for d in gevonden]} if gevonden is not None else {},
    )
    return render(request, "huishoudboekje/transactie.html", {
        "transactie": transactie,
        "open": open_,
        "suggesties": suggesties,
        "zoekform": zoekform,
        "gevonden": gevonden,
        "categorieform": CategorieForm(bestaande=list(
            selectors.categorieen(gemeente_id=transactie.tussenrekening.gemeente_id).values_list("naam", flat=True)
        )),
    })


def _keuze(request, transactie, data):
    """What the line is to be booked on, from the request: an afspraak or a household (by
    uuid, only within the caseload) or a category name. Returns (soort, object) or None."""
    zichtbaar = policies.deelnames_visible_to(request.user)
    if data.get("afspraak"):
        afspraak = Afspraak.objects.select_related("deelname__huishouden", "organisatie").filter(
            uuid=_uuid_of_none(data["afspraak"]), deelname__in=zichtbaar,
        ).first()
        return ("afspraak", afspraak) if afspraak else None
    if data.get("deelname"):
        deelname = zichtbaar.select_related("huishouden").filter(uuid=_uuid_of_none(data["deelname"])).first()
        return ("deelname", deelname) if deelname else None
    if data.get("categorie"):
        bestaande = list(selectors.categorieen(gemeente_id=transactie.tussenrekening.gemeente_id).values_list("naam", flat=True))
        form = CategorieForm({"categorie": data["categorie"]}, bestaande=bestaande)
        return ("categorie", form.cleaned_data["categorie"]) if form.is_valid() else None
    return None


def _uuid_of_none(waarde: str):
    try:
        return uuid.UUID(str(waarde))
    except ValueError:
        return None


def _melding(fout: Exception) -> str:
    return " ".join(fout.messages) if isinstance(fout, ValidationError) else str(fout)


def _terug_naar(transactie) -> str:
    return reverse("huishoudboekje:transactie", kwargs={"transactie_id": transactie.pk})


@login_required
@require_http_methods(["GET", "POST"])
def boeken(request, transactie_id: int):
    """Step two of booking: the line and the choice side by side, and the button "Boeken".
    The POST books it; nothing changes on any error."""
    user = request.user
    transactie = _transactie_of_weigeren(request, transactie_id, "boeken")
    data = request.POST if request.method == "POST" else request.GET
    keuze = _keuze(request, transactie, data)
    if keuze is None:
        messages.error(request, _("Kies eerst een afspraak, een huishouden of een categorie om op te boeken."))
        return redirect(_terug_naar(transactie))
    if transactie.status != TransactieStatus.OPEN:
        messages.error(request, _("Deze regel is al geboekt. Maak de boeking eerst ongedaan als die niet klopt."))
        return redirect(_terug_naar(transactie))
    soort, doel = keuze
    if request.method == "POST":
        try:
            if soort == "afspraak":
                matching.handmatig_boeken(actor=user, transactie=transactie, afspraak=doel)
            elif soort == "deelname":
                matching.handmatig_boeken(actor=user, transactie=transactie, deelname=doel)
            else:
                matching.op_categorie_boeken(actor=user, transactie=transactie, categorie=doel)
        except (matching.BoekenGeweigerd, ValidationError) as fout:
            messages.error(request, _melding(fout))
            return redirect(_terug_naar(transactie))
        messages.success(request, _("De regel is geboekt."))
        return redirect("huishoudboekje:open_posten")
    return render(request, "huishoudboekje/boeken.html", {"transactie": transactie, "soort": soort, "doel": doel})


@login_required
@require_http_methods(["GET", "POST"])
def ongedaan_maken(request, transactie_id: int):
    """Undo a booking, after a confirmation step: the line is open again."""
    user = request.user
    transactie = _transactie_of_weigeren(request, transactie_id, "ongedaan_maken")
    if transactie.status != TransactieStatus.GEBOEKT:
        messages.error(request, _("Deze regel is niet geboekt; er is niets ongedaan te maken."))
        return redirect(_terug_naar(transactie))
    _markeer_zichtbaar(user, [transactie])
    if transactie.deelname_id and not transactie.huishouden_zichtbaar:
        # Booked on a household outside the caseload: only its own team may undo it.
        weigeren(request, object_type="ongedaan_maken", object_id=transactie.pk, huishouden_id=transactie.deelname.huishouden_id)
    if request.method == "POST":
        try:
            matching.ongedaan_maken(actor=user, transactie=transactie)
        except (matching.BoekenGeweigerd, ValidationError) as fout:
            messages.error(request, _melding(fout))
            return redirect(_terug_naar(transactie))
        messages.success(request, _("De boeking is ongedaan gemaakt. De regel staat weer bij de open posten."))
        return redirect(_terug_naar(transactie))
    return render(request, "huishoudboekje/ongedaan_maken.html", {"transactie": transactie, "vandaag": timezone.localdate()})
