"""'Wat als ik ga werken?': net income for 0..40 hours (rekenregels.armoedeval) and a
server-rendered SVG with stacked components. No script, no style attributes (CSP): colours
are presentation attributes, and a table gives the same figures."""

from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.translation import gettext as _

from perspectief.core.bedragen import euro_kort
from perspectief.regelingen.selectors import catalogus_voor_gemeente
from rekenregels import armoedeval

from .antwoorden import engine_huishouden
from .models import CheckAntwoorden

# The components grouped into what a resident recognises, bottom to top in the chart.
GROEPEN = (
    ("werk", "#1f5f8b"),
    ("bijstand", "#7a4d9e"),
    ("toeslagen", "#2f7d4f"),
    ("kinderbijslag", "#b35900"),
    ("gemeente", "#8a6d00"),
)
_LANDELIJK = {"loon", "overig_inkomen", "belasting", "heffingskortingen", "bijstand", "zorgtoeslag", "huurtoeslag",
              "kindgebonden_budget", "kinderbijslag"}


def groep_namen() -> dict[str, str]:
    return {
        "werk": _("Inkomen uit werk en uitkering (netto)"),
        "bijstand": _("Bijstand"),
        "toeslagen": _("Toeslagen"),
        "kinderbijslag": _("Kinderbijslag"),
        "gemeente": _("Regelingen van de gemeente"),
    }


def _groepeer(componenten: dict[str, float]) -> dict[str, float]:
    werk = sum(componenten.get(naam, 0.0) for naam in ("loon", "overig_inkomen", "belasting", "heffingskortingen"))
    return {
        "werk": round(max(werk, 0.0), 2),
        "bijstand": round(componenten.get("bijstand", 0.0), 2),
        "toeslagen": round(sum(componenten.get(n, 0.0) for n in ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget")), 2),
        "kinderbijslag": round(componenten.get("kinderbijslag", 0.0), 2),
        "gemeente": round(sum(v for n, v in componenten.items() if n not in _LANDELIJK), 2),
    }


def werken_uitkomst(*, check: CheckAntwoorden, peildatum: date, uurloon: Decimal | None) -> dict:
    huishouden = engine_huishouden(antwoorden=check.antwoorden, peildatum=peildatum)
    invoer: dict = {"huishouden": huishouden, "persoon": "aanvrager"}
    if uurloon is not None:
        invoer["uurloon"] = float(uurloon)
    catalogus = catalogus_voor_gemeente(gemeente=check.gemeente, peildatum=peildatum)
    resultaat = armoedeval(invoer, catalogus=catalogus)
    punten = []
    for punt in resultaat["punten"]:
        groepen = _groepeer(punt["componenten"])
        punten.append({
            "uren": int(punt["uren_per_week"]),
            "bruto_loon_per_maand": punt["bruto_loon_per_maand"],
            "groepen": groepen,
            "totaal": punt["besteedbaar_inkomen_per_maand"],
        })
    return {
        "uurloon": resultaat["uurloon"],
        "punten": punten,
        "kliffen": [{"van": int(k["van_uren"]), "naar": int(k["naar_uren"]), "zin": k["zin"]} for k in resultaat["kliffen"]],
        "namen": groep_namen(),
    }


def punt(uitkomst: dict, uren: int) -> dict:
    """The point for the chosen hours, and the difference with not working."""
    bij = {p["uren"]: p for p in uitkomst["punten"]}
    gekozen = bij.get(uren) or min(uitkomst["punten"], key=lambda p: abs(p["uren"] - uren))
    nul = bij.get(0, uitkomst["punten"][0])
    verschil = round(gekozen["totaal"] - nul["totaal"], 2)
    return {**gekozen, "verschil": verschil, "verschil_bedrag": abs(verschil), "zonder_werk": nul["totaal"]}


def svg(uitkomst: dict, *, gekozen_uren: int | None = None) -> str:
    """A stacked bar chart (one bar per number of hours). Decorative to screen readers
    (aria-hidden): the table next to it carries the same figures."""
    punten = [p for p in uitkomst["punten"] if p["uren"] % 2 == 0]
    breedte, hoogte, links, onder, boven = 640, 320, 56, 36, 12
    hoogste = max(sum(p["groepen"].values()) for p in punten) or 1.0
    stap = 500 if hoogste > 2000 else 250
    schaal_max = (int(hoogste // stap) + 1) * stap
    plot_h = hoogte - onder - boven
    plot_b = breedte - links - 8
    kolom = plot_b / len(punten)
    balk = kolom * 0.7

    def y(waarde: float) -> float:
        return boven + plot_h - waarde / schaal_max * plot_h

    delen = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {breedte} {hoogte}" class="regelingencheck-grafiek" '
        'aria-hidden="true" focusable="false" font-family="sans-serif" font-size="12">'
    ]
    for lijn in range(0, schaal_max + 1, stap):
        delen.append(f'<line x1="{links}" x2="{breedte - 8}" y1="{y(lijn):.1f}" y2="{y(lijn):.1f}" stroke="#c8c8c8" stroke-width="1"/>')
        delen.append(f'<text x="{links - 6}" y="{y(lijn) + 4:.1f}" text-anchor="end" fill="#333">{euro_kort(lijn)}</text>')
    for index, p in enumerate(punten):
        x = links + index * kolom + (kolom - balk) / 2
        basis = 0.0
        for groep, kleur in GROEPEN:
            waarde = p["groepen"][groep]
            if waarde <= 0:
                continue
            delen.append(
                f'<rect x="{x:.1f}" y="{y(basis + waarde):.1f}" width="{balk:.1f}" height="{y(basis) - y(basis + waarde):.1f}" fill="{kleur}"/>'
            )
            basis += waarde
        if gekozen_uren is not None and p["uren"] == gekozen_uren:
            delen.append(
                f'<rect x="{x - 2:.1f}" y="{y(basis) - 2:.1f}" width="{balk + 4:.1f}" height="{y(0) - y(basis) + 4:.1f}" fill="none" stroke="#000" stroke-width="2"/>'
            )
        if p["uren"] % 8 == 0:
            delen.append(f'<text x="{x + balk / 2:.1f}" y="{hoogte - onder + 16}" text-anchor="middle" fill="#333">{p["uren"]}</text>')
    delen.append(
        f'<text x="{links + plot_b / 2:.1f}" y="{hoogte - 4}" text-anchor="middle" fill="#333">{escape(_("uur per week"))}</text>'
    )
    delen.append("</svg>")
    return "".join(delen)
