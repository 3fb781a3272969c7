"""The answers in plain words, for the last step ("Controleren") and the PDF."""

from datetime import date

from django.utils.translation import gettext as _

from .antwoorden import personen
from .constants import InkomenKeuze, LaagInkomenDuur, Woonsoort
from .uitkomst import euro


def _euro(tekst) -> str:
    if tekst in (None, ""):
        return _("weet ik niet")
    return euro(tekst)


def regels(stap: str, antwoorden: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs for one step."""
    antwoord = antwoorden.get(stap)
    if antwoord is None:
        return [(_("Nog niet ingevuld"), "")]
    mensen = personen(antwoorden.get("huishouden"))
    if stap == "huishouden":
        return [
            (_("Partner"), _("ja") if antwoord.get("partner") else _("nee")),
            (_("Kinderen jonger dan 18"), str(antwoord.get("kinderen", 0))),
            (_("Andere volwassenen"), str(antwoord.get("volwassenen", 0))),
        ]
    if stap == "leeftijden":
        lijst = []
        for persoon in mensen:
            waarde = antwoord.get(persoon.sleutel) or {}
            if waarde.get("geboortedatum"):
                tekst = date.fromisoformat(waarde["geboortedatum"]).strftime("%d-%m-%Y")
            elif waarde.get("leeftijd") is not None:
                tekst = _("%(jaren)s jaar") % {"jaren": waarde["leeftijd"]}
            else:
                tekst = _("nog niet ingevuld")
            lijst.append((persoon.naam, tekst))
        return lijst
    if stap == "inkomen":
        lijst = []
        for persoon in mensen:
            if not persoon.volwassen:
                continue
            waarde = antwoord.get(persoon.sleutel) or {}
            soort = waarde.get("soort")
            if soort is None:
                tekst = _("nog niet ingevuld")
            elif soort in (InkomenKeuze.LOON, InkomenKeuze.UITKERING, InkomenKeuze.OVERIG):
                tekst = f"{InkomenKeuze(soort).label}: {_euro(waarde.get('bruto_per_maand'))} " + _("bruto per maand")
            else:
                tekst = str(InkomenKeuze(soort).label)
            lijst.append((persoon.naam, tekst))
        if antwoord.get("laag_inkomen"):
            lijst.append((_("Laag inkomen sinds"), str(LaagInkomenDuur(antwoord["laag_inkomen"]).label)))
        return lijst
    if stap == "wonen":
        lijst = [(_("Woning"), str(Woonsoort(antwoord["soort"]).label))]
        if antwoord["soort"] == Woonsoort.HUUR:
            lijst.append((_("Kale huur per maand"), _euro(antwoord.get("kale_huur"))))
            lijst.append((_("Servicekosten per maand"), _euro(antwoord.get("servicekosten"))))
        return lijst
    if stap == "vermogen":
        return [(_("Spaargeld en bezit"), _euro(antwoord.get("bedrag")))]
    return []
