from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConceptForm(forms.Form):
    yaml_tekst = forms.CharField(
        label=_("Regelingen (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false", "autocapitalize": "off"}),
        strip=False,
        help_text=_("De regelingen in het YAML-formaat van rekenregels. Staat er een fout in, dan ziet u die boven het tekstvak, met het regelnummer."),
        error_messages={"required": _("Vul de regelingen in.")},
    )
    toelichting = forms.CharField(
        label=_("Wat is er veranderd"), max_length=300, required=False,
        help_text=_("Eén zin voor collega's, bijvoorbeeld: 'Inkomensgrens meedoenregeling naar 130%'."),
    )


class PublicerenForm(forms.Form):
    geldig_vanaf = forms.DateField(
        label=_("Geldig vanaf"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Vanaf deze datum rekent de regelingencheck met deze versie."),
        error_messages={"required": _("Vul de datum in."), "invalid": _("Vul een geldige datum in.")},
    )
    verleden_bevestigd = forms.BooleanField(
        label=_("Ja, deze versie moet ook gelden voor een datum in het verleden"), required=False,
    )

    def clean(self):
        data = super().clean()
        datum = data.get("geldig_vanaf")
        if datum and datum < timezone.localdate() and not data.get("verleden_bevestigd"):
            self.add_error(
                "verleden_bevestigd",
                _("De datum ligt in het verleden. Vink dit aan als dat echt de bedoeling is."),
            )
        return data


class BedragForm(forms.Form):
    """The most common change without YAML: one number of one scheme."""

    regeling = forms.ChoiceField(label=_("Regeling"))
    veld = forms.ChoiceField(label=_("Wat wilt u veranderen"))
    waarde = forms.DecimalField(
        label=_("Nieuwe waarde"), min_value=0, max_digits=10, decimal_places=2,
        error_messages={"required": _("Vul de nieuwe waarde in."), "invalid": _("Vul een getal in.")},
    )

    def __init__(self, *args, regelingen: list[tuple[str, str]], velden: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regeling"].choices = regelingen
        self.fields["veld"].choices = velden
