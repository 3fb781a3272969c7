"""'Deel met mijn consulent': explicit consent, recorded as a Toestemming; the klantmanager
sees the result on the household page (audit-logged); nobody else does."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.huishoudens import services as huishouden_services
from perspectief.huishoudens.models import Toestemming
from perspectief.regelingencheck.models import CheckAntwoorden
from perspectief.toegang.constants import Rol
from tests.conftest import login_verified
from tests.factories import GebruikerFactory, GemeenteFactory, HuishoudenFactory, InwonerFactory, PersoonFactory, TeamFactory
from tests.toegang.world import login_resident

from .helpers import vul_in


@pytest.fixture
def wereld(db):
    gemeente = GemeenteFactory(wijkteam_telefoon="0800 1234567")
    team = TeamFactory(gemeente=gemeente)
    huishouden = HuishoudenFactory(gemeente=gemeente, team=team)
    persoon = PersoonFactory(huishouden=huishouden)
    inwoner = InwonerFactory(gemeente=gemeente, persoon=persoon)
    klantmanager = GebruikerFactory(rol=Rol.KLANTMANAGER, gemeente=gemeente, teams=[team])
    budgetbeheerder = GebruikerFactory(rol=Rol.BUDGETBEHEERDER, gemeente=gemeente, teams=[team])
    return {"gemeente": gemeente, "huishouden": huishouden, "inwoner": inwoner, "klantmanager": klantmanager,
            "budgetbeheerder": budgetbeheerder}


def _deel(wereld) -> Client:
    client = Client()
    vul_in(client)
    login_resident(client, wereld["inwoner"])
    html = client.get("/check/voorbeeld/delen/").content.decode()
    assert "Ja, mijn consulent mag deze uitkomst 30 dagen zien." in html
    response = client.post("/check/voorbeeld/delen/", {"toestemming": "on"})
    assert response["Location"] == "/check/voorbeeld/uitkomst/"
    return client


def test_without_the_tick_nothing_is_shared(wereld):
    client = Client()
    vul_in(client)
    login_resident(client, wereld["inwoner"])
    response = client.post("/check/voorbeeld/delen/", {})
    assert response.status_code == 200
    assert "Zet een vinkje als u de uitkomst wilt delen." in response.content.decode()
    assert not Toestemming.objects.exists()
    assert CheckAntwoorden.objects.get().gedeeld_met_id is None


def test_sharing_records_consent_and_the_klantmanager_sees_it_audit_logged(wereld):
    _deel(wereld)
    check = CheckAntwoorden.objects.get()
    toestemming = Toestemming.objects.get()
    assert (toestemming.huishouden, toestemming.gegevensdeel, toestemming.ontvanger_rol, toestemming.doel) == (
        wereld["huishouden"], "inkomen", "klantmanager", "ondersteuning")
    assert toestemming.geldig_vanaf == timezone.localdate()
    assert toestemming.geldig_tot == timezone.localdate(check.verloopt_op)
    assert (check.gedeeld_met, check.toestemming, check.gedeeld_door) == (wereld["huishouden"], toestemming, wereld["inwoner"])
    assert AuditRegel.objects.filter(object_type="regelingencheck_gedeeld", actie="aanmaken", resultaat="gelukt").count() == 1

    km = login_verified(Client(), wereld["klantmanager"])
    voor = AuditRegel.objects.filter(object_type="regelingencheck_gedeeld", actie="inzien").count()
    html = km.get(f"/huishoudens/{wereld['huishouden'].uuid}/").content.decode()
    assert "Regelingencheck gedeeld door het huishouden" in html
    assert "Individuele inkomenstoeslag" in html
    totaal = check.uitkomst["totaal_per_maand"]
    assert "Samen ongeveer €\u00a0" + f"{totaal:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") in html
    regels = AuditRegel.objects.filter(object_type="regelingencheck_gedeeld", actie="inzien")
    assert regels.count() == voor + 1
    regel = regels.latest("volgnummer")
    assert (regel.actor_id, regel.object_id, regel.huishouden_id, regel.doel) == (
        wereld["klantmanager"].pk, str(check.pk), wereld["huishouden"].pk, "ondersteuning")


def test_other_roles_and_withdrawn_consent_do_not_see_it(wereld):
    _deel(wereld)
    bb = login_verified(Client(), wereld["budgetbeheerder"])
    html = bb.get(f"/huishoudens/{wereld['huishouden'].uuid}/").content.decode()
    assert "Regelingencheck gedeeld" not in html

    huishouden_services.toestemming_intrekken(actor=wereld["inwoner"], toestemming=Toestemming.objects.get())
    km = login_verified(Client(), wereld["klantmanager"])
    html = km.get(f"/huishoudens/{wereld['huishouden'].uuid}/").content.decode()
    assert "Het huishouden heeft geen uitkomst van de regelingencheck met u gedeeld." in html
    assert "Individuele inkomenstoeslag" not in html
    assert not AuditRegel.objects.filter(object_type="regelingencheck_gedeeld", actie="inzien").exists()


def test_expired_answers_are_no_longer_shown(wereld):
    _deel(wereld)
    CheckAntwoorden.objects.update(verloopt_op=timezone.now() - timedelta(seconds=1))
    km = login_verified(Client(), wereld["klantmanager"])
    html = km.get(f"/huishoudens/{wereld['huishouden'].uuid}/").content.decode()
    assert "Het huishouden heeft geen uitkomst van de regelingencheck met u gedeeld." in html


def test_without_login_the_page_explains_taking_the_pdf_or_code(wereld):
    client = Client()
    vul_in(client)
    response = client.get("/check/voorbeeld/delen/")
    html = response.content.decode()
    assert "Neem dan de PDF of uw code mee naar uw gesprek." in html
    assert 'href="/toegang/inwoner/?next=/check/voorbeeld/delen/"' in html
    response = client.post("/check/voorbeeld/delen/", {"toestemming": "on"})
    assert response.status_code == 403
    assert not Toestemming.objects.exists()
    assert AuditRegel.objects.filter(object_type="regelingencheck_gedeeld", resultaat="geweigerd").count() == 1


def test_a_resident_not_known_to_the_municipality_is_told_to_bring_the_pdf(wereld):
    onbekend = InwonerFactory(gemeente=wereld["gemeente"], persoon=None)
    client = Client()
    vul_in(client)
    login_resident(client, onbekend)
    html = client.get("/check/voorbeeld/delen/").content.decode()
    assert "Wij kunnen uw gegevens nog niet vinden bij de gemeente." in html
    assert client.post("/check/voorbeeld/delen/", {"toestemming": "on"}).status_code == 403
    assert not Toestemming.objects.exists()


def test_staff_cannot_share_a_check(wereld):
    km = login_verified(Client(), wereld["klantmanager"])
    assert km.get("/check/voorbeeld/delen/").status_code == 403
    assert AuditRegel.objects.filter(object_type="regelingencheck_delen", resultaat="geweigerd").count() == 1
