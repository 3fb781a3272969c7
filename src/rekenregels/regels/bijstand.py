"""Participatiewet: bijstandsnorm by leefvorm and age, kostendelersnorm, vermogensgrens,
aanvullende bijstand, vakantietoeslag, and the gross amount of bijstand for the toeslagen.

Scope (documented simplifications): no toeslagen/verlagingen by the gemeente (art. 18), no
verblijf in een inrichting (art. 23), no students or commercial tenants among the
kostendelers, the inkomstenvrijlating (art. 31 lid 2 n) only when the option
``inkomstenvrijlating`` is set, and the vermogen of minor children is not counted.
"""

from __future__ import annotations

import numpy as np

from ..engine import HUISHOUDEN, PERSOON, centen, variabele
from ..populatie import AANVRAGER, PARTNER
from .belasting import inkomstenbelasting

WET = "Participatiewet"

LEEFVORMEN = (
    "geen_norm_jonger_dan_18",
    "alleenstaande_18_tot_21",
    "alleenstaande_21_tot_aow",
    "alleenstaande_aow",
    "gehuwden_beiden_18_tot_21_zonder_kinderen",
    "gehuwden_beiden_18_tot_21_met_kinderen",
    "gehuwden_een_18_tot_21_zonder_kinderen",
    "gehuwden_een_18_tot_21_met_kinderen",
    "gehuwden_21_tot_aow",
    "gehuwden_aow",
)
LEEFVORM_LABELS = {
    "geen_norm_jonger_dan_18": "jonger dan 18 jaar (geen bijstand)",
    "alleenstaande_18_tot_21": "alleenstaand of alleenstaande ouder, 18 tot 21 jaar",
    "alleenstaande_21_tot_aow": "alleenstaand of alleenstaande ouder, 21 jaar tot de AOW-leeftijd",
    "alleenstaande_aow": "alleenstaand of alleenstaande ouder met AOW-leeftijd",
    "gehuwden_beiden_18_tot_21_zonder_kinderen": "samenwonend, allebei 18 tot 21 jaar, zonder kinderen",
    "gehuwden_beiden_18_tot_21_met_kinderen": "samenwonend, allebei 18 tot 21 jaar, met kinderen",
    "gehuwden_een_18_tot_21_zonder_kinderen": "samenwonend, een van u 18 tot 21 jaar, zonder kinderen",
    "gehuwden_een_18_tot_21_met_kinderen": "samenwonend, een van u 18 tot 21 jaar, met kinderen",
    "gehuwden_21_tot_aow": "getrouwd of samenwonend, 21 jaar tot de AOW-leeftijd",
    "gehuwden_aow": "getrouwd of samenwonend, een van u of allebei met AOW-leeftijd",
}
_PARAMETER_PER_LEEFVORM = {
    1: "alleenstaande_18_tot_21",
    2: "alleenstaande_21_tot_aow",
    3: "alleenstaande_aow",
    4: "gehuwden_beiden_18_tot_21_zonder_kinderen",
    5: "gehuwden_beiden_18_tot_21_met_kinderen",
    6: "gehuwden_een_18_tot_21_zonder_kinderen",
    7: "gehuwden_een_18_tot_21_met_kinderen",
    8: "gehuwden_21_tot_aow",
    9: "gehuwden_aow",
}


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="leefvorm",
    keuzes=LEEFVORMEN,
    keuze_labels=LEEFVORM_LABELS,
    label="Leefvorm voor de bijstandsnorm",
    wet=f"{WET}, artikel 20, 21 en 22",
    zin="Voor de bijstand telt u als: {waarde}.",
)
def bijstand_leefvorm(s):
    jong = s.p("bijstand.jongerenleeftijd")
    minimum = s.p("bijstand.minimumleeftijd")
    leeftijd_a = s("leeftijd_aanvrager")
    leeftijd_p = s("leeftijd_partner")
    partner = s("heeft_partner")
    kinderen = s("aantal_kinderen") > 0
    aow = s("aow_leeftijd_in_huishouden")
    a_jong = leeftijd_a < jong
    p_jong = partner & (leeftijd_p < jong)
    keuzes = [
        leeftijd_a < minimum,
        ~partner & aow,
        ~partner & a_jong,
        ~partner,
        partner & aow,
        partner & a_jong & p_jong & ~kinderen,
        partner & a_jong & p_jong & kinderen,
        partner & (a_jong ^ p_jong) & ~kinderen,
        partner & (a_jong ^ p_jong) & kinderen,
    ]
    uitkomsten = [0, 3, 1, 2, 9, 4, 5, 6, 7]
    return np.select(keuzes, uitkomsten, default=8).astype(np.int8)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Bijstandsnorm zonder kostendelersnorm (inclusief vakantietoeslag)",
    wet=f"{WET}, artikel 20, 21 en 22",
    zin="De bijstandsnorm voor uw leefvorm is {waarde} per maand.",
)
def bijstandsnorm_zonder_kostendelers_per_maand(s):
    leefvorm = s("bijstand_leefvorm")
    norm = np.zeros(s.aantal_huishoudens)
    for code, naam in _PARAMETER_PER_LEEFVORM.items():
        if np.any(leefvorm == code):
            norm = np.where(leefvorm == code, s.p(f"bijstand.normen.{naam}"), norm)
    return norm


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="personen",
    label="Aantal kostendelers (A) inclusief aanvrager en partner",
    wet=f"{WET}, artikel 22a",
)
def aantal_kostendelers(s):
    return 1 + s("heeft_partner").astype(np.int64) + s("aantal_kostendelende_medebewoners")


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Bijstandsnorm (inclusief vakantietoeslag, na kostendelersnorm)",
    wet=f"{WET}, artikel 20-22a",
    zin="Uw bijstandsnorm is {waarde} per maand, inclusief vakantietoeslag.",
)
def bijstandsnorm_per_maand(s):
    regulier = s("bijstandsnorm_zonder_kostendelers_per_maand")
    medebewoners = s("aantal_kostendelende_medebewoners")
    if not np.any(medebewoners > 0):
        return regulier
    aantal = s("aantal_kostendelers")
    leefvorm = s("bijstand_leefvorm")
    aow = s("aow_leeftijd_in_huishouden")
    gehuwdennorm = np.where(
        aow, s.p("bijstand.normen.gehuwden_aow"), s.p("bijstand.normen.gehuwden_21_tot_aow")
    )
    procent = (
        s.p("bijstand.kostendelers.basispercentage")
        + aantal * s.p("bijstand.kostendelers.percentage_per_kostendeler")
    ) / aantal
    personen_met_norm = 1 + s("heeft_partner").astype(np.int64)
    kostendelersnorm = centen(procent / 100.0 * gehuwdennorm) * personen_met_norm
    # Art. 22a applies from 21 years (the youth norms of art. 20 are left as they are).
    van_toepassing = (medebewoners > 0) & np.isin(leefvorm, (2, 3, 8, 9))
    return np.where(van_toepassing, np.minimum(regulier, kostendelersnorm), regulier)


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="EUR",
    label="Vermogensgrens bijstand",
    wet=f"{WET}, artikel 34",
    zin="U mag samen niet meer dan {waarde} vermogen hebben.",
)
def bijstand_vermogensgrens(s):
    gezin = s("heeft_partner") | (s("aantal_kinderen") > 0)
    return np.where(
        gezin, s.p("bijstand.vermogensgrens_gezin"), s.p("bijstand.vermogensgrens_alleenstaand")
    )


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="EUR",
    label="Vermogen van aanvrager en partner (onbekend telt als 0)",
)
def vermogen_aanvrager_partner(s):
    vermogen = np.nan_to_num(s.populatie.vermogen, nan=0.0)
    return s.som(np.where(s("is_aanvrager_of_partner"), vermogen, 0.0))


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Netto inkomen van aanvrager en partner per maand (zonder bijstand en toeslagen)",
    wet=f"{WET}, artikel 32",
    zin="Uw netto inkomen zonder bijstand en toeslagen is {waarde} per maand.",
)
def bijstand_netto_inkomen_per_maand(s):
    netto = np.where(s("is_aanvrager_of_partner"), s("netto_inkomen_per_jaar"), 0.0)
    return centen(s.som(netto) / 12.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Inkomstenvrijlating (deel van het loon dat niet wordt gekort)",
    wet=f"{WET}, artikel 31, tweede lid, onder n",
)
def bijstand_inkomstenvrijlating_per_maand(s):
    if not s.optie("inkomstenvrijlating", False):
        return np.zeros(s.aantal_huishoudens)
    percentage = s.p("bijstand.inkomstenvrijlating_percentage")
    maximum = s.p("bijstand.inkomstenvrijlating_maximum")
    loon = np.where(s("is_aanvrager_of_partner"), s("loon_per_jaar"), 0.0)
    aandeel_loon = np.divide(
        s.som(loon),
        s.som(np.where(s("is_aanvrager_of_partner"), s("box1_inkomen_per_jaar"), 0.0)),
        out=np.zeros(s.aantal_huishoudens),
        where=s.som(loon) > 0,
    )
    vrijlating = percentage * s("bijstand_netto_inkomen_per_maand") * aandeel_loon
    vrijlating = np.minimum(vrijlating, maximum)
    oud_genoeg = s("leeftijd_aanvrager") >= s.p("bijstand.inkomstenvrijlating_minimumleeftijd")
    return centen(np.where(oud_genoeg, vrijlating, 0.0))


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="ja/nee",
    label="Voldoet aan leeftijd en vermogensgrens voor bijstand",
    wet=f"{WET}, artikel 13 en 34",
)
def bijstand_voorwaarden(s):
    return (s("leeftijd_aanvrager") >= s.p("bijstand.minimumleeftijd")) & (
        s("vermogen_aanvrager_partner") <= s("bijstand_vermogensgrens")
    )


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Bijstand per maand (aanvulling tot de norm, inclusief vakantietoeslag)",
    wet=f"{WET}, artikel 11, 19 en 31-32",
    zin="U krijgt {waarde} bijstand per maand (inclusief vakantietoeslag).",
)
def bijstand_per_maand(s):
    tekort = (
        s("bijstandsnorm_per_maand")
        - s("bijstand_netto_inkomen_per_maand")
        + s("bijstand_inkomstenvrijlating_per_maand")
    )
    return np.where(s("bijstand_voorwaarden"), centen(np.maximum(tekort, 0.0)), 0.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Deel van de bijstand dat als vakantietoeslag apart wordt gezet",
    wet=f"{WET}, artikel 19, tweede lid",
    zin="Daarvan is {waarde} per maand vakantietoeslag; die krijgt u één keer per jaar.",
)
def bijstand_vakantietoeslag_per_maand(s):
    return centen(s("bijstand_per_maand") * s.p("bijstand.vakantietoeslag_aandeel"))


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Bijstand die maandelijks wordt uitbetaald (zonder vakantietoeslag)",
    wet=f"{WET}, artikel 19",
    zin="Elke maand krijgt u {waarde} bijstand op uw rekening.",
)
def bijstand_zonder_vakantietoeslag_per_maand(s):
    return centen(s("bijstand_per_maand") - s("bijstand_vakantietoeslag_per_maand"))


@variabele(
    entiteit=PERSOON,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Bruto bijstand per jaar (telt mee in het toetsingsinkomen voor toeslagen)",
    wet="Algemene wet inkomensafhankelijke regelingen, artikel 8",
)
def bruto_bijstand_per_jaar(s):
    rol = s.populatie.rol
    aandeel = np.where(
        rol == AANVRAGER,
        np.where(s.naar_personen(s("heeft_partner")), 0.5, 1.0),
        np.where(rol == PARTNER, 0.5, 0.0),
    )
    netto = s.naar_personen(s("bijstand_per_maand") * 12.0) * aandeel
    bruto = np.zeros_like(netto)
    wie = np.flatnonzero(netto > 0)
    if wie.size == 0:
        return bruto
    # Gross-up: the gemeente pays loonheffing on top of the net bijstand. Solve
    # f(g) = g - (tax(income + g) - tax(income)) - net = 0. f is increasing and piecewise
    # linear (marginal rate < 1), so Newton steps with a finite-difference slope reach the
    # right segment in a few iterations; fixed-point steps finish any remaining case. Taxable
    # income is in whole euros and the gross amount is rounded to euros, so half a euro is
    # precise enough.
    inkomen = s("box1_inkomen_per_jaar")[wie]
    arbeid = s("loon_per_jaar")[wie]
    aow = s("aow_leeftijd_bereikt")[wie]
    iack = s("iack_recht")[wie]

    def belasting(extra):
        return inkomstenbelasting(s, inkomen + extra, arbeid, aow, iack, afronden=False)[
            "inkomstenbelasting"
        ]

    basis = belasting(0.0)
    doel = netto[wie]
    schatting = doel.copy()
    for _ in range(6):
        huidig = belasting(schatting)
        helling = 1.0 - (belasting(schatting + 1.0) - huidig)
        fout = schatting - (huidig - basis) - doel
        nieuw = np.maximum(doel, schatting - fout / np.maximum(helling, 0.05))
        klaar = np.all(np.abs(nieuw - schatting) < 0.5)
        schatting = nieuw
        if klaar:
            break
    for _ in range(40):
        if klaar:
            break
        nieuw = doel + belasting(schatting) - basis
        klaar = np.all(np.abs(nieuw - schatting) < 0.5)
        schatting = nieuw
    bruto[wie] = np.floor(schatting + 0.5)
    return bruto
