"""The deterministic part of the demo: which households, people and incomes there are.

Pure Python, no database: `huishoudens_genereren(aantal=..., seed=...)` yields the same
households in the same order for the same seed, on every machine and every day (ages are
computed against the fixed PEILDATUM). `services.demo_gemeente_genereren` writes them.

Test BSNs: every person gets a BSN from the block 990000000-999999999 that passes the
11-proef (about 909,000 numbers). See `bsn_testreeks` for why that block is safe.
"""

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from string import ascii_uppercase

from perspectief.huishoudens.constants import InkomenSoort, RolInHuishouden

from . import constants as c

BSN_EERSTE = 990_000_000
BSN_LAATSTE = 999_999_999


@dataclass(frozen=True, slots=True)
class DemoInkomen:
    soort: str
    omschrijving: str
    bruto_per_maand: Decimal


@dataclass(frozen=True, slots=True)
class DemoPersoon:
    rol: str
    voornamen: str
    tussenvoegsel: str
    achternaam: str
    geboortedatum: date
    bsn: str
    email: str
    inkomsten: tuple[DemoInkomen, ...]


@dataclass(frozen=True, slots=True)
class DemoAdres:
    wijk_index: int
    straat: str
    huisnummer: int
    toevoeging: str
    postcode: str


@dataclass(frozen=True, slots=True)
class DemoHuishouden:
    nummer: int
    uuid: uuid.UUID
    samenstelling: str
    adres: DemoAdres
    team_index: int | None
    # True: the demo klantmanager is the vaste contactpersoon.
    contactpersoon_klantmanager: bool
    personen: tuple[DemoPersoon, ...]

    @property
    def naam(self) -> str:
        """The household's display name, as huishoudens.services derives it from the aanvrager."""
        aanvrager = self.personen[0]
        return " ".join(part for part in (aanvrager.tussenvoegsel, aanvrager.achternaam) if part)


def bsn_is_geldig(nummer: int) -> bool:
    """The BSN 11-proef: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11 (and not 0)."""
    digits = f"{nummer:09d}"
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and total != 0


def bsn_testreeks() -> Iterator[str]:
    """Valid BSNs from 990000000 upwards, in order.

    Why this block: numbers starting with 9 are by convention used for testing in the
    Netherlands, and RvIG's BRP/BV BSN test sets use numbers starting with 9999; the block
    99999xxxx alone holds only 909 valid numbers, too few for a town. We found no RvIG
    statement that the whole 99-block will never be issued; the demo data is fictional
    and the BSNs are stored only encrypted, so even a coincidence with a real number links
    no real person to anything.
    """
    # Each 8-digit prefix has at most one check digit that passes the 11-proef.
    for prefix in range(BSN_EERSTE // 10, BSN_LAATSTE // 10 + 1):
        digits = f"{prefix:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10 and total - check != 0:
            yield f"{digits}{check}"


# Postcode letter pairs in order; SA, SD and SS are never used in Dutch postcodes.
_LETTERPAREN = tuple(
    a + b for a in ascii_uppercase for b in ascii_uppercase if a + b not in {"SA", "SD", "SS"}
)


def _straten(wijk_index: int) -> tuple[str, ...]:
    stems = c.WIJKEN[wijk_index][2]
    return tuple(stem + suffix for suffix in c.STRAAT_SUFFIXES for stem in stems)


def adres_voor(wijk_index: int, volgnummer: int) -> DemoAdres:
    """The volgnummer-th address in a wijk: streets fill round-robin, flats after the last house."""
    straten = _straten(wijk_index)
    straat_index = volgnummer % len(straten)
    plek = volgnummer // len(straten)
    huisnummer = plek % c.HUISNUMMERS_PER_STRAAT + 1
    verdieping = plek // c.HUISNUMMERS_PER_STRAAT
    if verdieping == 0:
        toevoeging = ""
    elif verdieping <= 26:
        toevoeging = ascii_uppercase[verdieping - 1]
    else:
        toevoeging = str(verdieping)
    cijfers = c.POSTCODE_BASIS + wijk_index * 10 + straat_index % 10
    paren_per_straat = c.HUISNUMMERS_PER_STRAAT // c.HUISNUMMERS_PER_POSTCODE + 1
    letters = _LETTERPAREN[(straat_index // 10) * paren_per_straat + (huisnummer - 1) // c.HUISNUMMERS_PER_POSTCODE]
    return DemoAdres(wijk_index, straten[straat_index], huisnummer, toevoeging, f"{cijfers} {letters}")


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _kies(rng: random.Random, gewogen: tuple[tuple[object, float], ...]):
    value = rng.random() * sum(w for _, w in gewogen)
    for item, weight in gewogen:
        value -= weight
        if value < 0:
            return item
    return gewogen[-1][0]


class _Bouwer:
    """Builds households one by one from one random stream."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.bsns = bsn_testreeks()
        self.adressen_per_wijk = [0] * len(c.WIJKEN)
        self.email_teller = 0

    # --- people -----------------------------------------------------------------------
    def geboortedatum(self, leeftijd: int) -> date:
        # Born between 2 January and 31 December of this year: exactly `leeftijd` on PEILDATUM.
        jaar = c.PEILDATUM.year - leeftijd - 1
        return date(jaar, 1, 2) + timedelta(days=self.rng.randrange(364))

    def bsn(self) -> str:
        try:
            return next(self.bsns)
        except StopIteration:
            raise ValueError("Te veel personen voor de reeks test-BSN's (990000000-999999999).") from None

    def achternaam(self) -> tuple[str, str]:
        return self.rng.choice(c.ACHTERNAMEN)

    def email(self, voornaam: str, achternaam: str) -> str:
        self.email_teller += 1
        local = f"{voornaam}.{achternaam}".lower().replace(" ", "")
        return f"{local}.{self.email_teller}@voorbeeld.example"

    def persoon(
        self, rol: str, leeftijd: int, naam: tuple[str, str], inkomsten=(), *, kind=False, email=False
    ) -> DemoPersoon:
        voornaam = self.rng.choice(c.KINDERNAMEN if kind else c.VOORNAMEN)
        tussenvoegsel, achternaam = naam
        return DemoPersoon(
            rol=rol,
            voornamen=voornaam,
            tussenvoegsel=tussenvoegsel,
            achternaam=achternaam,
            geboortedatum=self.geboortedatum(leeftijd),
            bsn=self.bsn(),
            email=self.email(voornaam, achternaam) if email else "",
            inkomsten=tuple(inkomsten),
        )

    # --- incomes ----------------------------------------------------------------------
    def loon(self) -> DemoInkomen:
        uren = self.rng.choice(c.DEELTIJD_UREN)
        bedrag = _cents(uren * c.WEKEN_PER_MAAND * c.WML_PER_UUR)
        return DemoInkomen(InkomenSoort.LOON, f"Loon, {uren} uur per week (minimumloon)", bedrag)

    @staticmethod
    def bijstand(bedrag: Decimal, norm: str) -> DemoInkomen:
        return DemoInkomen(InkomenSoort.UITKERING, f"Bijstand ({norm})", _cents(bedrag))

    @staticmethod
    def aow(bedrag: Decimal) -> DemoInkomen:
        return DemoInkomen(InkomenSoort.UITKERING, "AOW, aangevuld tot het sociaal minimum", _cents(bedrag))

    @staticmethod
    def kostendelersnorm(kostendelers: int) -> Decimal:
        # Participatiewet art. 22a: ((40 + 30 * A) / A) % of the gehuwdennorm.
        return c.BIJSTAND_GEHUWDEN * Decimal(40 + 30 * kostendelers) / Decimal(100 * kostendelers)

    # --- households -------------------------------------------------------------------
    def kinderen(self, aantal: int, naam: tuple[str, str], jongste_ouder: int) -> list[DemoPersoon]:
        hoogste = max(0, min(17, jongste_ouder - 18))
        return [
            self.persoon(RolInHuishouden.KIND, self.rng.randint(0, hoogste), naam, kind=True) for _ in range(aantal)
        ]

    def personen(self, samenstelling: str) -> list[DemoPersoon]:
        rng = self.rng
        naam = self.achternaam()
        aanvrager_rol = RolInHuishouden.AANVRAGER
        if samenstelling == "alleenstaand":
            inkomen = self.bijstand(c.BIJSTAND_ALLEENSTAANDE, "norm alleenstaande") if rng.random() < 0.65 else self.loon()
            return [self.persoon(aanvrager_rol, rng.randint(21, c.AOW_LEEFTIJD - 1), naam, [inkomen], email=rng.random() < 0.5)]
        if samenstelling == "alleenstaand_aow":
            return [self.persoon(aanvrager_rol, rng.randint(c.AOW_LEEFTIJD, 92), naam, [self.aow(c.SOCIAAL_MINIMUM_AOW_ALLEENSTAANDE)])]
        if samenstelling == "paar_aow":
            half = c.SOCIAAL_MINIMUM_AOW_GEHUWDEN / 2
            leeftijd = rng.randint(c.AOW_LEEFTIJD, 90)
            partner_naam = naam if rng.random() < 0.6 else self.achternaam()
            return [
                self.persoon(aanvrager_rol, leeftijd, naam, [self.aow(half)]),
                self.persoon(RolInHuishouden.PARTNER, max(c.AOW_LEEFTIJD, leeftijd + rng.randint(-4, 4)), partner_naam, [self.aow(half)]),
            ]
        if samenstelling in ("paar", "paar_met_kinderen"):
            met_kinderen = samenstelling == "paar_met_kinderen"
            leeftijd = rng.randint(24, 55) if met_kinderen else rng.randint(21, c.AOW_LEEFTIJD - 1)
            partner_leeftijd = min(c.AOW_LEEFTIJD - 1, max(20, leeftijd + rng.randint(-5, 5)))
            keuze = rng.random()
            if keuze < (0.45 if met_kinderen else 0.55):
                inkomen_aanvrager, inkomen_partner = [self.bijstand(c.BIJSTAND_GEHUWDEN, "gehuwdennorm")], []
            elif keuze < 0.85:
                inkomen_aanvrager, inkomen_partner = [self.loon()], []
            else:
                inkomen_aanvrager, inkomen_partner = [self.loon()], [self.loon()]
            partner_naam = naam if rng.random() < 0.5 else self.achternaam()
            result = [
                self.persoon(aanvrager_rol, leeftijd, naam, inkomen_aanvrager, email=rng.random() < 0.5),
                self.persoon(RolInHuishouden.PARTNER, partner_leeftijd, partner_naam, inkomen_partner),
            ]
            if met_kinderen:
                result += self.kinderen(_kies(rng, c.KINDEREN_PAAR), naam, min(leeftijd, partner_leeftijd))
            return result
        if samenstelling == "eenouder":
            leeftijd = rng.randint(20, 55)
            inkomen = self.bijstand(c.BIJSTAND_ALLEENSTAANDE, "norm alleenstaande ouder") if rng.random() < 0.7 else self.loon()
            ouder = self.persoon(aanvrager_rol, leeftijd, naam, [inkomen], email=rng.random() < 0.5)
            return [ouder, *self.kinderen(_kies(rng, c.KINDEREN_EENOUDER), naam, leeftijd)]
        if samenstelling == "met_medebewoners":
            aantal = 1 if rng.random() < 0.75 else 2
            norm = self.kostendelersnorm(1 + aantal)
            result = [self.persoon(aanvrager_rol, rng.randint(35, c.AOW_LEEFTIJD - 1), naam, [self.bijstand(norm, "kostendelersnorm")])]
            for _ in range(aantal):
                inkomen = self.loon() if rng.random() < 0.7 else self.bijstand(norm, "kostendelersnorm")
                medebewoner_naam = naam if rng.random() < 0.5 else self.achternaam()
                result.append(self.persoon(RolInHuishouden.MEDEBEWONER, rng.randint(21, 40), medebewoner_naam, [inkomen]))
            return result
        raise ValueError(samenstelling)

    def huishouden(self, nummer: int) -> DemoHuishouden:
        rng = self.rng
        huishouden_uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
        if nummer == 0:
            # The demo resident's household: a one-parent family in the demo klantmanager's team.
            samenstelling, wijk_index, zonder_team, contact = "eenouder", 0, False, True
        else:
            samenstelling = _kies(rng, c.SAMENSTELLINGEN)
            wijk_index = rng.randrange(len(c.WIJKEN))
            zonder_team = rng.random() < c.AANDEEL_ZONDER_TEAM
            contact = False
        team_index = None if zonder_team else c.WIJKEN[wijk_index][3]
        if nummer and team_index == 0:
            contact = rng.random() < c.AANDEEL_CONTACTPERSOON_EIGEN_TEAM
        elif nummer and team_index == 1:
            contact = rng.random() < c.AANDEEL_CONTACTPERSOON_BUITEN_TEAM
        adres = adres_voor(wijk_index, self.adressen_per_wijk[wijk_index])
        self.adressen_per_wijk[wijk_index] += 1
        return DemoHuishouden(
            nummer=nummer,
            uuid=huishouden_uuid,
            samenstelling=samenstelling,
            adres=adres,
            team_index=team_index,
            contactpersoon_klantmanager=contact,
            personen=tuple(self.personen(samenstelling)),
        )


def huishoudens_genereren(*, aantal: int, seed: int = c.DEFAULT_SEED) -> Iterator[DemoHuishouden]:
    """The demo households, in order; the same seed gives the same households."""
    if aantal < 1:
        raise ValueError("Kies minstens 1 huishouden.")
    bouwer = _Bouwer(seed)
    for nummer in range(aantal):
        yield bouwer.huishouden(nummer)
