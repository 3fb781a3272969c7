"""The monthly chart of a household: money in and money out per month, as server-rendered
SVG shapes (no script, no style attribute: the Content-Security-Policy stays strict).

The template draws what is computed here; the same figures are in the table next to it, so
the chart is a picture of the table and never the only place a number is."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perspectief.core.bedragen import euro_kort

BREEDTE, HOOGTE = 720, 320
LINKS, RECHTS, ONDER, BOVEN = 12, 12, 48, 40


@dataclass(frozen=True, slots=True)
class Staaf:
    x: float
    y: float
    breedte: float
    hoogte: float
    soort: str  # "in" or "uit": the template picks the colour and the legend
    tekst: str
    tekst_x: float
    tekst_y: float


@dataclass(frozen=True, slots=True)
class Maand:
    label: str
    label_x: float
    staven: tuple[Staaf, ...]


@dataclass(frozen=True, slots=True)
class Maandgrafiek:
    titel: str
    maanden: tuple[Maand, ...]
    breedte: int = BREEDTE
    hoogte: int = HOOGTE
    as_y: int = HOOGTE - ONDER
    label_y: int = HOOGTE - ONDER + 30
    as_x1: int = LINKS
    as_x2: int = BREEDTE - RECHTS


def maandgrafiek(*, titel: str, labels: list[str], inkomen: list[Decimal], uitgaven: list[Decimal]) -> Maandgrafiek:
    """Two bars per month (in, out), scaled to the largest amount. Amounts are positive; a
    month without money gets flat bars and its text (€ 0)."""
    if not len(labels) == len(inkomen) == len(uitgaven):
        raise ValueError("labels, inkomen and uitgaven must have the same length")
    hoogste = max([*inkomen, *uitgaven], default=Decimal(0)) or Decimal(1)
    vak = (BREEDTE - LINKS - RECHTS) / max(len(labels), 1)
    staaf_breedte = vak * 0.38
    ruimte = HOOGTE - ONDER - BOVEN
    maanden = []
    for index, (label, bedrag_in, bedrag_uit) in enumerate(zip(labels, inkomen, uitgaven, strict=True)):
        start = LINKS + index * vak + vak * 0.12
        staven = []
        for positie, (soort, bedrag) in enumerate((("in", bedrag_in), ("uit", bedrag_uit))):
            hoogte = float(ruimte * max(bedrag, Decimal(0)) / hoogste)
            x = start + positie * (staaf_breedte + vak * 0.04)
            y = HOOGTE - ONDER - hoogte
            staven.append(Staaf(
                x=round(x, 1), y=round(y, 1), breedte=round(staaf_breedte, 1), hoogte=round(hoogte, 1), soort=soort,
                tekst=euro_kort(bedrag), tekst_x=round(x + staaf_breedte / 2, 1), tekst_y=round(y - 8, 1),
            ))
        maanden.append(Maand(label=label, label_x=round(LINKS + index * vak + vak / 2, 1), staven=tuple(staven)))
    return Maandgrafiek(titel=titel, maanden=tuple(maanden))
