"""The pure part of the demo generator: determinism, composition, BSNs, addresses, incomes."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from perspectief.demo import constants as c
from perspectief.demo.generator import adres_voor, bsn_is_geldig, bsn_testreeks, huishoudens_genereren
from perspectief.huishoudens.constants import InkomenSoort, RolInHuishouden


@pytest.fixture(scope="module")
def households():
    return list(huishoudens_genereren(aantal=5000, seed=11))


def _age(geboortedatum: date) -> int:
    peil = c.PEILDATUM
    return peil.year - geboortedatum.year - ((peil.month, peil.day) < (geboortedatum.month, geboortedatum.day))


def test_same_seed_gives_the_same_households():
    assert list(huishoudens_genereren(aantal=300, seed=5)) == list(huishoudens_genereren(aantal=300, seed=5))


def test_another_seed_gives_other_households():
    first = [h.personen for h in huishoudens_genereren(aantal=50, seed=5)]
    other = [h.personen for h in huishoudens_genereren(aantal=50, seed=6)]
    assert first != other


def test_a_longer_run_starts_with_the_households_of_a_shorter_one():
    assert list(huishoudens_genereren(aantal=100, seed=3)) == list(huishoudens_genereren(aantal=400, seed=3))[:100]


def test_at_least_one_household():
    with pytest.raises(ValueError):
        list(huishoudens_genereren(aantal=0, seed=1))


def test_every_household_has_exactly_one_aanvrager_first_and_at_most_one_partner(households):
    for household in households:
        roles = [p.rol for p in household.personen]
        assert roles[0] == RolInHuishouden.AANVRAGER
        assert roles.count(RolInHuishouden.AANVRAGER) == 1
        assert roles.count(RolInHuishouden.PARTNER) <= 1


def test_composition_matches_the_roles(households):
    for household in households:
        roles = Counter(p.rol for p in household.personen)
        kind, partner, medebewoner = roles[RolInHuishouden.KIND], roles[RolInHuishouden.PARTNER], roles[RolInHuishouden.MEDEBEWONER]
        expected = {
            "alleenstaand": (0, 0, 0), "alleenstaand_aow": (0, 0, 0), "paar": (1, 0, 0), "paar_aow": (1, 0, 0),
            "eenouder": (0, None, 0), "paar_met_kinderen": (1, None, 0), "met_medebewoners": (0, 0, None),
        }[household.samenstelling]
        assert partner == expected[0]
        assert kind == expected[1] if expected[1] is not None else 1 <= kind <= 4
        assert medebewoner == expected[2] if expected[2] is not None else 1 <= medebewoner <= 2


def test_ages_fit_the_roles(households):
    for household in households:
        aanvrager = household.personen[0]
        adults = [p for p in household.personen if p.rol != RolInHuishouden.KIND]
        youngest_parent = min(_age(p.geboortedatum) for p in adults[:2])
        for persoon in household.personen:
            age = _age(persoon.geboortedatum)
            if persoon.rol == RolInHuishouden.KIND:
                assert 0 <= age <= 17
                assert youngest_parent - age >= 18
                assert persoon.inkomsten == ()
            else:
                assert age >= 18
        if household.samenstelling.endswith("_aow"):
            assert _age(aanvrager.geboortedatum) >= c.AOW_LEEFTIJD
        else:
            assert _age(aanvrager.geboortedatum) < c.AOW_LEEFTIJD


def test_incomes_are_around_the_social_minimum(households):
    allowed_uitkeringen = {
        c.BIJSTAND_ALLEENSTAANDE, c.BIJSTAND_GEHUWDEN, c.SOCIAAL_MINIMUM_AOW_ALLEENSTAANDE,
        (c.SOCIAAL_MINIMUM_AOW_GEHUWDEN / 2).quantize(Decimal("0.01")),
        # kostendelersnorm for 2 and 3 kostendelers: 50 % and 43.33 % of the gehuwdennorm
        Decimal("977.90"), Decimal("847.51"),
    }
    allowed_loon = {(u * c.WEKEN_PER_MAAND * c.WML_PER_UUR).quantize(Decimal("0.01")) for u in c.DEELTIJD_UREN}
    for household in households:
        household_income = [i for p in household.personen for i in p.inkomsten]
        assert household_income, household.samenstelling
        for inkomen in household_income:
            if inkomen.soort == InkomenSoort.UITKERING:
                assert inkomen.bruto_per_maand in allowed_uitkeringen
            else:
                assert inkomen.soort == InkomenSoort.LOON
                assert inkomen.bruto_per_maand in allowed_loon


def test_part_time_minimum_wage_amount():
    # 24 hours a week at EUR 14.71: 24 * 52 / 12 * 14.71 = 1529.84
    assert (24 * c.WEKEN_PER_MAAND * c.WML_PER_UUR).quantize(Decimal("0.01")) == Decimal("1529.84")


def test_composition_shares_follow_the_configured_proportions(households):
    counts = Counter(h.samenstelling for h in households[1:])
    for samenstelling, share in c.SAMENSTELLINGEN:
        assert abs(counts[samenstelling] / (len(households) - 1) - share) < 0.02, samenstelling


def test_bsns_are_valid_unique_and_in_the_test_block(households):
    bsns = [p.bsn for h in households for p in h.personen]
    assert len(bsns) == len(set(bsns))
    for bsn in bsns:
        assert stdnum_bsn.is_valid(bsn)
        assert bsn.startswith("99")


def test_bsn_block_yields_every_valid_number_in_order():
    first = []
    for bsn in bsn_testreeks():
        first.append(bsn)
        if len(first) == 200:
            break
    brute_force = [f"{n:09d}" for n in range(990_000_000, int(first[-1]) + 1) if bsn_is_geldig(n)]
    assert first == brute_force
    assert first[0] == "990000011"


def test_bsn_11_proef():
    assert bsn_is_geldig(111222333)
    assert not bsn_is_geldig(111222334)
    assert not bsn_is_geldig(0)


def test_addresses_are_unique_with_valid_postcodes(households):
    keys = [(h.adres.straat, h.adres.huisnummer, h.adres.toevoeging) for h in households]
    assert len(keys) == len(set(keys))
    for household in households:
        assert stdnum_postcode.is_valid(household.adres.postcode)


def test_flats_get_a_toevoeging_after_the_last_house_number():
    streets = len(c.WIJKEN[0][2]) * len(c.STRAAT_SUFFIXES)
    assert adres_voor(0, 0).toevoeging == ""
    assert adres_voor(0, 0).huisnummer == 1
    last_house = adres_voor(0, streets * c.HUISNUMMERS_PER_STRAAT - 1)
    assert (last_house.huisnummer, last_house.toevoeging) == (c.HUISNUMMERS_PER_STRAAT, "")
    flat = adres_voor(0, streets * c.HUISNUMMERS_PER_STRAAT)
    assert (flat.straat, flat.huisnummer, flat.toevoeging) == (adres_voor(0, 0).straat, 1, "A")


def test_household_zero_is_the_demo_residents_family_in_the_klantmanagers_team(households):
    first = households[0]
    assert first.samenstelling == "eenouder"
    assert first.team_index == 0
    assert first.contactpersoon_klantmanager is True


def test_teams_follow_the_wijk_and_some_households_have_no_team(households):
    without_team = [h for h in households if h.team_index is None]
    assert 0 < len(without_team) < len(households) * 0.1
    for household in households:
        if household.team_index is not None:
            assert household.team_index == c.WIJKEN[household.adres.wijk_index][3]


def test_the_klantmanager_is_contactpersoon_inside_and_outside_the_own_team(households):
    contact_teams = Counter(h.team_index for h in households if h.contactpersoon_klantmanager)
    assert contact_teams[0] > 0
    assert contact_teams[1] > 0
    assert contact_teams[2] == 0
