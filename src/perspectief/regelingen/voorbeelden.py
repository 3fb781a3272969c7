"""A small fixed set of example households for the catalogue preview. Fictional; ages are
relative to the peildatum so the outcome does not drift with the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Voorbeeldpersoon:
    id: str
    rol: str
    leeftijd: int
    inkomsten: tuple[dict, ...] = ()
    vermogen: float | None = 0.0


@dataclass(frozen=True)
class Voorbeeldhuishouden:
    code: str
    naam: str
    omschrijving: str
    personen: tuple[Voorbeeldpersoon, ...]
    kale_huur_per_maand: float
    maanden_laag_inkomen: int = 48
    extra: dict = field(default_factory=dict)

    def als_invoer(self, peildatum: dt.date) -> dict:
        """The household in the rules engine's JSON contract, on the peildatum."""

        def geboren(leeftijd: int) -> str:
            # The birthday was 100 days before the peildatum: clearly this age.
            verjaardag = dt.date(peildatum.year - leeftijd, peildatum.month, min(peildatum.day, 28))
            return (verjaardag - dt.timedelta(days=100)).isoformat()

        personen = []
        for persoon in self.personen:
            item = {"id": persoon.id, "rol": persoon.rol, "geboortedatum": geboren(persoon.leeftijd)}
            if persoon.rol != "kind":
                item["inkomsten"] = [dict(inkomen) for inkomen in persoon.inkomsten]
                if persoon.vermogen is not None:
                    item["vermogen"] = persoon.vermogen
            personen.append(item)
        return {
            "peildatum": peildatum.isoformat(),
            "personen": personen,
            "woning": {"soort": "huur", "kale_huur_per_maand": self.kale_huur_per_maand},
            "maanden_laag_inkomen": self.maanden_laag_inkomen,
        }


VOORBEELDHUISHOUDENS: tuple[Voorbeeldhuishouden, ...] = (
    Voorbeeldhuishouden(
        code="alleenstaand_bijstand",
        naam=_("Alleenstaand met bijstand"),
        omschrijving=_("Eén volwassene van 35 jaar, geen werk, bijstand, huur 650 euro."),
        personen=(Voorbeeldpersoon("a", "aanvrager", 35),),
        kale_huur_per_maand=650,
    ),
    Voorbeeldhuishouden(
        code="alleenstaande_ouder_deeltijd",
        naam=_("Alleenstaande ouder met 2 kinderen, deeltijd minimumloon"),
        omschrijving=_("Ouder van 34 jaar werkt 24 uur per week voor het minimumloon; kinderen van 7 en 13; huur 720 euro."),
        personen=(
            Voorbeeldpersoon("a", "aanvrager", 34, ({"soort": "loon", "bruto_per_maand": 1400},), 500),
            Voorbeeldpersoon("k1", "kind", 7),
            Voorbeeldpersoon("k2", "kind", 13),
        ),
        kale_huur_per_maand=720,
    ),
    Voorbeeldhuishouden(
        code="stel_aow",
        naam=_("Stel van 67 jaar of ouder met AOW"),
        omschrijving=_("Twee mensen van 70 en 68 jaar met alleen AOW; huur 600 euro; 2.000 euro spaargeld."),
        personen=(
            Voorbeeldpersoon("a", "aanvrager", 70, ({"soort": "uitkering", "bruto_per_maand": 1050},), 1000),
            Voorbeeldpersoon("p", "partner", 68, ({"soort": "uitkering", "bruto_per_maand": 1050},), 1000),
        ),
        kale_huur_per_maand=600,
    ),
    Voorbeeldhuishouden(
        code="gezin_minimumloon",
        naam=_("Gezin met 2 kinderen, één voltijd minimumloon"),
        omschrijving=_("Twee ouders van 38 en 36 jaar; één werkt voltijd voor het minimumloon; kinderen van 5 en 10; huur 800 euro."),
        personen=(
            Voorbeeldpersoon("a", "aanvrager", 38, ({"soort": "loon", "bruto_per_maand": 2300},), 0),
            Voorbeeldpersoon("p", "partner", 36, (), 0),
            Voorbeeldpersoon("k1", "kind", 5),
            Voorbeeldpersoon("k2", "kind", 10),
        ),
        kale_huur_per_maand=800,
    ),
)
