"""Logging in: password plus mandatory TOTP for staff, enrolment, throttling, lockout,
separate resident and staff logins, POST-only logout, session lifetime."""

import base64
import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.audit.models import AuditRegel

from ..factories import PASSWORD, GebruikerFactory, InwonerFactory, current_totp
from .world import login_password_only, login_resident, login_staff

WRONG_CODE = "De code klopt niet. Wacht op een nieuwe code en probeer het opnieuw."
TOO_MANY = "Te veel foute codes. Wacht even en probeer het dan opnieuw."


def _other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _verified(client: Client) -> bool:
    return client.get("/start/").status_code == 200


@pytest.fixture
def medewerker(db):
    return GebruikerFactory(username="km")


# --- second factor ---------------------------------------------------------------------------

def test_password_alone_reaches_no_staff_page(medewerker):
    client = login_password_only(Client(), medewerker)
    for path in ("/start/", "/huishoudens/", "/huishoudens/nieuw/", "/cijfers/", "/audit/", "/mijn-gegevens/", "/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/toegang/tweede-stap/"), path


def test_correct_code_completes_the_login_and_keeps_a_safe_next(medewerker):
    client = Client()
    response = client.post("/toegang/inloggen/?next=/huishoudens/", {"username": "km", "password": PASSWORD})
    assert response["Location"] == "/toegang/tweede-stap/?next=%2Fhuishoudens%2F"
    response = client.post("/toegang/tweede-stap/", {"token": current_totp(), "next": "/huishoudens/"})
    assert (response.status_code, response["Location"]) == (302, "/huishoudens/")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_next_to_another_site_is_ignored(medewerker, target):
    client = Client()
    response = client.post("/toegang/inloggen/", {"username": "km", "password": PASSWORD, "next": target})
    assert response["Location"] == "/toegang/tweede-stap/"
    response = client.post("/toegang/tweede-stap/", {"token": current_totp(), "next": target})
    assert response["Location"] == "/start/"


def test_wrong_code_is_refused_and_repeated_wrong_codes_are_throttled(medewerker):
    client = login_password_only(Client(), medewerker)
    code = current_totp()
    response = client.post("/toegang/tweede-stap/", {"token": _other_code(code)})
    assert response.status_code == 200
    assert response.context["form"].errors == {"token": [WRONG_CODE]}
    device = TOTPDevice.objects.get(user=medewerker)
    assert device.throttling_failure_count == 1

    # After five failures the next try must wait 2**4 = 16 seconds, even with the right code.
    device.throttling_failure_count = 5
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    response = client.post("/toegang/tweede-stap/", {"token": code})
    assert response.context["form"].errors == {"token": [TOO_MANY]}
    assert not _verified(client)
    assert AuditRegel.objects.filter(actor_id=medewerker.pk, actie="inloggen", resultaat="mislukt").count() == 2

    # After the waiting time the right code works again.
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(minutes=5)
    device.save()
    response = client.post("/toegang/tweede-stap/", {"token": code})
    assert (response.status_code, response["Location"]) == (302, "/start/")


@pytest.mark.parametrize("token", ["12345", "abcdef", "", "1234567"])
def test_malformed_codes_get_a_clear_message(medewerker, token):
    client = login_password_only(Client(), medewerker)
    response = client.post("/toegang/tweede-stap/", {"token": token})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["token"]
    assert not _verified(client)


def test_a_code_cannot_be_used_twice(medewerker):
    client = login_password_only(Client(), medewerker)
    code = current_totp()
    assert client.post("/toegang/tweede-stap/", {"token": code}).status_code == 302
    client.post("/toegang/uitloggen/")
    other = login_password_only(Client(), medewerker)
    response = other.post("/toegang/tweede-stap/", {"token": code})
    assert response.context["form"].errors == {"token": [WRONG_CODE]}
    assert not _verified(other)


def _secret_from(response) -> bytes:
    return base64.b32decode(response.context["secret"])


def test_first_login_without_a_device_goes_to_enrolment_which_needs_a_correct_code(db):
    user = GebruikerFactory(username="nieuw", totp=False)
    client = login_password_only(Client(), user)
    response = client.get("/toegang/tweede-stap/")
    assert (response.status_code, response["Location"]) == (302, "/toegang/tweede-stap/instellen/")
    assert client.get("/start/")["Location"] == "/toegang/tweede-stap/"  # still no page

    page = client.get("/toegang/tweede-stap/instellen/")
    assert page.status_code == 200
    assert page.context["qr_data_uri"].startswith("data:image/svg+xml;base64,")
    key = _secret_from(page)
    good = f"{TOTP(key).token():06d}"

    response = client.post("/toegang/tweede-stap/instellen/", {"token": _other_code(good)})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["token"]
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not _verified(client)

    device = TOTPDevice.objects.get(user=user)
    device.throttling_failure_timestamp = None  # skip the throttle wait of the wrong try
    device.throttling_failure_count = 0
    device.save()
    response = client.post("/toegang/tweede-stap/instellen/", {"token": good})
    assert (response.status_code, response["Location"]) == (302, "/start/")
    assert TOTPDevice.objects.get(user=user).confirmed is True
    assert _verified(client)
    assert AuditRegel.objects.filter(actor_id=user.pk, object_type="tweede_factor", actie="aanmaken").count() == 1


def test_enrolment_is_closed_once_a_device_is_confirmed(medewerker):
    client = login_password_only(Client(), medewerker)
    response = client.post("/toegang/tweede-stap/instellen/", {"token": "123456"})
    assert (response.status_code, response["Location"]) == (302, "/toegang/tweede-stap/")
    assert TOTPDevice.objects.filter(user=medewerker).count() == 1


# --- lockout -------------------------------------------------------------------------------

def test_lockout_after_five_wrong_passwords_with_a_dutch_page(medewerker):
    client = Client()
    for attempt in range(1, 5):
        response = client.post("/toegang/inloggen/", {"username": "km", "password": f"fout-{attempt}"})
        assert response.status_code == 200, attempt
        assert "klopt niet" in response.content.decode()
    response = client.post("/toegang/inloggen/", {"username": "km", "password": "fout-5"})
    assert response.status_code == 429
    assert "Inloggen is even niet mogelijk" in response.content.decode()
    # Locked: even the right password is refused now.
    response = client.post("/toegang/inloggen/", {"username": "km", "password": PASSWORD})
    assert response.status_code == 429
    assert "Inloggen is even niet mogelijk" in response.content.decode()
    assert not _logged_in(client)
    assert settings.AXES_FAILURE_LIMIT == 5


def test_lockout_is_per_user_name_and_address(medewerker):
    GebruikerFactory(username="collega")
    client = Client()
    for attempt in range(5):
        client.post("/toegang/inloggen/", {"username": "km", "password": f"fout-{attempt}"})
    assert client.post("/toegang/inloggen/", {"username": "collega", "password": PASSWORD}).status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.77")
    assert elsewhere.post("/toegang/inloggen/", {"username": "km", "password": PASSWORD}).status_code == 302


# --- staff and residents are kept apart ------------------------------------------------------

def test_residents_cannot_use_the_staff_login(db):
    inwoner = InwonerFactory(username="bewoner")
    client = Client()
    response = client.post("/toegang/inloggen/", {"username": inwoner.username, "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Dit is de inlog voor medewerkers. Inwoners loggen in via de inwonerpagina."]
    }
    assert not _logged_in(client)


def test_staff_cannot_use_the_resident_login(medewerker):
    client = Client()
    response = client.post("/toegang/inwoner/demo/", {"username": "km", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Dit is de inlog voor inwoners. Medewerkers loggen in via de medewerkerspagina."]
    }
    assert not _logged_in(client)


def test_resident_login_reaches_only_the_resident_page(db):
    inwoner = InwonerFactory(username="bewoner")
    client = login_resident(Client(), inwoner)
    assert client.get("/mijn-gegevens/").status_code == 200
    assert client.get("/huishoudens/").status_code == 403


# --- logout and sessions -----------------------------------------------------------------

def test_logout_is_post_only(medewerker):
    client = login_staff(Client(), medewerker)
    assert client.get("/toegang/uitloggen/").status_code == 405
    assert _verified(client)
    response = client.post("/toegang/uitloggen/")
    assert (response.status_code, response["Location"]) == (302, "/toegang/inloggen/")
    assert client.get("/start/")["Location"] == "/toegang/inloggen/?next=/start/"
    assert AuditRegel.objects.filter(actor_id=medewerker.pk, actie="uitloggen").count() == 1


def test_session_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # idle timeout: every request extends it
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_session_cookie_is_http_only_and_ends_with_the_browser(medewerker):
    client = Client()
    response = client.post("/toegang/inloggen/", {"username": "km", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    session = Session.objects.get(session_key=cookie.value)
    lifetime = session.expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < lifetime <= datetime.timedelta(minutes=30)


def test_expired_session_needs_a_new_login(medewerker):
    client = login_staff(Client(), medewerker)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/start/")
    assert (response.status_code, response["Location"]) == (302, "/toegang/inloggen/?next=/start/")


def test_login_gives_a_new_session_key(medewerker):
    client = Client()
    client.get("/toegang/inloggen/")
    session = client.session
    session["marker"] = "x"
    session.save()
    before = session.session_key
    login_staff(client, medewerker)
    assert client.session.session_key != before


def test_failed_logins_and_lockout_log_no_user_name_or_address(db):
    import json

    from ..core.test_health_and_logging import json_log_output

    GebruikerFactory(username="j.jansen")
    client = Client(REMOTE_ADDR="192.0.2.55")
    with json_log_output() as output:
        for attempt in range(6):
            client.post("/toegang/inloggen/", {"username": "j.jansen", "password": f"fout-{attempt}"})
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    assert any("Locking out" in line["message"] for line in lines)  # the lockout is visible to operations
    assert all(line["request_id"] for line in lines)
    assert "jansen" not in output.getvalue() and "192.0.2.55" not in output.getvalue()


def test_demo_resident_login_does_not_exist_when_switched_off(db):
    from django.test import override_settings

    inwoner = InwonerFactory(username="bewoner")
    with override_settings(INWONER_LOGIN_METHODS=["digid"]):
        client = Client()
        assert client.get("/toegang/inwoner/demo/").status_code == 404
        response = client.post("/toegang/inwoner/demo/", {"username": inwoner.username, "password": PASSWORD})
        assert response.status_code == 404
        assert not _logged_in(client)
        assert "/toegang/inwoner/demo/" not in client.get("/toegang/inwoner/").content.decode()


@pytest.mark.django_db
def test_resident_login_returns_to_the_page_that_asked_for_it():
    InwonerFactory(username="terugkeer")
    client = Client()
    response = client.get("/mijn-gegevens/")
    assert response["Location"] == "/toegang/inwoner/?next=/mijn-gegevens/"
    chooser = client.get(response["Location"]).content.decode()
    assert 'href="/toegang/inwoner/demo/?next=%2Fmijn-gegevens%2F"' in chooser
    form = client.get("/toegang/inwoner/demo/?next=/check/voorbeeld/").content.decode()
    assert 'name="next" value="/check/voorbeeld/"' in form
    response = client.post(
        "/toegang/inwoner/demo/", {"username": "terugkeer", "password": PASSWORD, "next": "/check/voorbeeld/"}
    )
    assert response["Location"] == "/check/voorbeeld/"


@pytest.mark.django_db
def test_resident_login_never_redirects_to_another_site():
    InwonerFactory(username="veilig")
    response = Client().post(
        "/toegang/inwoner/demo/", {"username": "veilig", "password": PASSWORD, "next": "https://example.org/"}
    )
    assert response["Location"] == "/mijn-gegevens/"
