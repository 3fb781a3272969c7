"""BSN privacy: encrypted at rest, found through a keyed blind index, masked on screen,
rotatable keys, never in URLs, redirects or logs; and the 11-proef exactly."""

import base64
import hashlib
import hmac
import json
import logging
import zlib

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from hypothesis import example, given
from hypothesis import strategies as st

from perspectief.audit.models import AuditRegel
from perspectief.huishoudens import selectors, services
from perspectief.huishoudens.bsn import (
    OngeldigBSN,
    bsn_blind_index,
    bsn_decrypt,
    bsn_encrypt,
    bsn_mask,
    bsn_normalise,
    clear_key_cache,
)
from perspectief.huishoudens.models import Persoon

from ..factories import test_bsn as make_test_bsn
from ..toegang.world import BUDDY, KLANTMANAGER, build_world, client_for


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    clear_key_cache()
    yield
    clear_key_cache()


def _add_person(world, bsn: str) -> Persoon:
    import datetime

    return services.persoon_add(
        actor=world.users[KLANTMANAGER], huishouden=world.eigen, rol="partner", voornamen="Kim",
        achternaam="Bakker", geboortedatum=datetime.date(1984, 2, 3), bsn=bsn,
    )


@pytest.mark.django_db
def test_database_row_never_holds_the_plain_bsn():
    world = build_world()
    bsn = make_test_bsn(3)
    persoon = _add_person(world, f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM huishoudens_persoon WHERE id = %s", [persoon.pk])
        columns = [column[0] for column in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    for name, value in row.items():
        raw = bytes(value) if isinstance(value, memoryview | bytes) else str(value).encode()
        assert bsn.encode() not in raw, name
    ciphertext = bytes(row["bsn_versleuteld"])
    assert bsn_decrypt(ciphertext) == bsn
    expected_index = hmac.new(settings.BSN_BLIND_INDEX_KEY.encode(), bsn.encode(), hashlib.sha256).hexdigest()
    assert row["bsn_index"] == expected_index
    assert bsn_encrypt(bsn) != bsn_encrypt(bsn)  # random IV: equal numbers give different ciphertexts


@pytest.mark.django_db
def test_blind_index_finds_the_person_whatever_the_notation():
    world = build_world()
    bsn = make_test_bsn(4)
    persoon = _add_person(world, bsn)
    for notation in (bsn, f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}", f" {bsn[:3]} {bsn[3:6]} {bsn[6:]} ", f"{bsn[:4]}-{bsn[4:]}"):
        assert selectors.persoon_by_bsn(bsn=notation) == persoon
    assert selectors.persoon_by_bsn(bsn=make_test_bsn(5)) is None


def test_blind_index_depends_on_its_key():
    bsn = make_test_bsn(4)
    first = bsn_blind_index(bsn)
    with override_settings(BSN_BLIND_INDEX_KEY="another-key"):
        assert bsn_blind_index(bsn) != first
    assert len(first) == 64 and bsn not in first


def test_mask_shows_only_the_last_four_digits():
    assert bsn_mask("111222333") == "*****2333"


@pytest.mark.django_db
def test_pages_show_the_bsn_masked_and_only_to_caseload_roles():
    world = build_world()
    bsn = make_test_bsn(1)  # the aanvrager of the household
    html = client_for(world, KLANTMANAGER).get(f"/huishoudens/{world.eigen.uuid}/").content.decode()
    assert bsn_mask(bsn) in html and bsn not in html
    form = client_for(world, BUDDY)  # a second login: buddies never see a BSN, not even masked
    html = form.get(f"/huishoudens/{world.eigen.uuid}/").content.decode()
    assert bsn_mask(bsn) not in html and bsn not in html


@pytest.mark.django_db
def test_edit_form_does_not_send_the_bsn_back_to_the_browser():
    world = build_world()
    html = client_for(world, KLANTMANAGER).get(
        f"/huishoudens/{world.eigen.uuid}/personen/{world.aanvrager.pk}/"
    ).content.decode()
    assert make_test_bsn(1) not in html


@pytest.mark.django_db
def test_key_rotation_old_key_decrypts_new_key_encrypts():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    bsn = make_test_bsn(6)
    with override_settings(BSN_ENCRYPTION_KEYS=[old]):
        clear_key_cache()
        world = build_world()
        persoon = _add_person(world, bsn)
        old_token = bytes(Persoon.objects.get(pk=persoon.pk).bsn_versleuteld)
        assert Fernet(old).decrypt(old_token).decode() == bsn

    with override_settings(BSN_ENCRYPTION_KEYS=[new, old]):
        clear_key_cache()
        assert bsn_decrypt(old_token) == bsn  # the old key still decrypts
        new_token = bsn_encrypt(bsn)
        assert Fernet(new).decrypt(new_token).decode() == bsn  # the new key encrypts
        with pytest.raises(InvalidToken):
            Fernet(old).decrypt(new_token)
        # Stored data stays usable during rotation: found by index, shown masked.
        assert selectors.persoon_by_bsn(bsn=bsn) == persoon
        html = client_for(world, KLANTMANAGER).get(f"/huishoudens/{world.eigen.uuid}/").content.decode()
        assert bsn_mask(bsn) in html

    with override_settings(BSN_ENCRYPTION_KEYS=[new]):
        clear_key_cache()
        assert bsn_decrypt(new_token) == bsn
        with pytest.raises(InvalidToken):
            bsn_decrypt(old_token)  # once the old key is removed, only re-encrypted data is readable


@pytest.mark.django_db
def test_bsn_search_keeps_the_bsn_out_of_urls_redirects_logs_and_audit(caplog):
    world = build_world()
    bsn = make_test_bsn(1)
    client = client_for(world, KLANTMANAGER)
    caplog.set_level(logging.DEBUG)
    response = client.post("/huishoudens/", {"zoekterm": bsn})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/huishoudens/?zoekopdracht=") and bsn not in location

    page = client.get(location)
    assert page.status_code == 200
    assert [h.pk for h in page.context["page"].object_list] == [world.eigen.pk]
    assert bsn not in page.wsgi_request.get_full_path()
    for link in ("href=", "hx-push-url", "action="):  # no link on the page carries it either
        assert f'{link}"{bsn}' not in page.content.decode()

    htmx = client.post("/huishoudens/", {"zoekterm": bsn}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert bsn not in htmx["HX-Push-Url"]

    assert caplog.records, "the requests should have been logged"
    for record in caplog.records:
        assert bsn not in record.getMessage()
        assert bsn not in json.dumps(record.__dict__, default=str)
    for entry in AuditRegel.objects.values():
        assert bsn not in json.dumps(entry, default=str)


def _session_plaintext(session: Session) -> str:
    """What anyone who can read the sessions table can read (signed, not encrypted)."""
    payload = session.session_data.split(":")[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode(errors="replace")


@pytest.mark.django_db
def test_bsn_search_term_is_not_readable_in_the_session_store():
    world = build_world()
    bsn = make_test_bsn(1)
    client = client_for(world, KLANTMANAGER)
    client.post("/huishoudens/", {"zoekterm": bsn})
    sessions = [_session_plaintext(session) for session in Session.objects.all()]
    assert any("huishouden_zoekopdrachten" in text for text in sessions)  # the search was kept
    for text in sessions:
        assert bsn not in text


# --- bsn_normalise accepts exactly the numbers that pass the 11-proef -----------------------

def reference_bsn(value: str) -> str | None:
    """An independent statement of the rule: 9 digits (or 8, a dropped leading zero), spaces,
    dots and hyphens ignored; 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11; not all zero."""
    cleaned = "".join(ch for ch in value.strip() if ch not in " .-")
    if len(cleaned) not in (8, 9) or any(ch not in "0123456789" for ch in cleaned):
        return None
    digits = [int(ch) for ch in cleaned.rjust(9, "0")]
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    if sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 != 0 or not any(digits):
        return None
    return "".join(map(str, digits))


def _accepts(value: str) -> str | None:
    try:
        return bsn_normalise(value)
    except OngeldigBSN:
        return None


@given(st.integers(min_value=0, max_value=999_999_999))
@example(0)
@example(111_222_333)
@example(123_456_789)
def test_bsn_normalise_matches_the_11_proef_for_every_9_digit_number(number):
    text = f"{number:09d}"
    assert _accepts(text) == reference_bsn(text)


@given(st.text(alphabet="0123456789 .-\t\n/x\u0661\uff11", max_size=14))
@example("115")
@example("000000115")
@example("12345672")
@example("1112.22.333")
@example("\u0661\u0661\u0661222333")  # Arabic-Indic digits are not a BSN
def test_bsn_normalise_matches_the_reference_for_any_text(value):
    assert _accepts(value) == reference_bsn(value)


def test_the_test_bsns_pass_and_real_looking_mistakes_fail():
    assert bsn_normalise("111222333") == "111222333"
    assert bsn_normalise(make_test_bsn(9)) == make_test_bsn(9)
    for wrong in ("111222334", "", "abc", "1234567890"):
        with pytest.raises(OngeldigBSN, match="elfproef"):
            bsn_normalise(wrong)


@pytest.mark.django_db
def test_a_search_kept_under_a_removed_key_counts_as_expired():
    world = build_world()
    client = client_for(world, KLANTMANAGER)
    location = client.post("/huishoudens/", {"zoekterm": "Bakker"})["Location"]
    assert client.get(location).context["zoekopdracht_verlopen"] is False
    with override_settings(BSN_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        clear_key_cache()
        response = client.get(location)
    assert response.status_code == 200
    assert response.context["zoekopdracht_verlopen"] is True
