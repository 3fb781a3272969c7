"""The household list and detail pages run a fixed number of SQL queries, whatever the number
of households, people, incomes, consents or buddy links (no N+1).

Each test measures a page with little data and with much more, and asserts the same exact
number both times. The numbers include the statements of the test transaction: every
atomic block (audit entry, session save) adds a SAVEPOINT and a RELEASE SAVEPOINT, which
outside tests are a BEGIN/COMMIT that Django does not count.

List page (15):
  session, user, TOTP device (3); wijken for the filter (1); COUNT(*) for the pager (1);
  the page of households with address, wijk and contactpersoon joined (1); audit entry:
  savepoint, lock chain head, insert, update head, release (5); gemeente for the page
  header (1); session save: savepoint, update, release (3).
Detail page, caseload role (19):
  session, user, TOTP device (3); household with joins (1); prefetch personen, inkomsten,
  toestemmingen, buddykoppelingen (4); policy "may view" (1); audit entry (5);
  regelingencheck results shared with the household (1); gemeente (1); session save (3).
  ("May edit" needs no query: the household was looked up through the caseload.)
Detail page, buddy (19): as above, with the valid consents instead of the shared
  regelingencheck results.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perspectief.demo.generator import bsn_testreeks
from perspectief.huishoudens.bsn import bsn_decrypt
from perspectief.huishoudens.constants import Doel, Gegevensdeel, InkomenSoort, RolInHuishouden
from perspectief.huishoudens.models import Buddykoppeling, Huishouden, Inkomen, Persoon, Toestemming
from perspectief.toegang.constants import Rol

from ..conftest import login_verified
from ..factories import AdresFactory, GebruikerFactory, HuishoudenFactory, PersoonFactory, WijkFactory

LIST_QUERIES = 15
DETAIL_QUERIES = 19  # 18 + 1: results of the regelingencheck the household shared (klantmanager only)
BUDDY_DETAIL_QUERIES = 19
PAGE_SIZE = 25

pytestmark = pytest.mark.django_db

_BSNS = bsn_testreeks()


def _household(*, team, wijk, naam: str, personen: int = 1, buddy=None, postcode: str = "9999 AA") -> Huishouden:
    household = HuishoudenFactory(team=team, naam=naam, adres=AdresFactory(wijk=wijk, postcode=postcode), aantal_personen=personen)
    for index in range(personen):
        rol = RolInHuishouden.AANVRAGER if index == 0 else RolInHuishouden.KIND
        persoon = PersoonFactory(huishouden=household, rol=rol, achternaam=naam, bsn=next(_BSNS))
        Inkomen.objects.create(persoon=persoon, soort=InkomenSoort.UITKERING, bruto_per_maand=Decimal("1369.06"))
        Inkomen.objects.create(persoon=persoon, soort=InkomenSoort.LOON, bruto_per_maand=Decimal("100.00"))
        today = timezone.localdate()
        Toestemming.objects.create(
            huishouden=household, gegevensdeel=Gegevensdeel.values[index % len(Gegevensdeel.values)],
            ontvanger_rol=Rol.BUDDY, doel=Doel.VRIJWILLIGE_HULP,
            geldig_vanaf=today - datetime.timedelta(days=1), geldig_tot=today + datetime.timedelta(days=30),
        )
        Buddykoppeling.objects.create(
            huishouden=household, buddy=buddy or GebruikerFactory(rol=Rol.BUDDY),
            vanaf=today - datetime.timedelta(days=index + 1),
        )
    return household


def _count(client: Client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response


def _search(client: Client, zoekterm: str, **filters) -> str:
    response = client.post("/huishoudens/", {"zoekterm": zoekterm, **filters})
    assert response.status_code == 302
    return response["Location"]


def _rows(response) -> int:
    return sum(1 for household in Huishouden.objects.all() if f"/huishoudens/{household.uuid}/" in response.content.decode())


@pytest.fixture
def wijk(team):
    return WijkFactory(gemeente=team.gemeente)


def _list_urls(client: Client, *, wijk, bsn: str) -> dict[str, str]:
    return {
        "first page": "/huishoudens/",
        "later page": "/huishoudens/?pagina=2",
        "wijk filter": f"/huishoudens/?wijk={wijk.pk}",
        "name search, later page": _search(client, "Bakker") + "&pagina=2",
        "name search with filter": _search(client, "Bakker", wijk=wijk.pk, aantal_personen=2),
        "postcode search": _search(client, "9999 AA"),
        "BSN search": _search(client, bsn),
    }


def test_household_list_queries_do_not_grow_with_the_number_of_households(klantmanager_client, team, wijk):
    for index in range(3):
        _household(team=team, wijk=wijk, naam=f"Bakker {index:03d}", personen=2)
    bsn = bsn_decrypt(Persoon.objects.order_by("pk").first().bsn_versleuteld)
    small = {name: _count(klantmanager_client, url) for name, url in _list_urls(klantmanager_client, wijk=wijk, bsn=bsn).items()}

    for index in range(3, 60):
        _household(team=team, wijk=wijk, naam=f"Bakker {index:03d}", personen=2)
    large = {name: _count(klantmanager_client, url) for name, url in _list_urls(klantmanager_client, wijk=wijk, bsn=bsn).items()}

    assert {name: count for name, (count, _) in small.items()} == dict.fromkeys(small, LIST_QUERIES)
    assert {name: count for name, (count, _) in large.items()} == dict.fromkeys(large, LIST_QUERIES)
    # The measured pages really show what they should.
    assert _rows(small["first page"][1]) == 3
    assert _rows(large["first page"][1]) == PAGE_SIZE
    assert _rows(large["later page"][1]) == PAGE_SIZE
    assert _rows(large["name search, later page"][1]) == PAGE_SIZE
    assert _rows(large["wijk filter"][1]) == PAGE_SIZE
    assert _rows(large["BSN search"][1]) == 1


def test_household_detail_queries_do_not_grow_with_people_incomes_and_consents(klantmanager_client, team, wijk):
    small = _household(team=team, wijk=wijk, naam="Klein", personen=1)
    large = _household(team=team, wijk=wijk, naam="Groot", personen=6)
    for index in range(30):
        _household(team=team, wijk=wijk, naam=f"Ander {index}", personen=1)

    small_count, small_response = _count(klantmanager_client, f"/huishoudens/{small.uuid}/")
    large_count, large_response = _count(klantmanager_client, f"/huishoudens/{large.uuid}/")

    assert (small_count, large_count) == (DETAIL_QUERIES, DETAIL_QUERIES)
    assert small_response.content.decode().count("/personen/") >= 1
    assert large_response.content.decode().count("*****") == 6


def test_buddy_list_and_detail_queries_do_not_grow(team, wijk):
    buddy = GebruikerFactory(rol=Rol.BUDDY)
    first = _household(team=team, wijk=wijk, naam="Eerste", personen=1, buddy=buddy)
    client = login_verified(Client(), buddy)
    small_list, _ = _count(client, "/huishoudens/")
    small_detail, _ = _count(client, f"/huishoudens/{first.uuid}/")

    large = _household(team=team, wijk=wijk, naam="Groot", personen=6, buddy=buddy)
    for index in range(30):
        _household(team=team, wijk=wijk, naam=f"Ander {index}", personen=2, buddy=buddy)
    large_list, response = _count(client, "/huishoudens/?pagina=2")
    large_detail, _ = _count(client, f"/huishoudens/{large.uuid}/")

    assert (small_list, large_list) == (LIST_QUERIES, LIST_QUERIES)
    assert (small_detail, large_detail) == (BUDDY_DETAIL_QUERIES, BUDDY_DETAIL_QUERIES)
    assert _rows(response) == 32 - PAGE_SIZE
