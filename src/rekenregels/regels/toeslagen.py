"""Toeslagen: toetsingsinkomen, zorgtoeslag, huurtoeslag, kindgebonden budget; and
kinderbijslag (SVB).

Scope (documented simplifications): the household's aanvrager and partner form the
toeslagpartners; adult children and medebewoners are not computed as their own toeslag
households (they only count in the huurtoeslag income); the income of children is not
counted for huurtoeslag; the 50 % rule for a partner who is not insured (Wzt art. 2 lid 4)
is not modelled.
"""

from __future__ import annotations

import numpy as np

from ..engine import HUISHOUDEN, PERSOON, centen, variabele
from ..populatie import HUUR, KIND, MEDEBEWONER, WONING_ONBEKEND

AWIR = "Algemene wet inkomensafhankelijke regelingen"
WZT = "Wet op de zorgtoeslag"
WHT = "Wet op de huurtoeslag"
WKB = "Wet op het kindgebonden budget"
AKW = "Algemene Kinderbijslagwet"


@variabele(
    entiteit=PERSOON,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Toetsingsinkomen (gegeven, of bruto inkomen plus bruto bijstand)",
    wet=f"{AWIR}, artikel 8",
    zin="Het toetsingsinkomen is {waarde} per jaar.",
)
def toetsingsinkomen_per_jaar(s):
    gegeven = s.populatie.toetsingsinkomen_per_jaar
    bekend = np.isfinite(gegeven)
    if bekend.all():
        return gegeven
    berekend = s("box1_inkomen_per_jaar") + s("bruto_bijstand_per_jaar")
    return np.where(bekend, gegeven, berekend)


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Gezamenlijk toetsingsinkomen van aanvrager en toeslagpartner",
    wet=f"{AWIR}, artikel 8",
    zin="Uw (gezamenlijke) toetsingsinkomen is {waarde} per jaar.",
)
def toetsingsinkomen_toeslagpartners(s):
    return s.som(np.where(s("is_aanvrager_of_partner"), s("toetsingsinkomen_per_jaar"), 0.0))


# --- zorgtoeslag ------------------------------------------------------------------------


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Normpremie",
    wet=f"{WZT}, artikel 2, derde lid",
    zin="Van de zorgpremie moet u zelf {waarde} per jaar betalen (normpremie).",
)
def zorgtoeslag_normpremie(s):
    drempel = s.p("zorgtoeslag.drempelinkomen")
    percentage = np.where(
        s("heeft_partner"),
        s.p("zorgtoeslag.normpremie_percentage_partner"),
        s.p("zorgtoeslag.normpremie_percentage_alleenstaand"),
    )
    boven = np.maximum(0.0, s("toetsingsinkomen_toeslagpartners") - drempel)
    return percentage * drempel + s.p("zorgtoeslag.afbouwpercentage") * boven


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="ja/nee",
    label="Voldoet aan leeftijd en vermogensgrens zorgtoeslag",
    wet=f"{WZT}, artikel 2 en 3",
)
def zorgtoeslag_voorwaarden(s):
    grens = np.where(
        s("heeft_partner"),
        s.p("zorgtoeslag.vermogensgrens_partner"),
        s.p("zorgtoeslag.vermogensgrens_alleenstaand"),
    )
    return (s("leeftijd_aanvrager") >= s.p("zorgtoeslag.minimumleeftijd")) & (
        s("vermogen_aanvrager_partner") <= grens
    )


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Zorgtoeslag per jaar",
    wet=f"{WZT}, artikel 2; {AWIR}, artikel 26",
    zin="U krijgt {waarde} zorgtoeslag per jaar.",
)
def zorgtoeslag_per_jaar(s):
    standaardpremie = s.p("zorgtoeslag.standaardpremie") * np.where(s("heeft_partner"), 2.0, 1.0)
    bedrag = centen(np.maximum(0.0, standaardpremie - s("zorgtoeslag_normpremie")))
    genoeg = bedrag >= s.p("toeslagen.minimum_jaarbedrag")
    return np.where(s("zorgtoeslag_voorwaarden") & genoeg, bedrag, 0.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Zorgtoeslag per maand",
    wet=f"{WZT}, artikel 2",
    zin="Dat is {waarde} per maand.",
)
def zorgtoeslag_per_maand(s):
    return centen(s("zorgtoeslag_per_jaar") / 12.0)


# --- huurtoeslag ------------------------------------------------------------------------


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Rekenhuur (kale huur plus meetellende servicekosten)",
    wet=f"{WHT}, artikel 5",
    zin="Voor de huurtoeslag telt een huur van {waarde} per maand.",
)
def huurtoeslag_rekenhuur(s):
    kale_huur = s.populatie.kale_huur_per_maand
    # Unknown rent: assume the highest rent that still counts (favourable; answer = misschien).
    kale_huur = np.where(np.isfinite(kale_huur), kale_huur, s("huurtoeslag_maximale_rekenhuur"))
    service = np.minimum(
        s.populatie.servicekosten_per_maand, s.p("huurtoeslag.maximale_servicekosten")
    )
    return kale_huur + service


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Maximale rekenhuur (lager voor jongeren)",
    wet=f"{WHT}, artikel 13",
)
def huurtoeslag_maximale_rekenhuur(s):
    jong = s.maximum(s("leeftijd")) < s.p("huurtoeslag.jongerenleeftijd")
    return np.where(
        jong, s.p("huurtoeslag.maximale_rekenhuur_jongeren"), s.p("huurtoeslag.maximale_rekenhuur")
    )


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Rekeninkomen huurtoeslag (aanvrager, partner en medebewoners)",
    wet=f"{WHT}, artikel 1 en 8; {AWIR}, artikel 8",
    zin="Voor de huurtoeslag telt een inkomen van {waarde} per jaar.",
)
def huurtoeslag_rekeninkomen(s):
    rol = s.populatie.rol
    inkomen = s("toetsingsinkomen_per_jaar")
    telt = s("is_aanvrager_of_partner") | (rol == MEDEBEWONER)
    # A child's income counts above the vrijstelling while the child is younger than 23.
    jong_kind = (rol == KIND) & (s("leeftijd") < s.p("huurtoeslag.leeftijd_kind_vrijstelling"))
    kind_inkomen = np.where(
        jong_kind,
        np.maximum(0.0, inkomen - s.p("huurtoeslag.vrijstelling_inkomen_kind")),
        inkomen,
    )
    return s.som(np.where(telt, inkomen, np.where(rol == KIND, kind_inkomen, 0.0)))


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Basishuur (eigen bijdrage)",
    wet=f"{WHT}, artikel 17 en 19",
    zin="U betaalt zelf in elk geval {waarde} per maand aan huur (basishuur).",
)
def huurtoeslag_basishuur(s):
    inkomen = s("huurtoeslag_rekeninkomen")
    een = s.p("huurtoeslag.basishuur_eenpersoons")
    meer = s.p("huurtoeslag.basishuur_meerpersoons")
    meerpersoons = s("aantal_personen") >= 2
    a = np.where(meerpersoons, meer["a"], een["a"])
    b = np.where(meerpersoons, meer["b"], een["b"])
    c = np.where(meerpersoons, meer["c"], een["c"])
    formule = a * inkomen * inkomen + b * inkomen + c
    return centen(np.maximum(s.p("huurtoeslag.minimum_basishuur"), formule))


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="ja/nee",
    label="Voldoet aan de voorwaarden voor huurtoeslag (huurwoning, leeftijd, vermogen, huurgrens)",
    wet=f"{WHT}, artikel 9, 13 en 14",
)
def huurtoeslag_voorwaarden(s):
    woningsoort = s.populatie.woningsoort
    huur = (woningsoort == HUUR) | (woningsoort == WONING_ONBEKEND)
    grens = np.where(
        s("heeft_partner"),
        s.p("huurtoeslag.vermogensgrens_partner"),
        s.p("huurtoeslag.vermogensgrens_alleenstaand"),
    )
    voldoet = (
        huur
        & (s("leeftijd_aanvrager") >= s.p("huurtoeslag.minimumleeftijd"))
        & (s("vermogen_aanvrager_partner") <= grens)
    )
    if s.p("huurtoeslag.huurgrens_is_voorwaarde"):
        voldoet &= s("huurtoeslag_rekenhuur") <= s("huurtoeslag_maximale_rekenhuur") + 1e-9
    return voldoet


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Huurtoeslag per maand",
    wet=f"{WHT}, artikel 20 en 21",
    zin="U krijgt {waarde} huurtoeslag per maand.",
)
def huurtoeslag_per_maand(s):
    huur = np.minimum(s("huurtoeslag_rekenhuur"), s("huurtoeslag_maximale_rekenhuur"))
    basis = s("huurtoeslag_basishuur")
    kwaliteit = s.p("huurtoeslag.kwaliteitskortingsgrens")
    aftopping = np.where(
        s("aantal_personen") >= 3,
        s.p("huurtoeslag.aftoppingsgrens_hoog"),
        s.p("huurtoeslag.aftoppingsgrens_laag"),
    )
    deel_1 = np.maximum(0.0, np.minimum(huur, kwaliteit) - basis)
    deel_2 = np.maximum(0.0, np.minimum(huur, aftopping) - np.maximum(basis, kwaliteit))
    deel_3 = np.maximum(0.0, huur - np.maximum(basis, aftopping))
    bedrag = centen(
        deel_1 * s.p("huurtoeslag.vergoeding_tot_kwaliteitskortingsgrens")
        + deel_2 * s.p("huurtoeslag.vergoeding_tot_aftoppingsgrens")
        + deel_3 * s.p("huurtoeslag.vergoeding_boven_aftoppingsgrens")
    )
    genoeg = bedrag * 12.0 >= s.p("toeslagen.minimum_jaarbedrag")
    return np.where(s("huurtoeslag_voorwaarden") & genoeg, bedrag, 0.0)


@variabele(entiteit=HUISHOUDEN, periode="jaar", eenheid="EUR/jaar", label="Huurtoeslag per jaar")
def huurtoeslag_per_jaar(s):
    return centen(s("huurtoeslag_per_maand") * 12.0)


# --- kinderbijslag ----------------------------------------------------------------------


@variabele(
    entiteit=HUISHOUDEN,
    periode="kwartaal",
    eenheid="EUR/kwartaal",
    label="Kinderbijslag per kwartaal",
    wet=f"{AKW}, artikel 7 en 12",
    zin="U krijgt {waarde} kinderbijslag per kwartaal.",
)
def kinderbijslag_per_kwartaal(s):
    leeftijd = s("leeftijd_begin_kwartaal")
    kind = (s.populatie.rol == KIND) & (leeftijd < s.p("kinderbijslag.maximumleeftijd"))
    bedrag = np.select(
        [leeftijd < 6, leeftijd < 12],
        [s.p("kinderbijslag.bedrag_0_tot_6"), s.p("kinderbijslag.bedrag_6_tot_12")],
        default=s.p("kinderbijslag.bedrag_12_tot_18"),
    )
    return centen(s.som(np.where(kind & (leeftijd >= 0), bedrag, 0.0)))


@variabele(
    entiteit=HUISHOUDEN,
    periode="maand",
    eenheid="EUR/maand",
    label="Kinderbijslag omgerekend per maand",
)
def kinderbijslag_per_maand(s):
    return centen(s("kinderbijslag_per_kwartaal") / 3.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Kinderbijslag per jaar (4 kwartalen)",
)
def kinderbijslag_per_jaar(s):
    return centen(s("kinderbijslag_per_kwartaal") * 4.0)


# --- kindgebonden budget ----------------------------------------------------------------


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Maximaal kindgebonden budget (per kind, leeftijdstoeslagen, alleenstaande-ouderkop)",
    wet=f"{WKB}, artikel 2, eerste tot en met derde lid",
    zin="Het kindgebonden budget is hoogstens {waarde} per jaar.",
)
def kindgebonden_budget_maximum(s):
    leeftijd = s("leeftijd")
    kind = (s.populatie.rol == KIND) & (leeftijd < s.p("kindgebonden_budget.maximumleeftijd_kind"))
    per_kind = (
        s.p("kindgebonden_budget.bedrag_per_kind")
        + np.where(
            (leeftijd >= 12) & (leeftijd < 16), s.p("kindgebonden_budget.toeslag_12_tot_16"), 0.0
        )
        + np.where(leeftijd >= 16, s.p("kindgebonden_budget.toeslag_16_tot_18"), 0.0)
    )
    totaal = s.som(np.where(kind, per_kind, 0.0))
    kop = np.where(s("alleenstaande_ouder"), s.p("kindgebonden_budget.alleenstaande_ouderkop"), 0.0)
    return np.where(totaal > 0, totaal + kop, 0.0)


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Vermindering kindgebonden budget door inkomen boven de drempel",
    wet=f"{WKB}, artikel 2, zesde lid",
    zin="Door uw inkomen gaat er {waarde} per jaar af.",
)
def kindgebonden_budget_vermindering(s):
    drempel = np.where(
        s("heeft_partner"),
        s.p("kindgebonden_budget.drempel_partners"),
        s.p("kindgebonden_budget.drempel_alleenstaand"),
    )
    boven = np.maximum(0.0, s("toetsingsinkomen_toeslagpartners") - drempel)
    return centen(s.p("kindgebonden_budget.afbouwpercentage") * boven)


@variabele(
    entiteit=HUISHOUDEN,
    periode="jaar",
    eenheid="EUR/jaar",
    label="Kindgebonden budget per jaar",
    wet=f"{WKB}, artikel 2 en 3",
    zin="U krijgt {waarde} kindgebonden budget per jaar.",
)
def kindgebonden_budget_per_jaar(s):
    grens = np.where(
        s("heeft_partner"),
        s.p("kindgebonden_budget.vermogensgrens_partner"),
        s.p("kindgebonden_budget.vermogensgrens_alleenstaand"),
    )
    bedrag = np.maximum(
        0.0, s("kindgebonden_budget_maximum") - s("kindgebonden_budget_vermindering")
    )
    # Kindgebonden budget requires kinderbijslag for the child (Wkb art. 1).
    voldoet = (
        (s("vermogen_aanvrager_partner") <= grens)
        & (s("kinderbijslag_per_kwartaal") > 0)
        & (bedrag >= s.p("toeslagen.minimum_jaarbedrag"))
    )
    return np.where(voldoet, centen(bedrag), 0.0)


@variabele(
    entiteit=HUISHOUDEN, periode="maand", eenheid="EUR/maand", label="Kindgebonden budget per maand"
)
def kindgebonden_budget_per_maand(s):
    return centen(s("kindgebonden_budget_per_jaar") / 12.0)
