from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import BesluitSoort

MAX_BESTAND = 200 * 1024 * 1024


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("CSV-bestand uit de bijstandsadministratie"),
        help_text=_("Eén regel per persoon, gescheiden door ; of ,. Zie de handleiding voor de kolommen."),
    )
    team = forms.ModelChoiceField(
        label=_("Nieuwe huishoudens komen bij team"), queryset=None, empty_label=None,
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_BESTAND:
            raise forms.ValidationError(_("Het bestand is groter dan 200 MB. Deel het op in kleinere bestanden."))
        return bestand


class BesluitForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Wat doet u?"), widget=forms.RadioSelect,
        choices=[
            (BesluitSoort.TOEKENNEN, _("Toekennen: het huishouden krijgt de regeling")),
            (BesluitSoort.BRIEF, _("Brief sturen: het huishouden krijgt een brief met wat het kan krijgen")),
            (BesluitSoort.NIET_DOEN, _("Niets doen (schrijf op waarom)")),
        ],
        error_messages={"required": _("Kies wat u wilt doen.")},
    )
    reden = forms.CharField(
        label=_("Waarom niets doen?"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen nodig als u niets doet. Schrijf geen BSN of gevoelige details op."),
    )

    def clean(self):
        data = super().clean()
        if data.get("soort") == BesluitSoort.NIET_DOEN and not (data.get("reden") or "").strip():
            self.add_error("reden", _("Schrijf op waarom u niets doet."))
        return data


class WatAlsForm(forms.Form):
    keuze = forms.ChoiceField(label=_("Wat wilt u veranderen?"))
    waarde = forms.DecimalField(
        label=_("Nieuwe waarde"), required=False, min_value=0, max_value=100000, decimal_places=2,
        help_text=_("Bijvoorbeeld 130 voor een inkomensgrens van 130% van de bijstandsnorm, of een bedrag in euro."),
    )

    def __init__(self, *args, keuzes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keuze"].choices = [(k.sleutel, k.label) for k in keuzes]
