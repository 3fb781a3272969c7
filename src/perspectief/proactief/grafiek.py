"""Server-rendered SVG bar charts (no script, no style attributes: the CSP stays strict).

The template draws the shapes computed here; the same figures are in a table next to it."""

from __future__ import annotations

from dataclasses import dataclass

BREEDTE, HOOGTE = 640, 300
LINKS, ONDER, BOVEN = 8, 44, 36


@dataclass(frozen=True)
class Staaf:
    x: float
    y: float
    breedte: float
    hoogte: float
    label: str
    waarde_tekst: str
    tekst_x: float
    tekst_y: float
    gemarkeerd: bool


@dataclass(frozen=True)
class Grafiek:
    titel: str
    staven: list[Staaf]
    breedte: int = BREEDTE
    hoogte: int = HOOGTE
    as_y: int = HOOGTE - ONDER


def staafgrafiek(*, titel: str, labels: list[str], waarden: list[float | None], teksten: list[str],
                 gemarkeerd: list[bool]) -> Grafiek:
    """Bars for non-negative values; a value of None (suppressed) gets no bar, only its text."""
    hoogste = max((w for w in waarden if w is not None), default=0) or 1
    vak = (BREEDTE - 2 * LINKS) / max(len(labels), 1)
    ruimte = HOOGTE - ONDER - BOVEN
    staven = []
    for index, (label, waarde, tekst, markeer) in enumerate(zip(labels, waarden, teksten, gemarkeerd, strict=True)):
        hoogte = 0.0 if waarde is None else ruimte * waarde / hoogste
        x = LINKS + index * vak + vak * 0.15
        y = HOOGTE - ONDER - hoogte
        staven.append(Staaf(
            x=round(x, 1), y=round(y, 1), breedte=round(vak * 0.7, 1), hoogte=round(hoogte, 1), label=label,
            waarde_tekst=tekst, tekst_x=round(x + vak * 0.35, 1), tekst_y=round(y - 10, 1), gemarkeerd=markeer,
        ))
    return Grafiek(titel=titel, staven=staven)
