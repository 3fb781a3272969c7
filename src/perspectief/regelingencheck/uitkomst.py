"""From the engine's result to what a resident reads: per scheme ja / misschien / nee, the
amount, the reason in plain words and the next step. Pure functions (no database).

The summary is small JSON so it can be stored with the answers (the engine's full
explanation, with every step and parameter, is about 300 kB and is not kept).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.core import bedragen

from .constants import Recht

# Next steps for the national schemes (the catalogue of a gemeente has its own "aanvragen").
_LANDELIJK = {
    "zorgtoeslag": {
        "stap": gettext_lazy("Vraag zorgtoeslag aan op toeslagen.nl. U heeft uw DigiD nodig."),
        "meenemen": gettext_lazy("Uw DigiD en uw inkomen van dit jaar."),
        "url": "https://www.belastingdienst.nl/wps/wcm/connect/nl/toeslagen/toeslagen",
    },
    "huurtoeslag": {
        "stap": gettext_lazy("Vraag huurtoeslag aan op toeslagen.nl. U heeft uw DigiD nodig."),
        "meenemen": gettext_lazy("Uw huurcontract of een brief met de huur per maand, en uw DigiD."),
        "url": "https://www.belastingdienst.nl/wps/wcm/connect/nl/toeslagen/toeslagen",
    },
    "kindgebonden_budget": {
        "stap": gettext_lazy("Krijgt u kinderbijslag en al zorgtoeslag of huurtoeslag? Dan krijgt u dit vaak vanzelf. Anders vraagt u het aan op toeslagen.nl."),
        "meenemen": gettext_lazy("Uw DigiD."),
        "url": "https://www.belastingdienst.nl/wps/wcm/connect/nl/toeslagen/toeslagen",
    },
    "kinderbijslag": {
        "stap": gettext_lazy("Meestal stuurt de SVB u vanzelf een brief. Krijgt u nog geen kinderbijslag? Vraag het dan aan op svb.nl."),
        "meenemen": gettext_lazy("Uw DigiD."),
        "url": "https://www.svb.nl/nl/kinderbijslag",
    },
    "bijstand": {
        "stap": gettext_lazy("Krijgt u al bijstand? Dan hoeft u niets te doen. Anders vraagt u bijstand aan bij de gemeente. Het wijkteam helpt u graag."),
        "meenemen": gettext_lazy("Uw legitimatie, uw huurcontract, en afschriften van uw bankrekeningen."),
        "url": "",
    },
}

_KINDERREGELINGEN = {"kinderbijslag", "kindgebonden_budget"}


def euro(bedrag, *, spatie: str = " ") -> str:
    """1234.5 -> '€ 1.234,50'; the check's amounts (floats from the engine, or stored text
    such as '650.50'). Rounded as a float, as the check always did (see core.bedragen)."""
    return bedragen.euro(float(bedrag), spatie=spatie)


def _toets_zin(toets: dict) -> str:
    voorwaarde, grens, waarde, voldaan = toets["voorwaarde"], toets["grens"], toets["waarde"], toets["voldaan"]
    if voorwaarde == "inkomen":
        if voldaan:
            return _("Uw inkomen is %(waarde)s per maand. Dat is niet meer dan de grens van %(grens)s.") % {
                "waarde": euro(waarde), "grens": euro(grens)}
        return _("Uw inkomen is %(waarde)s per maand. Dat is meer dan de grens van %(grens)s.") % {
            "waarde": euro(waarde), "grens": euro(grens)}
    if voorwaarde == "vermogen":
        if voldaan:
            return _("Uw spaargeld en bezit zijn niet meer dan de grens van %(grens)s.") % {"grens": euro(grens)}
        return _("Uw spaargeld en bezit zijn meer dan de grens van %(grens)s.") % {"grens": euro(grens)}
    if voorwaarde == "referteperiode":
        if voldaan:
            return _("U heeft al lang genoeg een laag inkomen.")
        return _("Deze regeling is voor wie al %(maanden)s maanden of langer een laag inkomen heeft.") % {
            "maanden": int(grens)}
    return toets.get("zin", "")


def _zinnen_van_stappen(regeling: dict) -> list[str]:
    """The B1 sentences of the engine's steps, those of the scheme's own variables first
    choice (the kindgebonden budget's explanation also holds the kinderbijslag's steps)."""
    stappen = [stap for stap in regeling.get("uitleg", {}).get("stappen", []) if stap.get("zin")]
    eigen = [stap for stap in stappen if stap["variabele"].startswith(regeling["code"])]
    return [stap["zin"] for stap in (eigen if len(eigen) >= 2 else stappen)]


def reden(regeling: dict, huishouden: dict) -> list[str]:
    """The reason in a few short sentences, from the engine's explanation."""
    recht, code = regeling["recht"], regeling["code"]
    if recht == Recht.MISSCHIEN:
        zinnen = [_("Dit hangt af van iets wat we nog niet weten.")]
        for feit in regeling.get("ontbrekende_feiten", []):
            zinnen.append(feit["bericht"])
        if regeling.get("beoordeling_door_gemeente"):
            zinnen.append(regeling["beoordeling_door_gemeente"])
        return zinnen
    toetsen = regeling.get("uitleg", {}).get("toetsen")
    if toetsen is not None:  # a municipal scheme: its own conditions
        relevante = [t for t in toetsen if t["voldaan"] == (recht == Recht.JA)]
        zinnen = [_toets_zin(toets) for toets in relevante]
        if recht == Recht.NEE and not zinnen:
            zinnen = [_("U past niet in de voorwaarden van deze regeling, bijvoorbeeld door de leeftijd of de kinderen in uw huis.")]
        return zinnen
    kinderen = [p for p in huishouden.get("personen", []) if p.get("rol") == "kind"]
    if recht == Recht.NEE and code in _KINDERREGELINGEN and not kinderen:
        return [_("Deze regeling is voor ouders met kinderen jonger dan 18 jaar.")]
    if recht == Recht.NEE and code == "huurtoeslag" and huishouden.get("woning", {}).get("soort") != "huur":
        return [_("Huurtoeslag is alleen voor mensen die een huis huren.")]
    zinnen = _zinnen_van_stappen(regeling)
    if recht == Recht.JA:
        return zinnen[-2:]
    # nee: the sentences before the final "U krijgt € 0,00 ...", then the conclusion.
    return [*zinnen[-3:-1], _("Daarom krijgt u hiervan nu niets.")]


def volgende_stap(regeling: dict) -> dict:
    code, recht = regeling["code"], regeling["recht"]
    if recht == Recht.MISSCHIEN:
        return {
            "soort": "wijkteam",
            "tekst": _("Praat met het wijkteam. Samen kijkt u of u dit kunt krijgen."),
            "meenemen": regeling.get("aanvragen", ""),
            "url": regeling.get("url", ""),
        }
    if code in _LANDELIJK:
        info = _LANDELIJK[code]
        soort = "wijkteam" if code == "bijstand" else "aanvragen"
        return {"soort": soort, "tekst": str(info["stap"]), "meenemen": str(info["meenemen"]), "url": info["url"]}
    if regeling.get("automatisch_toekennen"):
        tekst = _("Dit krijgt u vanzelf als de gemeente uw inkomen al kent, bijvoorbeeld omdat u bijstand krijgt. Krijgt u het nog niet? Vraag het dan aan.")
        return {"soort": "vanzelf", "tekst": tekst, "meenemen": regeling.get("aanvragen", ""), "url": regeling.get("url", "")}
    return {
        "soort": "aanvragen",
        "tekst": _("Vraag dit aan bij de gemeente."),
        "meenemen": regeling.get("aanvragen", ""),
        "url": regeling.get("url", ""),
    }


def samenvatting(resultaat: dict, huishouden: dict) -> dict:
    """The result page's content: schemes ordered ja, misschien, nee, with totals."""
    regelingen = []
    for regeling in resultaat["regelingen"]:
        recht = regeling["recht"]
        regelingen.append({
            "code": regeling["code"],
            "naam": regeling["naam"],
            "soort": regeling["soort"],
            "uitvoerder": regeling.get("uitvoerder", ""),
            "recht": recht,
            "bedrag_per_maand": regeling.get("bedrag_per_maand") if recht == Recht.JA else None,
            "bedrag_per_jaar": regeling.get("bedrag_per_jaar") if recht == Recht.JA else None,
            "bedrag_hoogstens_per_maand": regeling.get("bedrag_hoogstens_per_maand"),
            "bedrag_hoogstens_per_jaar": regeling.get("bedrag_hoogstens_per_jaar"),
            "reden": [str(zin) for zin in reden(regeling, huishouden)],
            "volgende_stap": volgende_stap(regeling),
            "wet": regeling.get("wet", ""),
        })
    volgorde = {Recht.JA: 0, Recht.MISSCHIEN: 1, Recht.NEE: 2}
    regelingen.sort(key=lambda r: volgorde[r["recht"]])  # stable: the engine's order within a group
    ja = [r for r in regelingen if r["recht"] == Recht.JA]
    misschien = [r for r in regelingen if r["recht"] == Recht.MISSCHIEN]
    totaal_maand = round(sum(r["bedrag_per_maand"] or 0 for r in ja), 2)
    totaal_jaar = round(sum(r["bedrag_per_jaar"] or 0 for r in ja), 2)
    return {
        "peildatum": resultaat["peildatum"],
        "regelingen": regelingen,
        "aantal": {"ja": len(ja), "misschien": len(misschien), "nee": len(regelingen) - len(ja) - len(misschien)},
        "totaal_per_maand": totaal_maand,
        "totaal_per_jaar": totaal_jaar,
        "misschien_hoogstens_per_maand": round(sum(r["bedrag_hoogstens_per_maand"] or 0 for r in misschien), 2),
        "besteedbaar_inkomen_per_maand": resultaat.get("inkomen", {}).get("besteedbaar_inkomen_per_maand"),
    }
