"""HTTP-level protection: CSRF, Content-Security-Policy without inline script, framing,
and the production profile (check --deploy, secure cookies, HSTS, no demo secrets)."""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client

from perspectief.huishoudens.models import Persoon

from ..factories import PASSWORD, current_totp
from .world import (
    ANONIEM,
    ARMOEDEREGISSEUR,
    FUNCTIONEEL_BEHEERDER,
    INWONER,
    KLANTMANAGER,
    build_world,
    client_for,
)

REPOSITORY = Path(__file__).resolve().parents[2]


def _csrf_token(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the page should carry a CSRF token"
    return match.group(1)


def _csrf_login(client: Client, user) -> Client:
    token = _csrf_token(client.get("/toegang/inloggen/"))
    response = client.post("/toegang/inloggen/", {"username": user.username, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    token = _csrf_token(client.get("/toegang/tweede-stap/"))
    response = client.post("/toegang/tweede-stap/", {"token": current_totp(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    return client


@pytest.fixture
def world(db):
    return build_world()


# --- CSRF -------------------------------------------------------------------------------------

def test_login_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.get("/toegang/inloggen/")
    response = client.post("/toegang/inloggen/", {"username": "klantmanager1", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login_with_csrf_token_works(world):
    client = _csrf_login(Client(enforce_csrf_checks=True), world.users[KLANTMANAGER])
    assert client.get("/start/").status_code == 200


def test_changes_without_csrf_token_are_refused_and_change_nothing(world):
    client = _csrf_login(Client(enforce_csrf_checks=True), world.users[KLANTMANAGER])
    people = Persoon.objects.count()
    response = client.post(f"/huishoudens/{world.eigen.uuid}/personen/nieuw/", {
        "rol": "kind", "voornamen": "Lot", "achternaam": "Bakker", "geboortedatum": "2019-08-01",
    })
    assert response.status_code == 403
    assert Persoon.objects.count() == people
    assert client.post("/huishoudens/", {"zoekterm": "Bakker"}).status_code == 403
    assert client.post("/toegang/uitloggen/").status_code == 403
    assert client.get("/start/").status_code == 200  # the forged logout did not log out


def test_htmx_requests_pass_the_csrf_token_in_a_header(world):
    client = _csrf_login(Client(enforce_csrf_checks=True), world.users[KLANTMANAGER])
    page = client.get("/huishoudens/").content.decode()
    match = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page)
    assert match, "the page should give htmx the CSRF token"
    response = client.post("/huishoudens/", {"zoekterm": "Bakker"}, HTTP_HX_REQUEST="true",
                           HTTP_X_CSRFTOKEN=match.group(1))
    assert response.status_code == 200


# --- headers and the Content-Security-Policy -------------------------------------------------

def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


PAGES_BY_ACTOR = {
    ANONIEM: ["/", "/toegang/inloggen/", "/toegang/inwoner/", "/toegang/inwoner/demo/", "/bestaat-niet/"],
    KLANTMANAGER: ["/start/", "/huishoudens/", "/huishoudens/nieuw/", "EIGEN/", "EIGEN/personen/nieuw/",
                   "EIGEN/toestemmingen/nieuw/", "/cijfers/"],
    ARMOEDEREGISSEUR: ["/cijfers/", "/huishoudens/"],
    FUNCTIONEEL_BEHEERDER: ["/audit/"],
    INWONER: ["/mijn-gegevens/"],
}


class _InlineCode(HTMLParser):
    """Finds what a CSP without 'unsafe-inline' would block: inline scripts, style elements and
    attributes, event-handler attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not attributes.get("src"):
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("script body")


@pytest.mark.parametrize("actor", list(PAGES_BY_ACTOR))
def test_pages_send_security_headers_and_contain_no_inline_code(world, actor):
    client = client_for(world, actor)
    for path in PAGES_BY_ACTOR[actor]:
        path = path.replace("EIGEN", f"/huishoudens/{world.eigen.uuid}")
        response = client.get(path)
        assert response.status_code in (200, 403, 404), path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        csp = _csp(response)
        assert csp["script-src"] == ["'self'"], path
        assert csp["style-src"] == ["'self'"], path
        assert csp["default-src"] == ["'self'"], path
        assert csp["object-src"] == ["'none'"], path
        assert csp["frame-ancestors"] == ["'none'"], path
        assert csp["base-uri"] == ["'self'"], path
        assert csp["form-action"] == ["'self'"], path
        assert "unsafe" not in response["Content-Security-Policy"], path
        parser = _InlineCode()
        parser.feed(response.content.decode())
        assert parser.problems == [], path


def test_json_endpoint_has_the_headers_too(client, db):
    response = client.get("/health/")
    assert response["X-Frame-Options"] == "DENY"
    assert _csp(response)["script-src"] == ["'self'"]


# --- the production profile --------------------------------------------------------------

def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "SECRET"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "perspectief.conf.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "BSN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BSN_BLIND_INDEX_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "perspectief.example",
    })
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPOSITORY, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


_PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME",
    "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "INWONER_LOGIN_METHODS"]}))
"""


def test_production_sets_secure_cookies_and_hsts():
    result = _run(["-c", _PRINT_SETTINGS], _production_env())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31_536_000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid", "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "X_FRAME_OPTIONS": "DENY", "SECURE_CONTENT_TYPE_NOSNIFF": True, "INWONER_LOGIN_METHODS": [],
    }


def test_production_never_enables_the_demo_resident_login():
    result = _run(["-c", _PRINT_SETTINGS], _production_env(INWONER_LOGIN_METHODS="demo,digid"))
    assert json.loads(result.stdout)["INWONER_LOGIN_METHODS"] == ["digid"]


@pytest.mark.parametrize(("overrides", "message"), [
    ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "kort"}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "perspectief-demo-only-not-secret" + "x" * 40}, "SECRET_KEY must be set"),
    ({"BSN_ENCRYPTION_KEYS": None}, "BSN_ENCRYPTION_KEYS and BSN_BLIND_INDEX_KEY must be set"),
    ({"BSN_BLIND_INDEX_KEY": None}, "BSN_ENCRYPTION_KEYS and BSN_BLIND_INDEX_KEY must be set"),
    ({"BSN_ENCRYPTION_KEYS": "ZGVtby1vbmx5LWtleS1ub3Qtc2VjcmV0LTAwMDAwMDA=," + Fernet.generate_key().decode()},
     "BSN_ENCRYPTION_KEYS and BSN_BLIND_INDEX_KEY must be set"),
    ({"SECRET_KEY_FALLBACKS": "perspectief-demo-only-not-secret"}, "SECRET_KEY_FALLBACKS must not hold the demo key"),
], ids=["no_secret", "short_secret", "demo_secret", "no_bsn_keys", "no_blind_index_key", "demo_bsn_key_kept",
        "demo_secret_as_fallback"])
def test_production_refuses_demo_secrets(overrides, message):
    result = _run(["-c", "import django; django.setup()"], _production_env(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
