"""Net disposable household income per month (besteedbaar inkomen) and its components."""

from __future__ import annotations

import numpy as np

from ..engine import HUISHOUDEN, centen, variabele


def _per_maand(s, naam: str) -> np.ndarray:
    return centen(s.som(s(naam)) / 12.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Bruto loon van het huishouden per maand",
)
def bruto_loon_per_maand(s):
    return _per_maand(s, "loon_per_jaar")


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Bruto uitkeringen en overig inkomen van het huishouden per maand (zonder bijstand)",
)
def bruto_overig_inkomen_per_maand(s):
    return centen(s.som(s("box1_inkomen_per_jaar") - s("loon_per_jaar")) / 12.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Belasting en premies voor heffingskortingen per maand",
)
def belasting_voor_kortingen_per_maand(s):
    return _per_maand(s, "belasting_voor_kortingen")


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Heffingskortingen die van de belasting af gaan, per maand",
)
def heffingskortingen_per_maand(s):
    return _per_maand(s, "toegepaste_heffingskortingen")


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Netto inkomen van het huishouden per maand (zonder bijstand en toeslagen)",
    zin="Het netto inkomen van uw huishouden is {waarde} per maand.",
)
def netto_inkomen_per_maand(s):
    return centen(s.som(s("netto_inkomen_per_jaar")) / 12.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Besteedbaar inkomen per maand (netto inkomen, bijstand, toeslagen, kinderbijslag, gemeentelijke regelingen)",
    zin="In totaal heeft uw huishouden {waarde} per maand te besteden.",
)
def besteedbaar_inkomen_per_maand(s):
    return centen(
        s("netto_inkomen_per_maand")
        + s("bijstand_per_maand")
        + s("zorgtoeslag_per_maand")
        + s("huurtoeslag_per_maand")
        + s("kindgebonden_budget_per_maand")
        + s("kinderbijslag_per_maand")
        + s("gemeentelijke_regelingen_per_maand")
    )
