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
