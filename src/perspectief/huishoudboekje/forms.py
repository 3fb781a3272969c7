"""Forms for a deelname and its afspraken. They only check what a browser can get wrong
(a date that is no date, a number that is no number, a list typed as text); the rules
live in the services (deelname.py), whose ValidationError dict the view places on these
fields. ``cleaned_data`` has exactly the keyword arguments of the services, so a view can
call them with ``**form.cleaned_data`` or use ``form.save(...)``."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from . import deelname as services
from .constants import Richting
from .models import Afspraak, Deelname


class _Datum(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATUM_FOUTEN = {"required": _("Kies een datum."), "invalid": _("Kies een datum zoals 2026-12-31.")}
BEDRAG_FOUTEN = {
    "required": _("Vul een bedrag in."),
    "invalid": _("Vul een bedrag in, zoals 12.50."),
    "max_decimal_places": _("Een bedrag heeft hoogstens 2 cijfers achter de komma."),
}


class _ServiceModelForm(forms.ModelForm):
    """A ModelForm that does not copy its data into the instance while validating: the
    service compares the old and the new values and writes them itself."""

    def _post_clean(self):
        pass


class DeelnameForm(_ServiceModelForm):
    """What a budgetbeheerder fills in when a household joins (or to change it). The
    household, the account and the budgetbeheerder come from the page."""

    class Meta:
        model = Deelname
        fields = ["startdatum", "leefgeld_frequentie", "leefgeld_dag", "leefgeld_iban", "leefgeld_naam", "buffer"]
        labels = {
            "startdatum": _("Eerste dag"),
            "leefgeld_frequentie": _("Hoe vaak krijgt de inwoner leefgeld?"),
            "leefgeld_dag": _("Op welke dag?"),
            "leefgeld_iban": _("IBAN van de inwoner"),
            "leefgeld_naam": _("Naam bij dit IBAN"),
            "buffer": _("Buffer (euro)"),
        }
        help_texts = {
            "startdatum": _("Vanaf deze dag loopt het geld via de rekening van de gemeente."),
            "leefgeld_dag": _(
                "Elke week: 0 is maandag, 1 dinsdag, tot 6 is zondag. Elke maand: dag 1 tot en met 31 "
                "(31 is in een korte maand de laatste dag)."
            ),
            "leefgeld_iban": _("Op deze rekening komt het leefgeld."),
            "leefgeld_naam": _("Zoals de bank de rekening kent."),
            "buffer": _("Dit bedrag blijft altijd staan, voor onverwachte kosten. Vul 0 in als u geen buffer wilt."),
        }
        widgets = {"startdatum": _Datum()}
        error_messages = {"startdatum": DATUM_FOUTEN, "buffer": BEDRAG_FOUTEN}

    def save(self, *, actor, huishouden=None, tussenrekening=None, budgetbeheerder=None, commit=True) -> Deelname:
        """Starts the deelname (a new form: ``huishouden``, ``tussenrekening`` and
        ``budgetbeheerder`` required) or changes it (a form with ``instance``)."""
        if self.instance.pk:
            velden = dict(self.cleaned_data)
            if budgetbeheerder is not None:
                velden["budgetbeheerder"] = budgetbeheerder
            return services.deelname_wijzigen(actor=actor, deelname=self.instance, **velden)
        return services.deelname_starten(
            actor=actor,
            huishouden=huishouden,
            tussenrekening=tussenrekening,
            budgetbeheerder=budgetbeheerder,
            **self.cleaned_data,
        )


def _lijst_tekst(waarden) -> str:
    return "\n".join(str(waarde) for waarde in waarden or ())


def afspraak_initial(afspraak: Afspraak) -> dict:
    """Initial values for an AfspraakForm on an existing afspraak (also what the form
    uses itself when given ``instance=``)."""
    return {
        **{veld: getattr(afspraak, veld) for veld in AfspraakForm.Meta.fields},
        "organisatie_naam": afspraak.organisatie.naam,
        "zoektermen": _lijst_tekst(afspraak.zoektermen),
        "uitgesloten_datums": _lijst_tekst(afspraak.uitgesloten_datums),
    }


class AfspraakForm(_ServiceModelForm):
    """An agreement: income the household expects or a fixed cost paid for it."""

    organisatie_naam = forms.CharField(
        label=_("Organisatie"),
        max_length=120,
        help_text=_("Bijvoorbeeld de woningcorporatie, het energiebedrijf of het UWV."),
        error_messages={"required": _("Vul de naam van de organisatie in.")},
    )
    zoektermen = forms.CharField(
        label=_("Zoekwoorden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Woorden die in de omschrijving op het bankafschrift staan, zoals een klantnummer. "
            "Eén per regel of gescheiden door komma's."
        ),
    )
    uitgesloten_datums = forms.CharField(
        label=_("Niet op deze datums"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Datums waarop het niet gebeurt, zoals 2026-12-25. Eén per regel of gescheiden door komma's."),
    )

    class Meta:
        model = Afspraak
        fields = [
            "richting",
            "rubriek",
            "omschrijving",
            "tegenrekening_iban",
            "bedrag",
            "marge_bedrag",
            "marge_dagen",
            "frequentie",
            "dag",
            "maand",
            "geldig_vanaf",
            "geldig_tot",
            "betalingskenmerk",
            "betalen",
            "alarm",
        ]
        labels = {
            "richting": _("Komt er geld binnen of gaat er geld uit?"),
            "rubriek": _("Rubriek"),
            "omschrijving": _("Omschrijving"),
            "tegenrekening_iban": _("IBAN van de organisatie"),
            "bedrag": _("Bedrag (euro)"),
            "marge_bedrag": _("Mag afwijken met (euro)"),
            "marge_dagen": _("Mag eerder of later komen (dagen)"),
            "frequentie": _("Hoe vaak?"),
            "dag": _("Op welke dag?"),
            "maand": _("In welke maand de eerste keer?"),
            "geldig_vanaf": _("Eerste dag"),
            "geldig_tot": _("Laatste dag"),
            "betalingskenmerk": _("Betalingskenmerk"),
            "betalen": _("De gemeente betaalt dit vanaf de rekening"),
            "alarm": _("Geef een signaal als het anders gaat dan afgesproken"),
        }
        help_texts = {
            "omschrijving": _("Kort en duidelijk, bijvoorbeeld 'Huur' of 'Zorgtoeslag'."),
            "marge_bedrag": _("Een bedrag binnen deze marge telt als goed. Vul 0 in als het precies moet kloppen."),
            "marge_dagen": _("Komt het geld zoveel dagen te vroeg of te laat, dan telt het nog als op tijd."),
            "dag": _(
                "Elke maand, kwartaal of jaar: dag 1 tot en met 31 (31 is in een korte maand de laatste dag). "
                "Elke week: 0 is maandag, tot 6 is zondag. Eén keer: de eerste dag is de datum."
            ),
            "maand": _("Alleen bij elk kwartaal of elk jaar: 1 is januari, 12 is december."),
            "geldig_tot": _("Leeg laten als de afspraak doorloopt."),
            "betalingskenmerk": _("Staat op de rekening of de brief van de organisatie (16 cijfers of begint met RF)."),
            "betalen": _("Alleen bij uitgaven."),
        }
        widgets = {"geldig_vanaf": _Datum(), "geldig_tot": _Datum()}
        error_messages = {
            "geldig_vanaf": DATUM_FOUTEN,
            "geldig_tot": DATUM_FOUTEN,
            "bedrag": BEDRAG_FOUTEN,
            "marge_bedrag": BEDRAG_FOUTEN,
            "omschrijving": {"required": _("Vul een omschrijving in, zoals 'Huur'.")},
            "tegenrekening_iban": {"required": _("Vul een IBAN in.")},
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs["initial"] = {**afspraak_initial(instance), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["marge_bedrag"].required = False
        self.fields["marge_dagen"].required = False
        self.fields["maand"].required = False

    def clean_zoektermen(self) -> list[str]:
        return services.zoektermen_normaliseren(self.cleaned_data.get("zoektermen") or "")

    def clean_uitgesloten_datums(self) -> list[str]:
        datums: set[date] = set()
        fouten = []
        for stuk in re.split(r"[,\n;\s]+", self.cleaned_data.get("uitgesloten_datums") or ""):
            if not stuk:
                continue
            try:
                datums.add(date.fromisoformat(stuk))
            except ValueError:
                fouten.append(stuk[:20])
        if fouten:
            raise forms.ValidationError(
                _("Dit is geen datum: %(waarden)s. Schrijf datums zoals 2026-12-25."),
                params={"waarden": ", ".join(fouten)},
            )
        return [datum.isoformat() for datum in sorted(datums)]

    def clean(self):
        data = super().clean()
        if data.get("richting") == Richting.INKOMEN:
            # The checkbox means nothing for income: it is never paid out.
            data["betalen"] = False
        for veld, standaard in (("marge_bedrag", 0), ("marge_dagen", 3), ("maand", 1)):
            if data.get(veld) is None and veld not in self.errors:
                data[veld] = standaard
        return data

    def save(self, *, actor, deelname, commit=True) -> Afspraak:
        """Creates the afspraak (a new form) or changes it (a form with ``instance``)."""
        return services.afspraak_opslaan(
            actor=actor,
            deelname=deelname,
            afspraak=self.instance if self.instance.pk else None,
            **self.cleaned_data,
        )
