"""The resident's own huishoudboekje: balance, next leefgeld, upcoming payments and recent
lines in plain words; read-only, audit-logged as reading one's own data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import budget, grootboek
from perspectief.huishoudboekje.constants import (
    BetalingSoort,
    BetalingStatus,
    JournaalSoort,
    Richting,
    Rubriek,
    TransactieStatus,
)
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Betaling
from perspectief.huishoudens.constants import RolInHuishouden

from ..conftest import login_verified
from ..factories import PASSWORD, GemeenteFactory, HuishoudenFactory, InwonerFactory, PersoonFactory, TeamFactory
from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, OrganisatieFactory, TussenrekeningFactory

pytestmark = pytest.mark.django_db

URL = "/mijn-huishoudboekje/"
# A Wednesday: the next weekly leefgeld (Monday) is 30 November, the one after 7 December,
# so the rent of Tuesday 1 December is reserved before leefgeld is paid.
VANDAAG = dt.date(2026, 11, 25)
UWV_IBAN = "NL86INGB0002445588"


@pytest.fixture(autouse=True)
def vandaag(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: VANDAAG)


@pytest.fixture
def wereld():
    gemeente = GemeenteFactory()
    team = TeamFactory(gemeente=gemeente)
    huishouden = HuishoudenFactory(gemeente=gemeente, team=team, naam="Bakker")
    aanvrager = PersoonFactory(huishouden=huishouden, rol=RolInHuishouden.AANVRAGER, voornamen="Fenna", achternaam="Bakker")
    inwoner = InwonerFactory(gemeente=gemeente, persoon=aanvrager)
    deelname = DeelnameFactory(
        huishouden=huishouden, tussenrekening=TussenrekeningFactory(gemeente=gemeente),
        budgetbeheerder=BudgetbeheerderFactory(gemeente=gemeente, teams=[team]), startdatum=dt.date(2026, 10, 1),
        leefgeld_dag=0,
    )
    huur = AfspraakFactory(deelname=deelname, organisatie=OrganisatieFactory(gemeente=gemeente, naam="Woningstichting Het Anker"),
                           geldig_vanaf=dt.date(2026, 10, 1))
    uitkering = AfspraakFactory(
        deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.UITKERING, omschrijving="Bijstand",
        organisatie=OrganisatieFactory(gemeente=gemeente, naam="Gemeente Voorbeeld Werk en Inkomen"),
        tegenrekening_iban=UWV_IBAN, bedrag=Decimal("1500.00"), dag=24, geldig_vanaf=dt.date(2026, 10, 1),
    )
    return {"inwoner": inwoner, "deelname": deelname, "huur": huur, "uitkering": uitkering, "huishouden": huishouden}


def _inkomen_geboekt(wereld, bedrag=Decimal("1500.00")) -> Banktransactie:
    deelname = wereld["deelname"]
    rekening = deelname.tussenrekening
    bestand = Bankbestand.objects.create(tussenrekening=rekening, sha256="1" * 64, bestandsnaam="nov.xml")
    regel = Banktransactie.objects.create(
        tussenrekening=rekening, bankbestand=bestand, kenmerk="K-NOV", boekdatum=dt.date(2026, 11, 24),
        richting=Richting.INKOMEN, bedrag=bedrag, tegenrekening_iban=UWV_IBAN,
        tegenpartij_naam="GEMEENTE VOORBEELD W&I", omschrijving="BIJSTAND NOV 2026 KLANTNR 4711001 REF 99X",
        status=TransactieStatus.GEBOEKT, afspraak=wereld["uitkering"], deelname=deelname, automatisch=True,
    )
    bank, _ = grootboek.systeemrekeningen(rekening)
    grootboek.boeken(gemeente=rekening.gemeente_id, soort=JournaalSoort.AFSCHRIFT, datum=regel.boekdatum, regels=[
        grootboek.Regel(bank, bedrag),
        grootboek.Regel(grootboek.huishoudrekening(deelname), -bedrag, Rubriek.UITKERING, wereld["uitkering"], regel),
    ])
    return regel


def _euro(bedrag: Decimal) -> str:
    return "€\xa0" + f"{bedrag:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _inloggen(user) -> Client:
    client = Client()
    response = client.post("/toegang/inwoner/demo/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_resident_sees_balance_leefgeld_and_coming_payments_in_plain_words(wereld):
    _inkomen_geboekt(wereld)
    response = _inloggen(wereld["inwoner"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="tegoed">€\xa01.500,00<' in html
    assert 'id="apart">€\xa0650,00<' in html  # the rent of 1 December
    # The amount is budget.overzicht's (its rules are tested in test_budget.py); the date is
    # the next Monday.
    stand = budget.overzicht(deelname=wereld["deelname"], peildatum=VANDAAG)
    assert Decimal("0") < stand.leefgeld_bedrag <= Decimal("850.00")  # at most 1,500 - 650 (rent)
    assert f"{_euro(stand.leefgeld_bedrag)} op maandag 30 november" in html
    assert "Huur aan Woningstichting Het Anker, €\xa0650,00, op dinsdag 1 december" in html
    assert "24 november: Uitkering ontvangen van Gemeente Voorbeeld Werk en Inkomen, €\xa01.500,00" in html
    for code in (UWV_IBAN, "4711001", "K-NOV", "REF 99X", "GEMEENTE VOORBEELD W&amp;I", wereld["deelname"].leefgeld_iban):
        assert code not in html
    entry = AuditRegel.objects.get(object_type="huishoudboekje")
    assert (entry.actor_id, entry.huishouden_id, entry.doel, entry.resultaat) == (
        wereld["inwoner"].pk, wereld["huishouden"].pk, "eigen_gegevens", "gelukt")


def test_a_planned_leefgeld_payment_is_the_next_leefgeld_and_is_not_shown_twice(wereld):
    _inkomen_geboekt(wereld)
    deelname = wereld["deelname"]
    Betaling.objects.create(
        deelname=deelname, soort=BetalingSoort.LEEFGELD, termijn=dt.date(2026, 11, 30), uitvoerdatum=dt.date(2026, 11, 27),
        bedrag=Decimal("200.00"), tegenrekening_iban=deelname.leefgeld_iban, tegenpartij_naam="F. Bakker",
        end_to_end_id="HHB-L-1", status=BetalingStatus.IN_BATCH,
    )
    Betaling.objects.create(
        deelname=deelname, afspraak=wereld["huur"], soort=BetalingSoort.VASTE_LAST, termijn=dt.date(2026, 12, 1),
        uitvoerdatum=dt.date(2026, 11, 30), bedrag=Decimal("650.00"), tegenrekening_iban=wereld["huur"].tegenrekening_iban,
        tegenpartij_naam="Woningstichting Het Anker", end_to_end_id="HHB-H-1", status=BetalingStatus.VERZONDEN,
    )
    html = _inloggen(wereld["inwoner"]).get(URL).content.decode()
    assert 'id="apart">€\xa0650,00<' in html  # the rent on its way; the leefgeld is not a fixed cost
    assert "€\xa0200,00 op maandag 30 november" in html
    assert html.count("Huur aan Woningstichting Het Anker") == 1
    assert "Leefgeld aan uw eigen rekening, €\xa0200,00, op maandag 30 november" in html


def test_leefgeld_back_on_the_statement_is_told_as_leefgeld(wereld):
    deelname = wereld["deelname"]
    bestand = Bankbestand.objects.create(tussenrekening=deelname.tussenrekening, sha256="2" * 64, bestandsnaam="b.xml")
    Banktransactie.objects.create(
        tussenrekening=deelname.tussenrekening, bankbestand=bestand, kenmerk="K-L", boekdatum=dt.date(2026, 11, 23),
        richting=Richting.UITGAVE, bedrag=Decimal("150.00"), tegenrekening_iban=deelname.leefgeld_iban,
        tegenpartij_naam="F BAKKER", status=TransactieStatus.GEBOEKT, deelname=deelname,
    )
    html = _inloggen(wereld["inwoner"]).get(URL).content.decode()
    assert "23 november: Leefgeld betaald aan uw eigen rekening, €\xa0150,00" in html


def test_resident_whose_household_does_not_take_part(wereld):
    ander = PersoonFactory(huishouden=HuishoudenFactory(), rol=RolInHuishouden.AANVRAGER)
    inwoner = InwonerFactory(gemeente=wereld["huishouden"].gemeente, persoon=ander)
    client = _inloggen(inwoner)
    html = client.get(URL).content.decode()
    assert "U doet niet mee met het huishoudboekje" in html
    assert not AuditRegel.objects.filter(object_type="huishoudboekje").exists()
    assert "/mijn-huishoudboekje/" not in client.get("/mijn-gegevens/").content.decode()


def test_the_menu_offers_it_to_a_participating_resident(wereld):
    html = _inloggen(wereld["inwoner"]).get("/mijn-gegevens/").content.decode()
    assert 'href="/mijn-huishoudboekje/"' in html


def test_staff_are_refused(wereld):
    beheerder = wereld["deelname"].budgetbeheerder
    response = login_verified(Client(), beheerder).get(URL)
    assert response.status_code == 403
    refusal = AuditRegel.objects.get(resultaat="geweigerd")
    assert (refusal.object_type, refusal.actor_id) == ("mijn_huishoudboekje", beheerder.pk)
