"""Forms only parse and describe input; the services decide and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.toegang.constants import Rol

from .constants import Doel, Gegevensdeel, RolInHuishouden

_REQUIRED = {"required": _("Dit veld is verplicht.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HuishoudenZoekForm(forms.Form):
    zoekterm = forms.CharField(
        label=_("Zoeken"), required=False, max_length=100,
        help_text=_("Achternaam, postcode of BSN."),
    )
    wijk = forms.TypedChoiceField(label=_("Wijk"), required=False, coerce=int, empty_value=None)
    aantal_personen = forms.TypedChoiceField(
        label=_("Aantal personen"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Alle")), (1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, _("5 of meer"))],
    )

    def __init__(self, *args, wijken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].choices = [("", _("Alle wijken"))] + [(w.pk, w.naam) for w in wijken]


class PersoonForm(forms.Form):
    rol = forms.ChoiceField(label=_("Rol in het huishouden"), choices=RolInHuishouden.choices, error_messages={
        **_REQUIRED, "invalid_choice": _("Kies een rol uit de lijst: aanvrager, partner, kind of medebewoner."),
    })
    voornamen = forms.CharField(label=_("Voornamen"), max_length=200, error_messages=_REQUIRED)
    tussenvoegsel = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=200, error_messages=_REQUIRED)
    geboortedatum = forms.DateField(
        label=_("Geboortedatum"), widget=DateInput(),
        error_messages={**_REQUIRED, "invalid": _("Vul een geldige datum in, zoals 31-12-1980.")},
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    bsn = forms.CharField(
        label=_("BSN"), max_length=11, required=False,
        help_text=_("Burgerservicenummer: 9 cijfers. Niet verplicht."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mailadres"), required=False, error_messages={
        "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
    })
    telefoon = forms.CharField(label=_("Telefoonnummer"), max_length=20, required=False)


class AdresForm(forms.Form):
    straat = forms.CharField(label=_("Straat"), max_length=120, error_messages=_REQUIRED)
    huisnummer = forms.IntegerField(label=_("Huisnummer"), min_value=1, error_messages={
        **_REQUIRED, "invalid": _("Vul een huisnummer in cijfers in."),
        "min_value": _("Een huisnummer is 1 of hoger."),
    })
    toevoeging = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, error_messages=_REQUIRED)
    woonplaats = forms.CharField(label=_("Woonplaats"), max_length=80, error_messages=_REQUIRED)
    wijk = forms.TypedChoiceField(label=_("Wijk"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, wijken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].choices = [("", _("Onbekend"))] + [(w.pk, w.naam) for w in wijken]


class AanvragerForm(PersoonForm):
    """The first person of a new household is always the aanvrager."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["rol"]


class ToestemmingForm(forms.Form):
    """Consent given by the household: which part, for whom, why, and for how long."""

    gegevensdeel = forms.ChoiceField(label=_("Welke gegevens"), choices=Gegevensdeel.choices, error_messages=_REQUIRED)
    ontvanger_rol = forms.ChoiceField(
        label=_("Voor wie (rol)"), required=False,
        choices=[("", _("Geen rol: alleen de organisatie hieronder"))] + list(Rol.choices),
    )
    ontvanger_organisatie = forms.CharField(
        label=_("Voor welke organisatie"), max_length=120, required=False,
        help_text=_("Bijvoorbeeld de woningcorporatie. Laat leeg als u hierboven een rol kiest."),
    )
    doel = forms.ChoiceField(label=_("Waarvoor"), choices=Doel.choices, error_messages=_REQUIRED)
    geldig_vanaf = forms.DateField(
        label=_("Geldig vanaf"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={**_REQUIRED, "invalid": _("Vul een geldige datum in, zoals 31-12-2026.")},
    )
    geldig_tot = forms.DateField(
        label=_("Geldig tot en met"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text=_("Vraag toestemming voor hoogstens 1 jaar. Daarna vraagt u het opnieuw."),
        error_messages={**_REQUIRED, "invalid": _("Vul een geldige datum in, zoals 31-12-2026.")},
    )

    def clean(self):
        data = super().clean()
        if not data.get("ontvanger_rol") and not data.get("ontvanger_organisatie", "").strip():
            self.add_error("ontvanger_rol", _("Kies een rol of vul een organisatie in."))
        start, end = data.get("geldig_vanaf"), data.get("geldig_tot")
        if start and end:
            if end < start:
                self.add_error("geldig_tot", _("Deze datum ligt voor 'geldig vanaf'."))
            elif (end - start).days > 366:
                self.add_error("geldig_tot", _("Toestemming geldt hoogstens 1 jaar. Kies een eerdere datum."))
        return data
