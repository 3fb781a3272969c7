"""Bad input through the real pages: the form comes back with one clear Dutch message next to
the field that is wrong, and nothing is saved (no rows, no audit entries)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.huishoudens.models import Adres, Huishouden, Inkomen, Persoon, Toestemming

from ..factories import GemeenteFactory, HuishoudenFactory, PersoonFactory, WijkFactory
from ..factories import test_bsn as make_test_bsn
from ..toegang.world import KLANTMANAGER, build_world, client_for

BSN_WRONG = "Dit BSN klopt niet. Een BSN heeft 9 cijfers en moet de elfproef doorstaan."
BSN_TAKEN = "Dit BSN hoort al bij een andere persoon."
POSTCODE_WRONG = "Deze postcode klopt niet. Een postcode heeft 4 cijfers en 2 letters, zoals 1234 AB."
DATE_UNREADABLE = "Vul een geldige datum in, zoals 31-12-1980."
DATE_FUTURE = "De geboortedatum ligt in de toekomst. Kijk de datum na."
DATE_TOO_OLD = "Deze geboortedatum is meer dan 120 jaar geleden. Kijk de datum na."
SECOND_AANVRAGER = "Dit huishouden heeft al een aanvrager. Kies een andere rol."
SECOND_PARTNER = "Dit huishouden heeft al een partner. Kies een andere rol."
UNKNOWN_ROLE = "Kies een rol uit de lijst: aanvrager, partner, kind of medebewoner."
REQUIRED = "Dit veld is verplicht."


class _FieldErrors(HTMLParser):
    """Collects the text of each `<... id="<field id>_error">` element: the message shown
    next to a field."""

    def __init__(self):
        super().__init__()
        self.errors: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "input", "img", "meta", "link"}:
            return
        element_id = dict(attrs).get("id") or ""
        field = element_id[: -len("_error")] if element_id.endswith("_error") else None
        if field:
            self.errors.setdefault(field, [])
        self._open.append((tag, field))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        text = data.strip()
        if not text:
            return
        for _, field in reversed(self._open):
            if field:
                self.errors[field].append(text)
                return


def field_errors(response) -> dict[str, list[str]]:
    parser = _FieldErrors()
    parser.feed(response.content.decode())
    return parser.errors


def _years_ago(years: int, *, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        then = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        then = today.replace(year=today.year - years, day=28)
    return then - datetime.timedelta(days=days)


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def _snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Huishouden, Adres, Persoon, Inkomen, Toestemming, AuditRegel)
    }


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def klantmanager(world):
    return client_for(world, KLANTMANAGER)


NIEUW_VALID = {
    "adres-straat": "Kerkstraat", "adres-huisnummer": "4", "adres-toevoeging": "", "adres-postcode": "9999 AC",
    "adres-woonplaats": "Voorbeeld", "aanvrager-voornamen": "Jip", "aanvrager-achternaam": "de Boer",
    "aanvrager-geboortedatum": "1990-01-31", "aanvrager-bsn": "", "aanvrager-email": "", "aanvrager-telefoon": "",
}

NIEUW_CASES = [
    ("adres-postcode", "1234", POSTCODE_WRONG),
    ("adres-postcode", "0123 AB", POSTCODE_WRONG),
    ("adres-postcode", "1234 SS", POSTCODE_WRONG),
    ("adres-postcode", "ABCD 12", POSTCODE_WRONG),
    ("adres-huisnummer", "0", "Een huisnummer is 1 of hoger."),
    ("adres-huisnummer", "12a", "Vul een huisnummer in cijfers in."),
    ("adres-straat", "", REQUIRED),
    ("aanvrager-bsn", "123456789", BSN_WRONG),  # fails the 11-proef
    ("aanvrager-bsn", "12345678a", BSN_WRONG),
    ("aanvrager-bsn", "1234567", BSN_WRONG),  # too short
    ("aanvrager-bsn", "115", BSN_WRONG),  # would pass the 11-proef once padded with zeros
    ("aanvrager-bsn", "000000000", BSN_WRONG),
    ("aanvrager-geboortedatum", "31-02-1980", DATE_UNREADABLE),
    ("aanvrager-geboortedatum", "gisteren", DATE_UNREADABLE),
    ("aanvrager-geboortedatum", "", REQUIRED),
    ("aanvrager-geboortedatum", "TOMORROW", DATE_FUTURE),
    ("aanvrager-geboortedatum", "TOO_OLD", DATE_TOO_OLD),
    ("aanvrager-email", "geen-mailadres", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
    ("aanvrager-achternaam", "", REQUIRED),
]


def _value(value: str) -> str:
    if value == "TOMORROW":
        return _tomorrow()
    if value == "TOO_OLD":
        return _years_ago(120, days=1).isoformat()
    return value


@pytest.mark.parametrize(("field", "value", "message"), NIEUW_CASES, ids=[f"{f}={v}" for f, v, _ in NIEUW_CASES])
def test_new_household_with_bad_input_shows_message_at_the_field_and_saves_nothing(
    klantmanager, field, value, message
):
    before = _snapshot()
    response = klantmanager.post("/huishoudens/nieuw/", {**NIEUW_VALID, field: _value(value)})
    assert response.status_code == 200
    assert field_errors(response) == {f"id_{field}": [message]}
    assert "Er is nog niets opgeslagen." in response.content.decode()
    assert _snapshot() == before


def test_new_household_with_a_bsn_already_in_use(klantmanager, world):
    before = _snapshot()
    response = klantmanager.post("/huishoudens/nieuw/", {**NIEUW_VALID, "aanvrager-bsn": make_test_bsn(1)})
    assert response.status_code == 200
    assert field_errors(response) == {"id_aanvrager-bsn": [BSN_TAKEN]}
    assert _snapshot() == before


def test_new_household_in_a_wijk_of_another_municipality_is_refused(klantmanager):
    wijk = WijkFactory(gemeente=GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp"))
    before = _snapshot()
    response = klantmanager.post("/huishoudens/nieuw/", {**NIEUW_VALID, "adres-wijk": str(wijk.pk)})
    assert response.status_code == 200
    assert list(field_errors(response)) == ["id_adres-wijk"]
    assert _snapshot() == before


def test_new_household_with_the_boundary_age_of_120_years_is_accepted(klantmanager):
    response = klantmanager.post(
        "/huishoudens/nieuw/", {**NIEUW_VALID, "aanvrager-geboortedatum": _years_ago(120).isoformat()}
    )
    assert response.status_code == 302


def test_new_household_with_valid_input_is_saved(klantmanager):
    """The counterpart of the cases above: the same data without the mistake is saved."""
    before = _snapshot()
    response = klantmanager.post("/huishoudens/nieuw/", {**NIEUW_VALID, "aanvrager-bsn": make_test_bsn(7)})
    assert response.status_code == 302
    after = _snapshot()
    assert after["Huishouden"] == before["Huishouden"] + 1
    assert after["Persoon"] == before["Persoon"] + 1
    assert after["AuditRegel"] == before["AuditRegel"] + 2  # persoon, huishouden


PERSOON_VALID = {
    "rol": "kind", "voornamen": "Lot", "tussenvoegsel": "", "achternaam": "Bakker", "geboortedatum": "2019-08-01",
    "bsn": "", "email": "", "telefoon": "",
}

PERSOON_CASES = [
    ("rol", "aanvrager", SECOND_AANVRAGER),
    ("rol", "oma", UNKNOWN_ROLE),
    ("rol", "", REQUIRED),
    ("bsn", "123456789", BSN_WRONG),
    ("bsn", "TAKEN_HERE", BSN_TAKEN),  # the aanvrager of this household
    ("bsn", "TAKEN_ELSEWHERE", BSN_TAKEN),  # a person in a household this user cannot see
    ("geboortedatum", "TOMORROW", DATE_FUTURE),
    ("geboortedatum", "TOO_OLD", DATE_TOO_OLD),
    ("geboortedatum", "1-1-19800", DATE_UNREADABLE),
]


def _persoon_value(world, value: str) -> str:
    if value == "TAKEN_HERE":
        return make_test_bsn(1)
    if value == "TAKEN_ELSEWHERE":
        PersoonFactory(huishouden=HuishoudenFactory(), bsn=make_test_bsn(2))
        return make_test_bsn(2)
    return _value(value)


@pytest.mark.parametrize(("field", "value", "message"), PERSOON_CASES, ids=[f"{f}={v}" for f, v, _ in PERSOON_CASES])
def test_add_person_with_bad_input(klantmanager, world, field, value, message):
    data = {**PERSOON_VALID, field: _persoon_value(world, value)}
    before = _snapshot()
    response = klantmanager.post(f"/huishoudens/{world.eigen.uuid}/personen/nieuw/", data)
    assert response.status_code == 200
    assert field_errors(response) == {f"id_{field}": [message]}
    assert _snapshot() == before


def test_add_a_second_partner_is_refused(klantmanager, world):
    PersoonFactory(huishouden=world.eigen, rol="partner", voornamen="Kim")
    before = _snapshot()
    response = klantmanager.post(f"/huishoudens/{world.eigen.uuid}/personen/nieuw/", {**PERSOON_VALID, "rol": "partner"})
    assert response.status_code == 200
    assert field_errors(response) == {"id_rol": [SECOND_PARTNER]}
    assert _snapshot() == before


def test_add_person_with_valid_input_is_saved(klantmanager, world):
    before = _snapshot()
    response = klantmanager.post(f"/huishoudens/{world.eigen.uuid}/personen/nieuw/", PERSOON_VALID)
    assert response.status_code == 302
    assert _snapshot()["Persoon"] == before["Persoon"] + 1


WIJZIG_CASES = [
    ("rol", "aanvrager", SECOND_AANVRAGER),
    ("rol", "oma", UNKNOWN_ROLE),
    ("bsn", "123456789", BSN_WRONG),
    ("bsn", "TAKEN_HERE", BSN_TAKEN),
    ("geboortedatum", "TOMORROW", DATE_FUTURE),
    ("geboortedatum", "TOO_OLD", DATE_TOO_OLD),
    ("geboortedatum", "31-13-2001", DATE_UNREADABLE),
]


@pytest.mark.parametrize(("field", "value", "message"), WIJZIG_CASES, ids=[f"{f}={v}" for f, v, _ in WIJZIG_CASES])
def test_change_person_with_bad_input_changes_nothing(klantmanager, world, field, value, message):
    kind = world.kind
    stored = Persoon.objects.filter(pk=kind.pk).values().get()
    data = {
        "rol": "kind", "voornamen": "Sem", "tussenvoegsel": "", "achternaam": "Bakker", "geboortedatum": "2014-03-02",
        "bsn": "", "email": "", "telefoon": "", field: _persoon_value(world, value),
    }
    before = _snapshot()
    response = klantmanager.post(f"/huishoudens/{world.eigen.uuid}/personen/{kind.pk}/", data)
    assert response.status_code == 200
    assert field_errors(response) == {f"id_{field}": [message]}
    assert _snapshot() == before
    assert Persoon.objects.filter(pk=kind.pk).values().get() == stored
