"""The demo management commands: demo_genereren, demo_logins, demo_totp."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.demo import constants as c
from perspectief.demo.selectors import demo_totp_code
from perspectief.huishoudens import policies
from perspectief.huishoudens.models import Huishouden
from perspectief.toegang.constants import Rol
from perspectief.toegang.models import Gebruiker
from tests.factories import GebruikerFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_demo_genereren_writes_households_and_reports_in_dutch():
    output = _run("demo_genereren", "--huishoudens", "25", "--seed", "3")
    assert Huishouden.objects.count() == 25
    assert "25 huishoudens" in output
    output = _run("demo_genereren", "--huishoudens", "25", "--seed", "3")
    assert "Eerdere demogegevens verwijderd: 25 huishoudens." in output
    assert Huishouden.objects.count() == 25


def test_demo_logins_lists_every_role_with_password_and_secret():
    _run("demo_genereren", "--huishoudens", "5")
    output = _run("demo_logins")
    assert c.DEMO_PASSWORD in output
    assert "manage.py demo_totp <gebruikersnaam>" in output
    for rol, username, *_ in c.MEDEWERKERS:
        line = next(line for line in output.splitlines() if f" {username} " in line)
        assert str(Rol(rol).label) in line
        device = TOTPDevice.objects.get(user__username=username)
        assert "sleutel " + __import__("base64").b32encode(device.bin_key).decode() in line
    assert c.INWONER_USERNAME in output


def test_demo_logins_without_demo_explains_what_to_do():
    with pytest.raises(CommandError, match="demo_genereren"):
        _run("demo_logins")


def test_demo_totp_prints_the_code_the_device_accepts():
    _run("demo_genereren", "--huishoudens", "5")
    code = _run("demo_totp", "demo.klantmanager").strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username="demo.klantmanager")
    assert device.verify_token(code) is True


def test_demo_totp_code_at_a_fixed_time_matches_rfc6238_totp():
    _run("demo_genereren", "--huishoudens", "5")
    device = TOTPDevice.objects.get(user__username="demo.budgetbeheerder")
    totp = TOTP(device.bin_key, step=30, t0=0, digits=6)
    totp.time = 1_800_000_000
    assert demo_totp_code(username="demo.budgetbeheerder", at=1_800_000_000) == (f"{totp.token():06d}", 30)
    assert demo_totp_code(username="demo.budgetbeheerder", at=1_800_000_010)[1] == 20


@pytest.mark.parametrize("username", ["demo.inwoner", "onbekend", "demo.klantmanager-elders"])
def test_demo_totp_refuses_accounts_that_are_not_demo_staff(username):
    _run("demo_genereren", "--huishoudens", "5")
    with pytest.raises(CommandError, match="geen demo-medewerker"):
        _run("demo_totp", username)


def test_demo_totp_refuses_a_real_account_even_with_a_demo_like_name():
    GebruikerFactory(username="demo.echt")  # gemeente Voorbeeld, but its own secret
    with pytest.raises(CommandError, match="demo-sleutel"):
        _run("demo_totp", "demo.echt")


def test_demo_accounts_log_in_through_the_real_pages():
    """The printed password and the demo_totp code are what a demo visitor uses."""
    from django.test import Client

    _run("demo_genereren", "--huishoudens", "40")
    for username in ("demo.klantmanager", "demo.buddy"):
        client = Client()
        response = client.post("/toegang/inloggen/", {"username": username, "password": c.DEMO_PASSWORD})
        assert response.status_code == 302
        code, _seconds = demo_totp_code(username=username)
        response = client.post("/toegang/tweede-stap/", {"token": code})
        assert response.status_code == 302
        response = client.get("/huishoudens/")
        assert response.status_code == 200
        shown = sum(1 for h in Huishouden.objects.all() if f"/huishoudens/{h.uuid}/" in response.content.decode())
        caseload = policies.households_visible_to(Gebruiker.objects.get(username=username)).count()
        assert caseload == (17 if username == "demo.klantmanager" else c.BUDDY_KOPPELINGEN)
        assert shown == caseload

    resident = Client()
    response = resident.post("/toegang/inwoner/demo/", {"username": c.INWONER_USERNAME, "password": c.DEMO_PASSWORD})
    assert response.status_code == 302
    assert resident.get("/mijn-gegevens/").status_code == 200
