"""Gross income, inkomstenbelasting box 1 and heffingskortingen: from gross to net.

Scope (documented simplifications): box 1 only; wages, benefits and other income are taxed
together per person; heffingskortingen are limited to the tax due (no payout to a partner
without income); the Zvw-bijdrage is left out because employers and benefit agencies pay it
(werkgeversheffing). Amounts are rounded to cents.
"""

from __future__ import annotations

import numpy as np

from ..engine import PERSOON, centen, schijven, variabele
from ..populatie import AANVRAGER, PARTNER

WET_IB = "Wet inkomstenbelasting 2001"


@variabele(
    entiteit=PERSOON,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Bruto loon per jaar",
    zin="Het bruto loon is {waarde} per jaar.",
)
def loon_per_jaar(s):
    return s.populatie.loon_per_jaar


@variabele(
    entiteit=PERSOON,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Bruto uitkering per jaar (zonder bijstand)",
)
def uitkering_per_jaar(s):
    return s.populatie.uitkering_per_jaar


@variabele(
    entiteit=PERSOON, periode="jaar", eenheid="EUR/jaar", label="Overig bruto inkomen per jaar"
)
def overig_inkomen_per_jaar(s):
    return s.populatie.overig_inkomen_per_jaar


@variabele(
    entiteit=PERSOON,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Belastbaar inkomen box 1 (zonder bijstand)",
    wet=f"{WET_IB}, artikel 2.10",
    zin="Het inkomen waarover belasting wordt berekend is {waarde} per jaar.",
)
def box1_inkomen_per_jaar(s):
    bruto = s("loon_per_jaar") + s("uitkering_per_jaar") + s("overig_inkomen_per_jaar")
    gegeven = s.populatie.toetsingsinkomen_per_jaar
    # Only a toetsingsinkomen was given: use it as the taxable income.
    return np.where(np.isfinite(gegeven) & (bruto == 0.0), gegeven, bruto)


def inkomstenbelasting(
    s,
    inkomen: np.ndarray,
    arbeidsinkomen: np.ndarray,
    aow: np.ndarray,
    iack_recht: np.ndarray,
    *,
    afronden: bool = True,
) -> dict[str, np.ndarray]:
    """Tax and kortingen for arrays of persons. Returns every component (all per year).

    ``afronden=False`` skips the rounding to cents (for intermediate gross-up iterations).
    """
    inkomen = np.floor(np.maximum(inkomen, 0.0) + 1e-7)  # taxable income in whole euros
    arbeidsinkomen = np.maximum(arbeidsinkomen, 0.0)
    tarieven = list(s.p("belasting.tarieven"))
    # Who has reached the AOW age pays no AOW premium in the first bracket.
    eerste_schijf = np.where(aow, tarieven[0] - s.p("belasting.aow_premie"), tarieven[0])
    grenzen = list(s.p("belasting.schijfgrenzen"))
    belasting = schijven(inkomen, grenzen, [eerste_schijf] + tarieven[1:])
    aow_factor = np.where(aow, s.p("belasting.aow_factor_heffingskortingen"), 1.0)

    ahk = (
        np.maximum(
            0.0,
            s.p("belasting.algemene_heffingskorting_maximum")
            - s.p("belasting.algemene_heffingskorting_afbouw")
            * np.maximum(0.0, inkomen - s.p("belasting.algemene_heffingskorting_afbouwgrens")),
        )
        * aow_factor
    )

    arbeidskorting = np.zeros_like(arbeidsinkomen)
    for knik in s.p("belasting.arbeidskorting"):
        vanaf_hier = arbeidsinkomen >= knik["vanaf"]
        arbeidskorting = np.where(
            vanaf_hier,
            knik["basis"] + knik["percentage"] * (arbeidsinkomen - knik["vanaf"]),
            arbeidskorting,
        )
    arbeidskorting = np.maximum(arbeidskorting, 0.0) * aow_factor

    iack = (
        np.where(
            iack_recht,
            np.clip(
                s.p("belasting.inkomensafhankelijke_combinatiekorting_opbouw")
                * (
                    arbeidsinkomen - s.p("belasting.inkomensafhankelijke_combinatiekorting_drempel")
                ),
                0.0,
                s.p("belasting.inkomensafhankelijke_combinatiekorting_maximum"),
            ),
            0.0,
        )
        * aow_factor
    )

    ouderenkorting = np.where(
        aow,
        np.maximum(
            0.0,
            s.p("belasting.ouderenkorting_maximum")
            - s.p("belasting.ouderenkorting_afbouw")
            * np.maximum(0.0, inkomen - s.p("belasting.ouderenkorting_afbouwgrens")),
        ),
        0.0,
    )

    if afronden:
        ahk, arbeidskorting, iack, ouderenkorting = (
            centen(x) for x in (ahk, arbeidskorting, iack, ouderenkorting)
        )
        belasting = centen(belasting)
    kortingen = ahk + arbeidskorting + iack + ouderenkorting
    toegepast = np.minimum(kortingen, belasting)
    return {
        "belasting_voor_kortingen": belasting,
        "algemene_heffingskorting": ahk,
        "arbeidskorting": arbeidskorting,
        "inkomensafhankelijke_combinatiekorting": iack,
        "ouderenkorting": ouderenkorting,
        "toegepaste_heffingskortingen": toegepast,
        "inkomstenbelasting": belasting - toegepast,
    }


@variabele(
    entiteit=PERSOON,
    periode="jaar",
    eenheid="ja/nee",
    label="Heeft recht op de inkomensafhankelijke combinatiekorting",
    wet=f"{WET_IB}, artikel 8.14a",
)
def iack_recht(s):
    rol = s.populatie.rol
    jong_kind = (rol == 2) & (
        s("leeftijd") < s.p("belasting.inkomensafhankelijke_combinatiekorting_kindleeftijd")
    )
    heeft_jong_kind = s.naar_personen(s.aantal(jong_kind) > 0)
    arbeid = s("loon_per_jaar")
    eigen = arbeid
    partner_arbeid_hh = s.van_partner(arbeid, np.inf)
    aanvrager_arbeid_hh = s.van_aanvrager(arbeid)
    # The lowest-earning partner (the aanvrager on a tie), or a single parent.
    andere = np.where(
        rol == AANVRAGER, s.naar_personen(partner_arbeid_hh), s.naar_personen(aanvrager_arbeid_hh)
    )
    minst_verdienend = np.where(rol == AANVRAGER, eigen <= andere, eigen < andere)
    return ((rol == AANVRAGER) | (rol == PARTNER)) & heeft_jong_kind & minst_verdienend


def _belasting_componenten(s):
    if "belasting" not in s.gedeeld:
        s.gedeeld["belasting"] = inkomstenbelasting(
            s,
            s("box1_inkomen_per_jaar"),
            s("loon_per_jaar"),
            s("aow_leeftijd_bereikt"),
            s("iack_recht"),
        )
    return s.gedeeld["belasting"]


def _belasting_variabele(naam: str, label: str, artikel: str, zin: str = ""):
    def formule(s):
        # Declare the inputs so the explanation shows them, then take the shared result.
        s("box1_inkomen_per_jaar")
        s("loon_per_jaar")
        s("aow_leeftijd_bereikt")
        s("iack_recht")
        for pad in PARAMETERS_BELASTING:
            s.p(pad)
        return _belasting_componenten(s)[naam]

    formule.__name__ = naam
    variabele(
        entiteit=PERSOON,
        periode="jaar",
        eenheid="EUR/jaar",
        label=label,
        wet=f"{WET_IB}, {artikel}",
        zin=zin,
        naam=naam,
    )(formule)


PARAMETERS_BELASTING = [
    "belasting.tarieven",
    "belasting.schijfgrenzen",
    "belasting.aow_premie",
    "belasting.aow_factor_heffingskortingen",
    "belasting.algemene_heffingskorting_maximum",
    "belasting.algemene_heffingskorting_afbouw",
    "belasting.algemene_heffingskorting_afbouwgrens",
    "belasting.arbeidskorting",
    "belasting.inkomensafhankelijke_combinatiekorting_opbouw",
    "belasting.inkomensafhankelijke_combinatiekorting_drempel",
    "belasting.inkomensafhankelijke_combinatiekorting_maximum",
    "belasting.ouderenkorting_maximum",
    "belasting.ouderenkorting_afbouw",
    "belasting.ouderenkorting_afbouwgrens",
]

_belasting_variabele(
    "belasting_voor_kortingen",
    "Belasting en premies box 1 voor heffingskortingen",
    "artikel 2.10",
    "Zonder kortingen is de belasting {waarde} per jaar.",
)
_belasting_variabele(
    "algemene_heffingskorting",
    "Algemene heffingskorting",
    "artikel 8.10",
    "De algemene heffingskorting is {waarde} per jaar.",
)
_belasting_variabele(
    "arbeidskorting", "Arbeidskorting", "artikel 8.11", "De arbeidskorting is {waarde} per jaar."
)
_belasting_variabele(
    "inkomensafhankelijke_combinatiekorting",
    "Inkomensafhankelijke combinatiekorting",
    "artikel 8.14a",
)
_belasting_variabele("ouderenkorting", "Ouderenkorting", "artikel 8.17")
_belasting_variabele(
    "toegepaste_heffingskortingen",
    "Heffingskortingen die van de belasting af gaan (niet meer dan de belasting)",
    "artikel 8.1",
)
_belasting_variabele(
    "inkomstenbelasting",
    "Inkomstenbelasting en premies na heffingskortingen",
    "artikel 2.10 en hoofdstuk 8",
    "U betaalt {waarde} belasting per jaar.",
)


@variabele(
    entiteit=PERSOON,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Netto inkomen per jaar (zonder bijstand)",
    zin="Na belasting blijft {waarde} per jaar over.",
)
def netto_inkomen_per_jaar(s):
    return centen(s("box1_inkomen_per_jaar") - s("inkomstenbelasting"))
