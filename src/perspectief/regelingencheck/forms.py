"""One form per step of the questionnaire. Each form reads and writes its step's part of the
answers (see antwoorden.py) and says in plain words what is wrong, at the field."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .antwoorden import MAX_KINDEREN, MAX_VOLWASSENEN, PersoonInCheck, leeftijd_op
from .constants import InkomenKeuze, LaagInkomenDuur, Woonsoort

MAX_BEDRAG = Decimal("100000")
MIN_LEEFTIJDSVERSCHIL = 12  # years between a parent and a child


def parse_bedrag(tekst: str) -> Decimal:
    """'650', '650,50', '1.250,00', '€ 1250.5' -> Decimal. Raises ValueError."""
    schoon = tekst.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not schoon:
        raise ValueError(tekst)
    if "," in schoon:
        schoon = schoon.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", schoon):
        schoon = schoon.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", schoon):
        raise ValueError(tekst)
    try:
        return Decimal(schoon)
    except InvalidOperation as error:
        raise ValueError(tekst) from error


class BedragField(forms.CharField):
    """An amount in euros as people type it, with plain-words messages."""

    def __init__(self, *, negatief_bericht: str | None = None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.negatief_bericht = negatief_bericht
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 20:
            raise forms.ValidationError(_("Vul een bedrag in euro in, bijvoorbeeld 650 of 650,50."), code="ongeldig")
        try:
            bedrag = parse_bedrag(value)
        except ValueError:
            raise forms.ValidationError(_("Vul een bedrag in euro in, bijvoorbeeld 650 of 650,50."), code="ongeldig")
        if bedrag < 0:
            raise forms.ValidationError(
                self.negatief_bericht or _("Het bedrag kan niet lager zijn dan 0 euro."), code="negatief"
            )
        if bedrag > MAX_BEDRAG:
            raise forms.ValidationError(_("Dat bedrag is te hoog. Vul het bedrag per maand in."), code="te_hoog")
        return bedrag


def _bedrag_tekst(bedrag: Decimal | None) -> str | None:
    return None if bedrag is None else f"{bedrag:.2f}"


def _bedrag_invoer(tekst: str | None) -> str:
    """A stored amount ('650.50') as people type it ('650,50')."""
    if tekst in (None, ""):
        return ""
    return str(tekst).replace(".", ",").removesuffix(",00")


class StapForm(forms.Form):
    """Base: `antwoord()` gives the step's answers; `uit_antwoord()` the form's initial."""

    def __init__(self, *args, personen: list[PersoonInCheck] | None = None, peildatum: date | None = None, **kwargs):
        self.personen = personen or []
        self.peildatum = peildatum or date.today()
        super().__init__(*args, **kwargs)

    @classmethod
    def uit_antwoord(cls, antwoord: dict | None) -> dict:
        return dict(antwoord or {})

    def antwoord(self) -> dict:
        return dict(self.cleaned_data)

    def groepen(self) -> list[tuple[str, list]]:
        """Fields grouped per person (legend, bound fields); one group without legend else."""
        return [("", list(self))]


class HuishoudenForm(StapForm):
    partner = forms.TypedChoiceField(
        label=gettext_lazy("Woont u alleen of samen met een partner?"),
        choices=[("nee", gettext_lazy("Ik woon zonder partner")), ("ja", gettext_lazy("Ik woon samen met mijn partner"))],
        coerce=lambda waarde: waarde == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies of u een partner heeft.")},
        help_text=gettext_lazy("Een partner is uw man, vrouw of geregistreerd partner, of iemand met wie u samenwoont."),
    )
    kinderen = forms.IntegerField(
        label=gettext_lazy("Hoeveel kinderen jonger dan 18 jaar wonen bij u?"),
        min_value=0,
        max_value=MAX_KINDEREN,
        initial=0,
        error_messages={
            "required": gettext_lazy("Vul het aantal kinderen in. Geen kinderen? Vul dan 0 in."),
            "invalid": gettext_lazy("Vul een getal in, bijvoorbeeld 0, 1 of 2."),
            "min_value": gettext_lazy("Het aantal kan niet lager zijn dan 0."),
            "max_value": gettext_lazy("Deze check werkt voor ten hoogste 10 kinderen. Praat met het wijkteam."),
        },
    )
    volwassenen = forms.IntegerField(
        label=gettext_lazy("Hoeveel andere volwassenen wonen bij u?"),
        min_value=0,
        max_value=MAX_VOLWASSENEN,
        initial=0,
        help_text=gettext_lazy("Bijvoorbeeld een kind van 18 jaar of ouder, een ouder of een huisgenoot. Tel uw partner niet mee."),
        error_messages={
            "required": gettext_lazy("Vul het aantal in. Niemand anders? Vul dan 0 in."),
            "invalid": gettext_lazy("Vul een getal in, bijvoorbeeld 0 of 1."),
            "min_value": gettext_lazy("Het aantal kan niet lager zijn dan 0."),
            "max_value": gettext_lazy("Deze check werkt voor ten hoogste 6 andere volwassenen. Praat met het wijkteam."),
        },
    )

    @classmethod
    def uit_antwoord(cls, antwoord):
        if not antwoord:
            return {}
        return {**antwoord, "partner": "ja" if antwoord.get("partner") else "nee"}


class LeeftijdenForm(StapForm):
    """Per person a birth date, or an age in years."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for persoon in self.personen:
            self.fields[f"{persoon.sleutel}_geboortedatum"] = forms.DateField(
                label=_("Geboortedatum"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
                error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 15-03-1990.")},
            )
            self.fields[f"{persoon.sleutel}_leeftijd"] = forms.IntegerField(
                label=_("Of: leeftijd in jaren"),
                required=False,
                min_value=0,
                max_value=120,
                error_messages={
                    "invalid": _("Vul de leeftijd in als getal, bijvoorbeeld 42."),
                    "min_value": _("Een leeftijd kan niet lager zijn dan 0."),
                    "max_value": _("Die leeftijd klopt niet. Kijk of u het goed heeft ingevuld."),
                },
            )

    def groepen(self):
        return [
            (persoon.naam, [self[f"{persoon.sleutel}_geboortedatum"], self[f"{persoon.sleutel}_leeftijd"]])
            for persoon in self.personen
        ]

    @classmethod
    def uit_antwoord(cls, antwoord):
        initial = {}
        for sleutel, waarde in (antwoord or {}).items():
            if waarde.get("geboortedatum"):
                initial[f"{sleutel}_geboortedatum"] = date.fromisoformat(waarde["geboortedatum"])
            if waarde.get("leeftijd") is not None:
                initial[f"{sleutel}_leeftijd"] = waarde["leeftijd"]
        return initial

    def clean(self):
        data = super().clean()
        leeftijden: dict[str, int] = {}
        for persoon in self.personen:
            veld = f"{persoon.sleutel}_geboortedatum"
            datum, leeftijd = data.get(veld), data.get(f"{persoon.sleutel}_leeftijd")
            if veld in self.errors or f"{persoon.sleutel}_leeftijd" in self.errors:
                continue
            if datum is None and leeftijd is None:
                self.add_error(veld, _("Vul de geboortedatum of de leeftijd in."))
                continue
            if datum is not None and datum > self.peildatum:
                self.add_error(veld, _("Deze datum ligt in de toekomst. Vul de geboortedatum in."))
                continue
            if datum is not None:
                leeftijd = leeftijd_op(datum, self.peildatum)
                if leeftijd > 120:
                    self.add_error(veld, _("Deze datum ligt te ver terug. Kijk of het jaar goed is."))
                    continue
            leeftijden[persoon.sleutel] = leeftijd
            if persoon.rol in ("aanvrager", "partner") and leeftijd < 18:
                self.add_error(veld, _("Deze check is voor mensen van 18 jaar en ouder."))
            elif persoon.rol == "kind" and leeftijd >= 18:
                self.add_error(
                    veld,
                    _("Dit kind is 18 jaar of ouder. Ga terug en tel dit kind mee bij de andere volwassenen."),
                )
        # A child is at least MIN_LEEFTIJDSVERSCHIL years younger than the oldest parent (the
        # partner may be younger than a child from an earlier relationship is old).
        ouders = [leeftijden[sleutel] for sleutel in ("aanvrager", "partner") if sleutel in leeftijden]
        if ouders:
            oudste_ouder = max(ouders)
            for persoon in self.personen:
                if persoon.rol != "kind" or persoon.sleutel not in leeftijden:
                    continue
                veld = f"{persoon.sleutel}_geboortedatum"
                if leeftijden[persoon.sleutel] > oudste_ouder - MIN_LEEFTIJDSVERSCHIL and veld not in self.errors:
                    self.add_error(
                        veld, _("Een kind kan niet ouder of bijna even oud zijn als zijn ouder. Kijk of de datum of leeftijd klopt.")
                    )
        return data

    def antwoord(self):
        antwoord = {}
        for persoon in self.personen:
            datum = self.cleaned_data.get(f"{persoon.sleutel}_geboortedatum")
            leeftijd = self.cleaned_data.get(f"{persoon.sleutel}_leeftijd")
            antwoord[persoon.sleutel] = {
                "geboortedatum": datum.isoformat() if datum else None,
                "leeftijd": None if datum else leeftijd,
            }
        return antwoord


class InkomenForm(StapForm):
    """Per adult: what kind of income and how much gross per month; how long it is low."""

    laag_inkomen = forms.ChoiceField(
        label=gettext_lazy("Hoe lang heeft uw huishouden al een laag inkomen?"),
        choices=LaagInkomenDuur.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies hoe lang u al een laag inkomen heeft, of kies 'Weet ik niet'.")},
        help_text=gettext_lazy("Sommige regelingen zijn voor mensen die al 3 jaar of langer weinig geld hebben."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        laag = self.fields.pop("laag_inkomen")
        for persoon in self.personen:
            if not persoon.volwassen:
                continue
            self.fields[f"{persoon.sleutel}_soort"] = forms.ChoiceField(
                label=_("Welk inkomen heeft %(wie)s?") % {"wie": _("u") if persoon.rol == "aanvrager" else persoon.naam.lower()},
                choices=InkomenKeuze.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies een soort inkomen, of kies 'Weet ik niet'.")},
            )
            self.fields[f"{persoon.sleutel}_bedrag"] = BedragField(
                label=_("Bruto bedrag per maand in euro"),
                negatief_bericht=_("Het inkomen kan niet lager zijn dan 0 euro."),
            )
        self.fields["laag_inkomen"] = laag

    def groepen(self):
        groepen = [
            (persoon.naam, [self[f"{persoon.sleutel}_soort"], self[f"{persoon.sleutel}_bedrag"]])
            for persoon in self.personen
            if persoon.volwassen
        ]
        return groepen + [("", [self["laag_inkomen"]])]

    @classmethod
    def uit_antwoord(cls, antwoord):
        initial = {}
        for sleutel, waarde in (antwoord or {}).items():
            if sleutel == "laag_inkomen":
                initial[sleutel] = waarde
            else:
                initial[f"{sleutel}_soort"] = waarde.get("soort")
                initial[f"{sleutel}_bedrag"] = _bedrag_invoer(waarde.get("bruto_per_maand"))
        return initial

    def clean(self):
        data = super().clean()
        for persoon in self.personen:
            if not persoon.volwassen:
                continue
            soort, bedrag = data.get(f"{persoon.sleutel}_soort"), data.get(f"{persoon.sleutel}_bedrag")
            veld = f"{persoon.sleutel}_bedrag"
            if soort in (InkomenKeuze.LOON, InkomenKeuze.UITKERING, InkomenKeuze.OVERIG) and bedrag is None and veld not in self.errors:
                self.add_error(veld, _("Vul het bruto bedrag per maand in. Weet u het niet? Kies dan 'Weet ik niet'."))
        return data

    def antwoord(self):
        antwoord: dict = {"laag_inkomen": self.cleaned_data["laag_inkomen"]}
        for persoon in self.personen:
            if not persoon.volwassen:
                continue
            soort = self.cleaned_data[f"{persoon.sleutel}_soort"]
            bedrag = self.cleaned_data.get(f"{persoon.sleutel}_bedrag")
            heeft_bedrag = soort in (InkomenKeuze.LOON, InkomenKeuze.UITKERING, InkomenKeuze.OVERIG)
            antwoord[persoon.sleutel] = {"soort": soort, "bruto_per_maand": _bedrag_tekst(bedrag) if heeft_bedrag else None}
        return antwoord


class WonenForm(StapForm):
    soort = forms.ChoiceField(
        label=gettext_lazy("Hoe woont u?"),
        choices=Woonsoort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies hoe u woont.")},
    )
    kale_huur = BedragField(
        label=gettext_lazy("Kale huur per maand in euro"),
        negatief_bericht=gettext_lazy("De huur kan niet lager zijn dan 0 euro."),
    )
    kale_huur_weet_niet = forms.BooleanField(label=gettext_lazy("Ik weet de kale huur niet"), required=False)
    servicekosten = BedragField(
        label=gettext_lazy("Servicekosten per maand in euro"),
        negatief_bericht=gettext_lazy("De servicekosten kunnen niet lager zijn dan 0 euro."),
    )
    servicekosten_weet_niet = forms.BooleanField(label=gettext_lazy("Ik weet de servicekosten niet"), required=False)

    def groepen(self):
        return [
            ("", [self["soort"]]),
            (_("Alleen als u huurt"), [self["kale_huur"], self["kale_huur_weet_niet"], self["servicekosten"], self["servicekosten_weet_niet"]]),
        ]

    @classmethod
    def uit_antwoord(cls, antwoord):
        if not antwoord:
            return {}
        return {
            "soort": antwoord.get("soort"),
            "kale_huur": _bedrag_invoer(antwoord.get("kale_huur")),
            "kale_huur_weet_niet": antwoord.get("soort") == Woonsoort.HUUR and antwoord.get("kale_huur") is None,
            "servicekosten": _bedrag_invoer(antwoord.get("servicekosten")),
            "servicekosten_weet_niet": antwoord.get("soort") == Woonsoort.HUUR and antwoord.get("servicekosten") is None,
        }

    def clean(self):
        data = super().clean()
        if data.get("soort") != Woonsoort.HUUR:
            return data
        if data.get("kale_huur") is None and not data.get("kale_huur_weet_niet") and "kale_huur" not in self.errors:
            self.add_error("kale_huur", _("Vul de kale huur per maand in. Weet u het niet? Kies dan 'Ik weet de kale huur niet'."))
        if data.get("servicekosten") is None and not data.get("servicekosten_weet_niet") and "servicekosten" not in self.errors:
            self.add_error(
                "servicekosten",
                _("Vul de servicekosten per maand in. Betaalt u geen servicekosten? Vul dan 0 in."),
            )
        return data

    def antwoord(self):
        soort = self.cleaned_data["soort"]
        if soort != Woonsoort.HUUR:
            return {"soort": soort, "kale_huur": None, "servicekosten": None}
        return {
            "soort": soort,
            "kale_huur": None if self.cleaned_data.get("kale_huur_weet_niet") else _bedrag_tekst(self.cleaned_data["kale_huur"]),
            "servicekosten": None
            if self.cleaned_data.get("servicekosten_weet_niet")
            else _bedrag_tekst(self.cleaned_data["servicekosten"]),
        }


class VermogenForm(StapForm):
    bedrag = BedragField(
        label=gettext_lazy("Hoeveel geld en bezit heeft u samen met uw partner, in euro?"),
        help_text=gettext_lazy("Tel op: spaargeld, geld op uw betaalrekening, en de waarde van een auto of andere spullen die veel waard zijn. Heeft u schulden? Trek die er dan af. Komt u onder 0? Vul dan 0 in."),
        negatief_bericht=gettext_lazy("Vul 0 in als u meer schulden dan geld heeft."),
    )
    weet_niet = forms.BooleanField(label=gettext_lazy("Weet ik niet"), required=False)

    @classmethod
    def uit_antwoord(cls, antwoord):
        if not antwoord:
            return {}
        return {"bedrag": _bedrag_invoer(antwoord.get("bedrag")), "weet_niet": antwoord.get("bedrag") is None}

    def clean(self):
        data = super().clean()
        if data.get("bedrag") is None and not data.get("weet_niet") and "bedrag" not in self.errors:
            self.add_error("bedrag", _("Vul een bedrag in, of kies 'Weet ik niet'. Geen spaargeld? Vul dan 0 in."))
        return data

    def antwoord(self):
        if self.cleaned_data.get("weet_niet"):
            return {"bedrag": None}
        return {"bedrag": _bedrag_tekst(self.cleaned_data["bedrag"])}


class OverzichtForm(StapForm):
    """The last step has nothing to fill in: it shows the answers."""

    def antwoord(self):
        return {}


FORMULIEREN: dict[str, type[StapForm]] = {
    "huishouden": HuishoudenForm,
    "leeftijden": LeeftijdenForm,
    "inkomen": InkomenForm,
    "wonen": WonenForm,
    "vermogen": VermogenForm,
    "overzicht": OverzichtForm,
}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Uw code"),
        max_length=20,
        help_text=gettext_lazy("De code heeft 8 tekens, bijvoorbeeld KM4T-9RXC."),
        error_messages={"required": gettext_lazy("Vul uw code in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class DelenForm(forms.Form):
    toestemming = forms.BooleanField(
        label=gettext_lazy("Ja, mijn consulent mag deze uitkomst 30 dagen zien."),
        error_messages={"required": gettext_lazy("Zet een vinkje als u de uitkomst wilt delen.")},
    )


class WerkenForm(forms.Form):
    uren = forms.IntegerField(
        label=gettext_lazy("Hoeveel uur per week wilt u werken?"),
        min_value=0,
        max_value=40,
        initial=16,
        error_messages={
            "invalid": gettext_lazy("Vul een aantal uren in, bijvoorbeeld 16."),
            "min_value": gettext_lazy("Vul 0 uur of meer in."),
            "max_value": gettext_lazy("Vul 40 uur of minder in."),
        },
    )
    uurloon = BedragField(
        label=gettext_lazy("Bruto uurloon in euro"),
        help_text=gettext_lazy("Weet u het niet? Laat het dan leeg. Wij rekenen dan met het minimumloon."),
        negatief_bericht=gettext_lazy("Het uurloon kan niet lager zijn dan 0 euro."),
    )

    def clean_uurloon(self):
        uurloon = self.cleaned_data.get("uurloon")
        if uurloon is not None and uurloon > 200:
            raise forms.ValidationError(_("Dat uurloon is te hoog voor deze check. Vul een bedrag per uur in."))
        return uurloon

