import pytest

from perspectief.huishoudens.constants import RolInHuishouden

from .factories import HuishoudenFactory, PersoonFactory


@pytest.mark.django_db
def test_klantmanager_sees_own_household_list_and_detail(klantmanager_client, team):
    huishouden = HuishoudenFactory(team=team, naam="Bakker")
    PersoonFactory(huishouden=huishouden, rol=RolInHuishouden.AANVRAGER, bsn="111222333")
    response = klantmanager_client.get("/huishoudens/")
    assert response.status_code == 200
    assert "Bakker" in response.content.decode()
    response = klantmanager_client.get(f"/huishoudens/{huishouden.uuid}/")
    assert response.status_code == 200
    assert "*****2333" in response.content.decode()


@pytest.mark.django_db
def test_search_term_never_appears_in_url(klantmanager_client, team):
    huishouden = HuishoudenFactory(team=team, naam="Bakker")
    PersoonFactory(huishouden=huishouden, bsn="111222333")
    HuishoudenFactory(team=team, naam="Visser")
    response = klantmanager_client.post("/huishoudens/", {"zoekterm": "111222333"})
    assert response.status_code == 302
    assert "111222333" not in response["Location"]
    assert response["Location"].startswith("/huishoudens/?zoekopdracht=")
    page = klantmanager_client.get(response["Location"]).content.decode()
    assert "Bakker" in page and "Visser" not in page


@pytest.mark.django_db
def test_klantmanager_records_and_withdraws_consent(klantmanager_client, team):
    from perspectief.huishoudens.models import Toestemming

    huishouden = HuishoudenFactory(team=team)
    PersoonFactory(huishouden=huishouden)
    url = f"/huishoudens/{huishouden.uuid}/toestemmingen/nieuw/"
    response = klantmanager_client.post(url, {
        "gegevensdeel": "inkomen", "ontvanger_rol": "", "ontvanger_organisatie": "",
        "doel": "vrijwillige_hulp", "geldig_vanaf": "2026-01-01", "geldig_tot": "2026-06-30",
    })
    assert response.status_code == 200
    assert "Kies een rol of vul een organisatie in." in response.content.decode()
    assert Toestemming.objects.count() == 0
    response = klantmanager_client.post(url, {
        "gegevensdeel": "inkomen", "ontvanger_rol": "buddy", "ontvanger_organisatie": "",
        "doel": "vrijwillige_hulp", "geldig_vanaf": "2026-01-01", "geldig_tot": "2026-06-30",
    })
    assert response.status_code == 302
    toestemming = Toestemming.objects.get()
    response = klantmanager_client.post(f"/huishoudens/{huishouden.uuid}/toestemmingen/{toestemming.pk}/intrekken/")
    assert response.status_code == 302
    toestemming.refresh_from_db()
    assert toestemming.ingetrokken_op is not None
