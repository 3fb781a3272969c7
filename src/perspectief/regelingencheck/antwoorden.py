"""From the questionnaire's answers to the rules engine's household (the JSON contract of
`rekenregels.bereken`, see docs/rekenregels.md). Pure functions: no database, no request.

The answers are kept per step as plain JSON:

    huishouden: {"partner": bool, "kinderen": int, "volwassenen": int}
    leeftijden: {<persoon>: {"geboortedatum": "YYYY-MM-DD" | None, "leeftijd": int | None}}
    inkomen:    {<persoon>: {"soort": InkomenKeuze, "bruto_per_maand": "123.45" | None},
                 "laag_inkomen": LaagInkomenDuur}
    wonen:      {"soort": Woonsoort, "kale_huur": "650.00" | None, "servicekosten": ... | None}
    vermogen:   {"bedrag": "800.00" | None}          (None: "weet ik niet")

<persoon> is "aanvrager", "partner", "kind1".., "volwassene1"..
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .constants import LAAG_INKOMEN_MAANDEN, InkomenKeuze, Woonsoort

MAX_KINDEREN = 10
MAX_VOLWASSENEN = 6


@dataclass(frozen=True, slots=True)
class PersoonInCheck:
    sleutel: str  # "aanvrager", "partner", "kind1", "volwassene2"
    rol: str  # the engine's role: aanvrager, partner, kind, medebewoner
    naam: str  # how the questionnaire calls this person ("U", "Uw partner", "Kind 1")

    @property
    def volwassen(self) -> bool:
        return self.rol != "kind"


def personen(huishouden: dict | None) -> list[PersoonInCheck]:
    """The people in the household as answered in step 1, in a fixed order."""
    huishouden = huishouden or {}
    lijst = [PersoonInCheck("aanvrager", "aanvrager", _("U"))]
    if huishouden.get("partner"):
        lijst.append(PersoonInCheck("partner", "partner", _("Uw partner")))
    for nummer in range(1, int(huishouden.get("kinderen") or 0) + 1):
        lijst.append(PersoonInCheck(f"kind{nummer}", "kind", _("Kind %(nummer)s") % {"nummer": nummer}))
    for nummer in range(1, int(huishouden.get("volwassenen") or 0) + 1):
        lijst.append(
            PersoonInCheck(f"volwassene{nummer}", "medebewoner", _("Andere volwassene %(nummer)s") % {"nummer": nummer})
        )
    return lijst


def geboortedatum_uit_leeftijd(leeftijd: int, peildatum: date) -> date:
    """A birth date at which someone is `leeftijd` on the peildatum: the first of the month
    about half a year before their birthday, so the age holds for months around it."""
    jaar, maand = peildatum.year - leeftijd, peildatum.month - 6
    if maand <= 0:
        maand += 12
        jaar -= 1
    return date(jaar, maand, 1)


def leeftijd_op(geboortedatum: date, peildatum: date) -> int:
    jaren = peildatum.year - geboortedatum.year
    if (peildatum.month, peildatum.day) < (geboortedatum.month, geboortedatum.day):
        jaren -= 1
    return jaren


def geboortedatum(antwoord: dict | None, peildatum: date) -> date | None:
    """The birth date from one person's answer (a date, or an age in years)."""
    if not antwoord:
        return None
    if antwoord.get("geboortedatum"):
        return date.fromisoformat(antwoord["geboortedatum"])
    if antwoord.get("leeftijd") is not None:
        return geboortedatum_uit_leeftijd(int(antwoord["leeftijd"]), peildatum)
    return None


def _bedrag(waarde) -> float | None:
    if waarde in (None, ""):
        return None
    return float(Decimal(str(waarde)))


def compleet(antwoorden: dict) -> bool:
    """Are all steps before the overview answered?"""
    return all(stap in antwoorden for stap in ("huishouden", "leeftijden", "inkomen", "wonen", "vermogen"))


def engine_huishouden(*, antwoorden: dict, peildatum: date, gemeente_code: str | None = None) -> dict:
    """The household for `rekenregels.bereken`.

    "Weet ik niet" leaves the fact out, as the contract asks: the engine then fills it in
    favourably and answers "misschien" with the missing fact.
    """
    leeftijden = antwoorden.get("leeftijden", {})
    inkomen = antwoorden.get("inkomen", {})
    vermogen_bedrag = _bedrag((antwoorden.get("vermogen") or {}).get("bedrag"))
    vermogen_bekend = vermogen_bedrag is not None
    met_partner = bool((antwoorden.get("huishouden") or {}).get("partner"))
    engine_personen = []
    for persoon in personen(antwoorden.get("huishouden")):
        geboren = geboortedatum(leeftijden.get(persoon.sleutel), peildatum)
        item: dict = {"id": persoon.sleutel, "rol": persoon.rol, "geboortedatum": (geboren or peildatum).isoformat()}
        if persoon.volwassen:
            keuze = (inkomen.get(persoon.sleutel) or {}).get("soort", InkomenKeuze.WEET_NIET)
            if keuze == InkomenKeuze.GEEN:
                item["inkomsten"] = []
            elif keuze in (InkomenKeuze.LOON, InkomenKeuze.UITKERING, InkomenKeuze.OVERIG):
                bedrag = _bedrag(inkomen[persoon.sleutel].get("bruto_per_maand"))
                if bedrag is not None:
                    item["inkomsten"] = [{"soort": str(keuze), "bruto_per_maand": bedrag}] if bedrag > 0 else []
            # weet_niet: no "inkomsten" key at all, which the contract reads as unknown.
        else:
            item["inkomsten"] = []
        # Savings are asked for the aanvrager and partner together; with a partner the total
        # is split in two (bijstand adds them up again; huurtoeslag has a limit per person).
        if persoon.rol in ("aanvrager", "partner") and vermogen_bekend:
            item["vermogen"] = vermogen_bedrag / 2 if met_partner else vermogen_bedrag
        engine_personen.append(item)

    wonen = antwoorden.get("wonen") or {}
    soort = wonen.get("soort", Woonsoort.GEEN)
    woning: dict = {"soort": str(soort)}
    if soort == Woonsoort.HUUR:
        huur = _bedrag(wonen.get("kale_huur"))
        if huur is not None:
            woning["kale_huur_per_maand"] = huur
        servicekosten = _bedrag(wonen.get("servicekosten"))
        if servicekosten is not None:
            woning["servicekosten_per_maand"] = servicekosten

    huishouden: dict = {"peildatum": peildatum.isoformat(), "personen": engine_personen, "woning": woning}
    if gemeente_code:
        huishouden["gemeente"] = gemeente_code
    maanden = LAAG_INKOMEN_MAANDEN.get(inkomen.get("laag_inkomen"))
    if maanden is not None:
        huishouden["maanden_laag_inkomen"] = maanden
    return huishouden
