"""Fixed facts of the demo municipality "Voorbeeld": names, proportions, amounts, accounts.

Everything here is fictional, except the amounts and proportions, which carry their source.
"""

from datetime import date
from decimal import Decimal

from perspectief.toegang.constants import Rol

GEMEENTE_NAAM = "Voorbeeld"
GEMEENTE_CBS_CODE = "GM9999"  # not a real CBS municipality code (they run from GM0003 to about GM2000)
GEMEENTE_SLUG = "voorbeeld"
WIJKTEAM_TELEFOON = "14 099"  # fictional; the "14 + area code" form Dutch municipalities use
WIJKTEAM_EMAIL = "wijkteam@voorbeeld.example"  # .example is reserved (RFC 2606): never delivered
WOONPLAATS = "Voorbeeld"

DEFAULT_SEED = 2026
# Ages are computed against a fixed date, so the same seed gives the same people every day.
PEILDATUM = date(2026, 1, 1)
AOW_LEEFTIJD = 67  # 2024-2027 (SVB, "uw AOW-leeftijd"); also in src/rekenregels/parameters/algemeen.yaml

# The known password of every demo account. Demo accounts exist only where someone ran
# `manage.py demo_genereren`; never run it on a database with real people in it.
DEMO_PASSWORD = "Voorbeeld-Demo-2026!"
DEMO_USERNAME_PREFIX = "demo."
TOTP_SECRET_SALT = "perspectief-demo-totp-v1"

# --- Wijken and teams -------------------------------------------------------------------
# (name, CBS-style wijk code, street-name stems, team index). Fictional names; each wijk has
# its own theme for street names, like many Dutch towns.
WIJKEN: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("Centrum", "WK999900", ("Markt", "Kerk", "Molen", "Raadhuis", "Brouwers", "Smeden", "Vismarkt", "Wal"), 0),
    ("Havenkwartier", "WK999901", ("Zeilmakers", "Loodsen", "Ankers", "Boeg", "Kompas", "Steiger", "Dok", "Vuurtoren"), 0),
    ("Bloemenbuurt", "WK999902", ("Tulp", "Roos", "Anjer", "Lelie", "Krokus", "Narcis", "Iris", "Dahlia"), 0),
    ("Vogelwijk", "WK999903", ("Merel", "Lijster", "Spreeuw", "Mees", "Kievit", "Zwaluw", "Reiger", "Specht"), 1),
    ("De Bomen", "WK999904", ("Eiken", "Beuken", "Linden", "Essen", "Berken", "Wilgen", "Populier", "Kastanje"), 1),
    ("Oude Akkers", "WK999905", ("Akker", "Hooiberg", "Schuur", "Dorsvloer", "Ploeg", "Zaaier", "Oogst", "Boomgaard"), 1),
    ("Sterrenwijk", "WK999906", ("Poolster", "Komeet", "Maan", "Zon", "Orion", "Melkweg", "Planeet", "Dageraad"), 2),
    ("Beekdal", "WK999907", ("Beek", "Bron", "Oever", "Watermolen", "Vonder", "Stuw", "Plas", "Rietland"), 2),
)
STRAAT_SUFFIXES = ("straat", "laan", "weg", "hof", "plein", "pad")
# Each wijk gets its own block of ten 4-digit postcode numbers. The postcodes are valid in
# form (4 digits, 2 letters, no SA/SD/SS); they belong to no address in this fictional town.
POSTCODE_BASIS = 9910
HUISNUMMERS_PER_STRAAT = 160  # after that, flats: toevoeging "A", "B", ...
HUISNUMMERS_PER_POSTCODE = 24

TEAMS = ("Wijkteam Noord", "Wijkteam Midden", "Wijkteam Zuid")
# Share of households not yet assigned to any team (new registrations).
AANDEEL_ZONDER_TEAM = 0.05
# Share of households of Wijkteam Midden whose vaste contactpersoon is the demo klantmanager
# (who is in Wijkteam Noord): in the caseload through the contactpersoon, not the team.
AANDEEL_CONTACTPERSOON_BUITEN_TEAM = 0.03
# Share of households of the demo klantmanager's own team with that person as contactpersoon.
AANDEEL_CONTACTPERSOON_EIGEN_TEAM = 0.10

# --- Demo accounts ----------------------------------------------------------------------
# (role, username, first name, last name, team indexes)
MEDEWERKERS: tuple[tuple[str, str, str, str, tuple[int, ...]], ...] = (
    (Rol.KLANTMANAGER, "demo.klantmanager", "Kim", "Klantmanager", (0,)),
    (Rol.BUDGETBEHEERDER, "demo.budgetbeheerder", "Bo", "Budgetbeheer", (1,)),
    # A second budgetbeheerder (Noord): approves the batches demo.budgetbeheerder prepares (four eyes).
    (Rol.BUDGETBEHEERDER, "demo.budgetbeheerder2", "Mo", "Meekijker", (0,)),
    (Rol.SCHULDHULPVERLENER, "demo.schuldhulpverlener", "Sanne", "Schuldhulp", (2,)),
    (Rol.BUDDY, "demo.buddy", "Bram", "Buddy", ()),
    (Rol.ARMOEDEREGISSEUR, "demo.armoederegisseur", "Ayla", "Regie", ()),
    (Rol.FUNCTIONEEL_BEHEERDER, "demo.beheerder", "Femke", "Beheer", ()),
)
INWONER_USERNAME = "demo.inwoner"
# Households the demo buddy supports (active koppeling), and one ended koppeling.
BUDDY_KOPPELINGEN = 5

# --- Household composition ---------------------------------------------------------------
# Shares of all households, from CBS StatLine 37975 "Particuliere huishoudens naar
# samenstelling en grootte, 1 januari" (2024: 8,374,404 households, of which 3,340,560
# one-person = 39.9 %, 2,385,910 multi-person without children = 28.5 %, 2,647,934 with
# children = 31.6 %) and 71487ned "Huishoudens; kindertal" (2023: 610,633 of 2,645,269
# households with children are one-parent = 23 %, i.e. 7.3 % of all households).
# ASSUMPTION (not CBS): the split of singles and couples by AOW age (about 30 % of singles,
# 40 % of childless couples) and the 4 % with medebewoners (taken from the multi-person
# households without children; CBS 37620 counts 286,775 "overig lid huishouden" in 2024).
# The demo does not re-weight for low incomes, where singles and one-parent households
# are over-represented.
SAMENSTELLINGEN: tuple[tuple[str, float], ...] = (
    ("alleenstaand", 0.28),
    ("alleenstaand_aow", 0.12),
    ("paar", 0.145),
    ("paar_aow", 0.095),
    ("paar_met_kinderen", 0.24),
    ("eenouder", 0.08),
    ("met_medebewoners", 0.04),
)
# Number of children: CBS 71487ned (2023). Couples with children: 1 kind 771,000 (38 %),
# 2 kinderen 905,000 (44 %), 3+ 358,000 (18 %); one-parent: 62 % / 29 % / 9 %.
# ASSUMPTION: "3 or more" is 3 children in 4 of 5 cases and 4 otherwise.
KINDEREN_PAAR = ((1, 0.38), (2, 0.44), (3, 0.144), (4, 0.036))
KINDEREN_EENOUDER = ((1, 0.62), (2, 0.29), (3, 0.072), (4, 0.018))

# --- Incomes around the social minimum (per month) ----------------------------------------
# Source: /work/shared/research/regels.md section 4.5 (bijstandsnormen, net per month incl.
# vakantietoeslag) and WML. The 2026 bijstandsnormen were NOT FOUND authoritatively; the
# demo uses the most recent figures listed there, marked with their confidence.
BIJSTAND_ALLEENSTAANDE = Decimal("1369.06")  # 1-7-2025 per regels.md (UNVERIFIED); 1-1-2025: 1,345.45 (OK)
BIJSTAND_GEHUWDEN = Decimal("1955.80")  # 1-7-2025 per regels.md (UNVERIFIED); 1-1-2025: 1,922.07 (OK)
# AOW age: the social minimum is the bijstandsnorm for AOW age (AOW topped up by AIO).
SOCIAAL_MINIMUM_AOW_ALLEENSTAANDE = Decimal("1501.07")  # 1-1-2025 (OK, gemeentewestland.nl normenoverzicht 2025)
SOCIAAL_MINIMUM_AOW_GEHUWDEN = Decimal("2053.48")  # 1-1-2025 (OK), paid as half to each partner
WML_PER_UUR = Decimal("14.71")  # wettelijk minimumuurloon 1-1-2026 (PROB: blikopnieuws.nl citing SZW)
WEKEN_PER_MAAND = Decimal(52) / Decimal(12)
# Part-time hours per week for people on minimum wage (ASSUMPTION: 12 to 32 hours).
DEELTIJD_UREN = (12, 16, 20, 24, 28, 32)

# --- Names (fictional people; common Dutch names, combined at random) ---------------------
VOORNAMEN = (
    "Anna", "Emma", "Julia", "Sophie", "Lotte", "Sara", "Fleur", "Noor", "Eva", "Lisa", "Fatima", "Yasmina",
    "Amira", "Ilse", "Marieke", "Petra", "Ingrid", "Wilma", "Greet", "Joke", "Annelies", "Chantal", "Samira",
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Thomas", "Jesse", "Mohammed", "Youssef", "Ahmet",
    "Kees", "Henk", "Jan", "Piet", "Gerrit", "Willem", "Ruud", "Dennis", "Marco", "Kevin", "Stefan", "Bas",
    "Mehmet", "Rachid", "Priya", "Tomasz", "Agnieszka", "Dewi", "Ravi", "Ngozi", "Kofi", "Elif", "Zeynep",
)
KINDERNAMEN = (
    "Tess", "Mila", "Zoë", "Nora", "Liv", "Yara", "Saar", "Roos", "Isa", "Elin", "Lina", "Aya",
    "Noah", "Luuk", "Sam", "Bram", "Mees", "Jens", "Adam", "Ryan", "Ziggy", "Olivier", "Ibrahim", "Teun",
)
ACHTERNAMEN: tuple[tuple[str, str], ...] = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"), ("", "Janssen"),
    ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
    ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"),
    ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"),
    ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("de", "Jong"), ("", "Schouten"), ("", "Willems"),
    ("", "Yilmaz"), ("", "El Amrani"), ("", "Kaya"), ("", "Bouzid"), ("", "Nowak"), ("", "Kowalski"),
    ("", "Pinas"), ("", "Doekhi"), ("", "Mensah"), ("", "Nguyen"), ("", "Ramdin"), ("", "Tahiri"),
)
