"""Writing demo gemeente Voorbeeld: counts, accounts, caseloads, buddy consent, idempotency."""

from collections import Counter

import pytest
from django.db.models import Count, Q
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.nl import bsn as stdnum_bsn

from perspectief.audit.models import AuditRegel
from perspectief.demo import constants as c
from perspectief.demo.generator import huishoudens_genereren
from perspectief.demo.services import DemoFout, demo_gemeente_genereren, totp_key_hex
from perspectief.huishoudens import policies
from perspectief.huishoudens.bsn import bsn_blind_index, bsn_decrypt
from perspectief.huishoudens.constants import Gegevensdeel, RolInHuishouden
from perspectief.huishoudens.models import Adres, Buddykoppeling, Gemeente, Huishouden, Inkomen, Persoon, Toestemming, Wijk
from perspectief.toegang.constants import Rol, Soort
from perspectief.toegang.models import Gebruiker, Team
from tests.factories import GemeenteFactory, HuishoudenFactory, PersoonFactory

pytestmark = pytest.mark.django_db

AANTAL = 120
SEED = 7


def _snapshot() -> list[tuple]:
    """Everything a person would see of the demo data, without database ids."""
    rows = []
    households = (
        Huishouden.objects.filter(gemeente__cbs_code=c.GEMEENTE_CBS_CODE)
        .select_related("adres", "adres__wijk", "team", "contactpersoon")
        .prefetch_related("personen__inkomsten")
        .order_by("uuid")
    )
    for h in households:
        personen = tuple(
            (
                p.rol, p.voornamen, p.tussenvoegsel, p.achternaam, p.geboortedatum, p.email,
                bsn_decrypt(p.bsn_versleuteld), p.bsn_index,
                tuple(sorted((i.soort, i.omschrijving, i.bruto_per_maand) for i in p.inkomsten.all())),
            )
            for p in sorted(h.personen.all(), key=lambda p: p.bsn_index)
        )
        rows.append((
            h.uuid, h.naam, h.aantal_personen, h.team.naam if h.team else None,
            h.contactpersoon.username if h.contactpersoon else None,
            h.adres.straat, h.adres.huisnummer, h.adres.toevoeging, h.adres.postcode, h.adres.woonplaats,
            h.adres.wijk.naam, personen,
        ))
    return rows


@pytest.fixture
def demo():
    return demo_gemeente_genereren(huishoudens=AANTAL, seed=SEED)


def test_counts_match_the_generator(demo):
    expected = list(huishoudens_genereren(aantal=AANTAL, seed=SEED))
    assert Huishouden.objects.count() == AANTAL
    assert Persoon.objects.count() == sum(len(h.personen) for h in expected)
    assert Inkomen.objects.count() == sum(len(p.inkomsten) for h in expected for p in h.personen)
    assert Adres.objects.count() == AANTAL
    assert (demo.huishoudens, demo.personen, demo.inkomsten, demo.verwijderd) == (
        AANTAL, Persoon.objects.count(), Inkomen.objects.count(), 0,
    )
    assert Wijk.objects.count() == len(c.WIJKEN)
    assert sorted(Team.objects.values_list("naam", flat=True)) == sorted(c.TEAMS)


def test_gemeente_voorbeeld(demo):
    gemeente = Gemeente.objects.get()
    assert (gemeente.naam, gemeente.cbs_code, gemeente.slug) == ("Voorbeeld", "GM9999", "voorbeeld")
    assert gemeente.wijkteam_telefoon == c.WIJKTEAM_TELEFOON
    assert gemeente.wijkteam_email == c.WIJKTEAM_EMAIL


def test_every_household_has_one_aanvrager_and_matching_summary(demo):
    households = Huishouden.objects.annotate(
        n=Count("personen"), aanvragers=Count("personen", filter=Q(personen__rol=RolInHuishouden.AANVRAGER)),
        partners=Count("personen", filter=Q(personen__rol=RolInHuishouden.PARTNER)),
    )
    for household in households:
        assert household.aanvragers == 1
        assert household.partners <= 1
        assert household.aantal_personen == household.n
        aanvrager = household.personen.get(rol=RolInHuishouden.AANVRAGER)
        assert household.naam == " ".join(x for x in (aanvrager.tussenvoegsel, aanvrager.achternaam) if x)


def test_bsns_are_valid_unique_encrypted_and_findable(demo):
    bsns = []
    for persoon in Persoon.objects.all():
        bsn = bsn_decrypt(persoon.bsn_versleuteld)
        assert stdnum_bsn.is_valid(bsn)
        assert persoon.bsn_index == bsn_blind_index(bsn)
        assert bsn.encode() not in bytes(persoon.bsn_versleuteld)
        bsns.append(bsn)
    assert len(bsns) == len(set(bsns)) == Persoon.objects.count()


def test_every_role_has_a_demo_account_with_a_confirmed_known_totp_device(demo):
    assert {rol for rol, *_ in c.MEDEWERKERS} == set(Rol.values)
    for rol, username, *_ in c.MEDEWERKERS:  # two budgetbeheerders: four eyes on payments
        gebruiker = Gebruiker.objects.get(rol=rol, username=username)
        assert gebruiker.soort == Soort.MEDEWERKER
        assert gebruiker.gemeente.cbs_code == "GM9999"
        assert gebruiker.check_password(c.DEMO_PASSWORD)
        device = TOTPDevice.objects.get(user=gebruiker)
        assert device.confirmed is True
        assert device.key == totp_key_hex(gebruiker.username)


def test_resident_account_is_linked_to_the_aanvrager_of_a_household_in_the_klantmanagers_caseload(demo):
    inwoner = Gebruiker.objects.get(username=c.INWONER_USERNAME)
    assert inwoner.soort == Soort.INWONER
    assert inwoner.check_password(c.DEMO_PASSWORD)
    assert inwoner.persoon.rol == RolInHuishouden.AANVRAGER
    assert not TOTPDevice.objects.filter(user=inwoner).exists()
    klantmanager = Gebruiker.objects.get(username="demo.klantmanager")
    assert policies.households_visible_to(klantmanager).filter(pk=inwoner.persoon.huishouden_id).exists()


def test_klantmanager_has_a_caseload_and_households_outside_it(demo):
    klantmanager = Gebruiker.objects.get(username="demo.klantmanager")
    visible = policies.households_visible_to(klantmanager)
    assert 0 < visible.count() < AANTAL
    noord = Team.objects.get(naam="Wijkteam Noord")
    assert visible.count() == Huishouden.objects.filter(Q(team=noord) | Q(contactpersoon=klantmanager)).count()
    for gebruiker in Gebruiker.objects.filter(rol__in=(Rol.BUDGETBEHEERDER, Rol.SCHULDHULPVERLENER)):
        assert policies.households_visible_to(gebruiker).exists()
    for rol in (Rol.ARMOEDEREGISSEUR, Rol.FUNCTIONEEL_BEHEERDER):
        assert not policies.households_visible_to(Gebruiker.objects.get(rol=rol)).exists()


def test_klantmanager_is_contactpersoon_outside_the_own_team_in_a_larger_demo():
    demo_gemeente_genereren(huishoudens=600, seed=SEED)
    klantmanager = Gebruiker.objects.get(username="demo.klantmanager")
    outside = Huishouden.objects.filter(contactpersoon=klantmanager).exclude(team__naam="Wijkteam Noord")
    assert outside.exists()
    assert policies.households_visible_to(klantmanager).filter(pk__in=outside).count() == outside.count()


def test_buddy_sees_only_linked_households_and_only_consented_parts(demo):
    buddy = Gebruiker.objects.get(username="demo.buddy")
    assert Buddykoppeling.objects.filter(buddy=buddy).count() == c.BUDDY_KOPPELINGEN + 1
    visible = list(policies.households_visible_to(buddy).order_by("pk"))
    assert len(visible) == c.BUDDY_KOPPELINGEN
    parts = [policies.visible_parts(buddy, h) for h in visible]
    assert parts == [
        frozenset({Gegevensdeel.PERSONALIA, Gegevensdeel.CONTACT}),
        frozenset({Gegevensdeel.PERSONALIA}),
        frozenset({Gegevensdeel.PERSONALIA, Gegevensdeel.BEGELEIDING, Gegevensdeel.INKOMEN}),
        frozenset(),
        frozenset(),  # consent given, then withdrawn
    ]
    assert Toestemming.objects.filter(ingetrokken_op__isnull=False).count() == 1


def test_one_audit_entry_for_the_whole_run_with_a_system_actor(demo):
    entries = AuditRegel.objects.filter(object_type="demo_gemeente")
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.actor_id, entry.actor_rol, entry.actie, entry.kanaal) == (None, "systeem", "aanmaken", "cli")
    assert entry.details["huishoudens"] == AANTAL
    assert entry.details["seed"] == SEED
    assert AuditRegel.objects.filter(object_type__in=["huishouden", "persoon", "inkomen"]).count() == 0


def test_same_seed_gives_the_same_data_and_a_second_run_resets(demo):
    first = _snapshot()
    accounts = dict(Gebruiker.objects.values_list("username", "pk"))
    result = demo_gemeente_genereren(huishoudens=AANTAL, seed=SEED)
    assert result.verwijderd == AANTAL
    assert _snapshot() == first
    assert Huishouden.objects.count() == AANTAL
    assert Adres.objects.count() == AANTAL
    assert Toestemming.objects.count() == 7  # 2 + 1 + 3 + 0 + 1 (see services)
    assert Buddykoppeling.objects.count() == c.BUDDY_KOPPELINGEN + 1
    assert dict(Gebruiker.objects.values_list("username", "pk")) == accounts
    assert TOTPDevice.objects.count() == len(c.MEDEWERKERS)
    assert AuditRegel.objects.filter(object_type="demo_gemeente").count() == 2


def test_another_seed_gives_other_people(demo):
    first = _snapshot()
    demo_gemeente_genereren(huishoudens=AANTAL, seed=SEED + 1)
    assert _snapshot() != first
    assert Huishouden.objects.count() == AANTAL


def test_a_smaller_second_run_leaves_only_its_own_households(demo):
    demo_gemeente_genereren(huishoudens=10, seed=SEED)
    assert Huishouden.objects.count() == 10
    assert Adres.objects.count() == 10
    assert Persoon.objects.count() == sum(len(h.personen) for h in huishoudens_genereren(aantal=10, seed=SEED))


def test_reset_leaves_other_municipalities_alone(demo):
    other = GemeenteFactory(naam="Elders", cbs_code="GM0001", slug="elders")
    household = HuishoudenFactory(gemeente=other)
    PersoonFactory(huishouden=household, bsn="111222333")
    demo_gemeente_genereren(huishoudens=5, seed=SEED)
    assert Huishouden.objects.filter(gemeente=other).count() == 1
    assert Persoon.objects.filter(huishouden=household).count() == 1
    assert Huishouden.objects.filter(gemeente__cbs_code="GM9999").count() == 5


def test_refuses_when_gm9999_is_another_municipality():
    GemeenteFactory(naam="Echt", cbs_code="GM9999", slug="echt")
    with pytest.raises(DemoFout, match="al in gebruik"):
        demo_gemeente_genereren(huishoudens=3)
    assert Huishouden.objects.count() == 0


def test_refuses_zero_households():
    with pytest.raises(DemoFout):
        demo_gemeente_genereren(huishoudens=0)


def test_household_team_and_wijk_are_consistent(demo):
    team_per_wijk = {naam: c.TEAMS[team] for naam, _code, _stems, team in c.WIJKEN}
    pairs = Counter(Huishouden.objects.values_list("adres__wijk__naam", "team__naam"))
    for (wijk, team), _count in pairs.items():
        assert team in (None, team_per_wijk[wijk])


def test_rows_of_other_modules_follow_their_on_delete_rule(demo, monkeypatch):
    """Other modules' tables that point at demo people: CASCADE removes, SET_NULL empties,
    PROTECT refuses. Tried with two of our own relations treated as if they were foreign."""
    from django.db import models

    from perspectief.demo import services

    monkeypatch.setattr(services, "_OWN_TABLES", {Persoon, Toestemming, Buddykoppeling})
    personen = Persoon.objects.filter(huishouden__gemeente__cbs_code="GM9999")
    inwoner = Gebruiker.objects.get(username=c.INWONER_USERNAME)
    assert inwoner.persoon_id is not None and Inkomen.objects.exists()

    monkeypatch.setattr(Inkomen._meta.get_field("persoon").remote_field, "on_delete", models.PROTECT)
    with pytest.raises(DemoFout, match="verwijst nog naar"):
        services._apply_other_modules_on_delete(Persoon, personen)

    monkeypatch.setattr(Inkomen._meta.get_field("persoon").remote_field, "on_delete", models.CASCADE)
    services._apply_other_modules_on_delete(Persoon, personen)
    assert not Inkomen.objects.exists()  # CASCADE
    inwoner.refresh_from_db()
    assert inwoner.persoon_id is None  # SET_NULL
    assert Gebruiker.objects.filter(username=c.INWONER_USERNAME).exists()
