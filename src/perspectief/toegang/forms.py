from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .constants import Soort


class MedewerkerLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "De gebruikersnaam of het wachtwoord klopt niet. Let op: na 5 pogingen wordt uw "
            "account een half uur geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met de functioneel beheerder."),
        "wrong_kind": _("Dit is de inlog voor medewerkers. Inwoners loggen in via de inwonerpagina."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.soort != Soort.MEDEWERKER:
            raise forms.ValidationError(self.error_messages["wrong_kind"], code="wrong_kind")


class InwonerDemoLoginForm(AuthenticationForm):
    """The demo way for residents to log in. DigiD (through an OIDC broker) replaces it."""

    error_messages = {
        "invalid_login": _("De gebruikersnaam of het wachtwoord klopt niet."),
        "inactive": _("Dit account is niet actief."),
        "wrong_kind": _("Dit is de inlog voor inwoners. Medewerkers loggen in via de medewerkerspagina."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.soort != Soort.INWONER:
            raise forms.ValidationError(self.error_messages["wrong_kind"], code="wrong_kind")


class TotpForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit uw app"),
        min_length=6,
        max_length=6,
        help_text=_("De 6 cijfers die uw authenticator-app nu laat zien."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
        error_messages={"required": _("Vul de code uit uw app in."), "min_length": _("De code heeft 6 cijfers.")},
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("De code heeft alleen cijfers."))
        return token
