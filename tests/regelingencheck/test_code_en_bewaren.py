"""The reopen code (hash only, guessing limited) and keeping answers at most 30 days."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.regelingencheck import services
from perspectief.regelingencheck.codes import code_hash, code_maken, code_normaliseren
from perspectief.regelingencheck.constants import CODE_ALFABET, CODE_MAX_FOUTE_POGINGEN
from perspectief.regelingencheck.models import CheckAntwoorden, CodePoging
from tests.factories import GemeenteFactory

from .helpers import vul_in


@pytest.fixture
def gemeente(db):
    return GemeenteFactory()


def _code_van(client) -> str:
    response = client.post("/check/voorbeeld/code/")
    assert response["Location"] == "/check/voorbeeld/uitkomst/#code"
    html = client.get("/check/voorbeeld/uitkomst/").content.decode()
    return re.search(r'data-testid="code">([^<]+)<', html).group(1)


def test_codes_are_two_groups_of_four_unambiguous_characters():
    codes = {code_maken() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(rf"[{CODE_ALFABET}]{{4}}-[{CODE_ALFABET}]{{4}}", code)
    assert not set(CODE_ALFABET) & set("0O1IL2Z5S8BUV")


def test_codes_are_normalised_as_people_type_them():
    assert code_normaliseren("km4t 9rxc") == "KM4T-9RXC"
    assert code_normaliseren(" KM4T9RXC ") == "KM4T-9RXC"
    assert code_normaliseren("KM4T-9RX0") == ""  # 0 is not in the alphabet
    assert code_normaliseren("KM4T-9RX") == ""
    assert code_hash("km4t 9rxc") == code_hash("KM4T-9RXC")
    assert code_hash("KM4T-9RXC") != code_hash("KM4T-9RXD")


def test_only_the_hash_is_stored_and_the_code_reopens_the_result_elsewhere(gemeente):
    client = Client()
    vul_in(client)
    code = _code_van(client)
    check = CheckAntwoorden.objects.get()
    assert check.code_hash == code_hash(code) and len(check.code_hash) == 64
    assert code not in str(CheckAntwoorden.objects.values().get())

    ander_apparaat = Client()
    response = ander_apparaat.post("/check/voorbeeld/openen/", {"code": code.lower().replace("-", " ")})
    assert response["Location"] == "/check/voorbeeld/uitkomst/"
    assert "Uw uitkomst" in ander_apparaat.get("/check/voorbeeld/uitkomst/").content.decode()
    assert CodePoging.objects.count() == 0


def test_a_new_code_replaces_the_old_one(gemeente):
    client = Client()
    vul_in(client)
    oud = _code_van(client)
    nieuw = _code_van(client)
    assert oud != nieuw
    assert Client().post("/check/voorbeeld/openen/", {"code": oud}).status_code == 200
    assert Client().post("/check/voorbeeld/openen/", {"code": nieuw}).status_code == 302


def test_a_wrong_code_says_so_and_guessing_is_limited(gemeente):
    client = Client()
    vul_in(client)
    code = _code_van(client)
    gokker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(CODE_MAX_FOUTE_POGINGEN):
        response = gokker.post("/check/voorbeeld/openen/", {"code": "AAAA-AAAA"})
        assert response.status_code == 200
        assert "Deze code kennen wij niet." in response.content.decode()
    # Now even the right code is refused from this origin, and the refusal is audit-logged.
    response = gokker.post("/check/voorbeeld/openen/", {"code": code})
    assert response.status_code == 429
    assert "U heeft te vaak een code geprobeerd die niet klopt." in response.content.decode()
    assert AuditRegel.objects.filter(object_type="regelingencheck_code", resultaat="geweigerd").count() == 1
    assert CodePoging.objects.count() == CODE_MAX_FOUTE_POGINGEN
    assert "203.0.113.9" not in str(list(CodePoging.objects.values()))
    # Another origin is not affected; after the window the origin may try again.
    assert Client(REMOTE_ADDR="198.51.100.7").post("/check/voorbeeld/openen/", {"code": code}).status_code == 302
    later = timezone.now() + timedelta(minutes=16)
    assert services.check_openen_met_code(gemeente=gemeente, code=code, ip_address="203.0.113.9", nu=later) is not None


def test_a_code_of_another_gemeente_does_not_open(gemeente):
    GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp")
    client = Client()
    vul_in(client)
    code = _code_van(client)
    assert Client().post("/check/anderdorp/openen/", {"code": code}).status_code == 200


def test_answers_are_deleted_at_30_days_and_not_before(gemeente):
    client = Client()
    vul_in(client)
    code = _code_van(client)
    check = CheckAntwoorden.objects.get()
    begin = check.aangemaakt_op
    assert check.verloopt_op == begin + timedelta(days=30)

    net_niet = begin + timedelta(days=30) - timedelta(seconds=1)
    assert services.checks_opruimen(nu=net_niet) == {"checks": 0, "codepogingen": 0}
    assert services.check_openen_met_code(gemeente=gemeente, code=code, ip_address="192.0.2.1", nu=net_niet) == check
    assert services.checks_opruimen(nu=begin + timedelta(days=30)) == {"checks": 1, "codepogingen": 0}
    assert not CheckAntwoorden.objects.exists()
    assert Client().post("/check/voorbeeld/openen/", {"code": code}).status_code == 200


def test_an_expired_check_is_not_shown_even_before_the_clean_up(gemeente):
    client = Client()
    vul_in(client)
    CheckAntwoorden.objects.update(verloopt_op=timezone.now() - timedelta(seconds=1))
    assert client.get("/check/voorbeeld/uitkomst/")["Location"] == "/check/voorbeeld/"


def test_the_command_and_the_task_delete_expired_answers_and_old_tries(gemeente, capsys):
    nu = timezone.now()
    oud = services.check_start(gemeente=gemeente, nu=nu - timedelta(days=31))
    vers = services.check_start(gemeente=gemeente, nu=nu - timedelta(days=29))
    CodePoging.objects.create(herkomst="x", tijdstip=nu - timedelta(days=2))
    CodePoging.objects.create(herkomst="x", tijdstip=nu - timedelta(hours=1))
    call_command("check_opruimen")
    assert capsys.readouterr().out == "Verwijderd: 1 checks, 1 codepogingen.\n"
    assert list(CheckAntwoorden.objects.values_list("pk", flat=True)) == [vers.pk]
    assert not CheckAntwoorden.objects.filter(pk=oud.pk).exists()

    from perspectief.regelingencheck.tasks import checks_opruimen_task

    CheckAntwoorden.objects.filter(pk=vers.pk).update(verloopt_op=nu - timedelta(seconds=1))
    assert checks_opruimen_task.delay().get() == {"checks": 1, "codepogingen": 0}


def test_celery_beat_runs_the_clean_up_every_hour():
    from perspectief.celery import app

    app.loader.import_default_modules()
    taak = app.conf.beat_schedule["regelingencheck: verlopen antwoorden wissen"]
    assert taak["task"] == "perspectief.regelingencheck.tasks.checks_opruimen_task"
    assert str(taak["schedule"]) == "<crontab: 17 * * * * (m/h/dM/MY/d)>"
