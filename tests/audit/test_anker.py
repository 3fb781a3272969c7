"""Anchoring the audit chain's head outside the database: the hourly task writes the head to a
JSON log line and an append-only file, and `audit_verify --anker` finds a log whose last
entries were deleted and whose head was rewound, which the chain alone cannot see."""

import json
import logging
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from pythonjsonlogger.json import JsonFormatter

from perspectief.audit.anker import audit_ankers_controleren
from perspectief.audit.constants import GENESIS_HASH
from perspectief.audit.models import AuditKetting, AuditRegel
from perspectief.audit.selectors import VerificationProblem, audit_verify_report
from perspectief.audit.services import audit_record
from perspectief.audit.tasks import ANKER_SCHEDULE_NAME, audit_anker_task, audit_verify_task

from ..factories import GebruikerFactory
from .test_chain import _tamper


def _add_entries(count: int, actor=None) -> None:
    for number in range(count):
        audit_record(
            actor=actor, actie="inzien", object_type="huishouden", object_id=number,
            huishouden_id=number,
        )


def _hash_of(volgnummer: int) -> str:
    return AuditRegel.objects.get(volgnummer=volgnummer).hash


@pytest.fixture
def anker_bestand(settings, tmp_path):
    settings.AUDIT_ANKER_BESTAND = str(tmp_path / "sub" / "audit-anker.jsonl")
    return tmp_path / "sub" / "audit-anker.jsonl"


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _verify(path) -> str:
    stdout = StringIO()
    call_command("audit_verify", anker=str(path), stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def _verify_failure(path) -> tuple[str, str]:
    stderr = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", anker=str(path), stdout=StringIO(), stderr=stderr)
    return str(failure.value), stderr.getvalue()


def _rewind_to(volgnummer: int) -> None:
    """The attack: delete every entry after `volgnummer` (triggers lifted) and set the head
    back, which has no trigger. The chain alone then looks whole."""
    hash_ = _hash_of(volgnummer)
    _tamper("DELETE FROM audit_auditregel WHERE volgnummer > %s", [volgnummer])
    AuditKetting.objects.filter(id=1).update(laatste_volgnummer=volgnummer, laatste_hash=hash_)


# --- anchoring -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_task_appends_the_current_head_to_the_file(anker_bestand):
    _add_entries(3, GebruikerFactory())
    first = audit_anker_task.delay().get()
    _add_entries(2)
    second = audit_anker_task.delay().get()

    lines = _lines(anker_bestand)
    heads = [(line["volgnummer"], line["hash"]) for line in lines]
    assert heads == [(3, _hash_of(3)), (5, _hash_of(5))]
    assert lines == [first, second]
    assert set(lines[0]) == {"tijdstip", "volgnummer", "hash"}  # ids and hashes only
    assert lines[0]["tijdstip"].endswith("+00:00")
    # Anchoring is no audit event itself: the head did not move.
    assert AuditKetting.objects.get(id=1).laatste_volgnummer == 5


@pytest.mark.django_db
def test_task_writes_one_json_log_line_on_the_anchor_logger(anker_bestand, caplog, tmp_path):
    _add_entries(2)
    with caplog.at_level(logging.INFO, logger="perspectief.audit.anker"):
        audit_anker_task.delay().get()
    [record] = [r for r in caplog.records if r.name == "perspectief.audit.anker"]
    # Formatted with the JSON formatter from the project's LOGGING settings.
    config = django_settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(config["fmt"], rename_fields=config["rename_fields"])
    record.request_id = "-"  # set by the console handler's filter in production
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["logger"] == "perspectief.audit.anker"
    assert (data["volgnummer"], data["hash"]) == (2, _hash_of(2))
    # The log collector's copy can be checked like the file.
    collected = tmp_path / "uit-logcollector.jsonl"
    collected.write_text(line + "\n")
    assert _verify(collected).endswith("Ankers zijn in orde: 1 ankers gecontroleerd.\n")
    _rewind_to(1)
    _, stderr = _verify_failure(collected)
    assert stderr.startswith("regel 2: regel ontbreekt, maar staat in anker van ")


def test_the_anchor_logger_stays_on_when_log_level_is_raised():
    assert django_settings.LOGGING["loggers"]["perspectief.audit.anker"]["level"] == "INFO"


@pytest.mark.django_db
def test_empty_setting_writes_the_log_line_only(settings, tmp_path, caplog):
    settings.AUDIT_ANKER_BESTAND = ""
    _add_entries(1)
    with caplog.at_level(logging.INFO, logger="perspectief.audit.anker"):
        assert audit_anker_task.delay().get()["volgnummer"] == 1
    assert [r.volgnummer for r in caplog.records if r.name == "perspectief.audit.anker"] == [1]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_empty_log_is_anchored_at_the_genesis_hash(anker_bestand):
    audit_anker_task.delay().get()
    [line] = _lines(anker_bestand)
    assert (line["volgnummer"], line["hash"]) == (0, GENESIS_HASH)
    assert _verify(anker_bestand).endswith("Ankers zijn in orde: 1 ankers gecontroleerd.\n")


@pytest.mark.django_db
def test_management_command_anchors_for_cron(anker_bestand):
    _add_entries(4)
    stdout = StringIO()
    call_command("audit_anker", stdout=stdout)
    assert stdout.getvalue() == f"Anker vastgelegd: regel 4, hash {_hash_of(4)}.\n"
    assert [line["volgnummer"] for line in _lines(anker_bestand)] == [4]


def test_beat_runs_the_anchor_every_hour_next_to_the_other_apps():
    from perspectief.celery import app

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    taak = schedule[ANKER_SCHEDULE_NAME]
    assert taak["task"] == "perspectief.audit.tasks.audit_anker_task"
    assert str(taak["schedule"]) == "<crontab: 5 * * * * (m/h/dM/MY/d)>"
    # Added to, not replacing, the other apps' entries.
    assert "regelingencheck: verlopen antwoorden wissen" in schedule
    assert "huishoudboekje: signalen bijwerken" in schedule


# --- verification ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_intact_chain_passes_with_its_anchors(anker_bestand):
    _add_entries(5)
    audit_anker_task.delay().get()
    audit_anker_task.delay().get()  # an hour without entries anchors the same head again
    _add_entries(5)
    audit_anker_task.delay().get()
    assert _verify(anker_bestand) == (
        "Auditlog is in orde: 10 regels gecontroleerd.\n"
        "Ankers zijn in orde: 2 ankers gecontroleerd.\n"
    )


@pytest.mark.django_db
def test_deleted_last_entries_with_rewound_head_fail_on_the_anchor(anker_bestand):
    tien = _anchored_then_rewound()

    # Without the anchors the rewound log looks whole: this is the gap the anchors close.
    assert audit_verify_report().problems == ()
    assert _verify_without_anchor() == "Auditlog is in orde: 7 regels gecontroleerd.\n"

    message, stderr = _verify_failure(anker_bestand)
    assert message == "Auditlog is NIET in orde: 2 probleem/problemen gevonden."
    assert stderr == (
        f"regel 10: regel ontbreekt, maar staat in anker van {tien['tijdstip']}\n"
        "ankers: log is teruggezet: laatste regel is 7, "
        f"maar anker van {tien['tijdstip']} had al regel 10\n"
    )


def _anchored_then_rewound() -> dict:
    """Ten entries anchored at 5 and at 10, then the last three deleted and the head
    rewound to 7 (the attack); returns the anchor of entry 10."""
    _add_entries(5)
    audit_anker_task.delay().get()
    _add_entries(5)
    tien = audit_anker_task.delay().get()
    _rewind_to(7)
    return tien


def _verify_without_anchor() -> str:
    stdout = StringIO()
    call_command("audit_verify", stdout=stdout)
    return stdout.getvalue()


@pytest.mark.django_db
def test_rewritten_tail_after_rewind_fails_on_the_changed_hash(anker_bestand):
    """The attacker rewinds and then writes new entries past the anchored number: the head is
    beyond the anchor again, but the anchored entry's hash no longer matches."""
    _add_entries(6)
    zes = audit_anker_task.delay().get()
    _rewind_to(4)
    _add_entries(3)
    assert audit_verify_report().problems == ()
    assert list(audit_ankers_controleren(anker_bestand.read_text().splitlines()).problems) == [
        VerificationProblem(6, f"hash wijkt af van anker van {zes['tijdstip']}")
    ]
    _, stderr = _verify_failure(anker_bestand)
    assert stderr == f"regel 6: hash wijkt af van anker van {zes['tijdstip']}\n"


@pytest.mark.django_db
def test_unreadable_anchor_line_is_a_problem(anker_bestand):
    _add_entries(2)
    audit_anker_task.delay().get()
    with anker_bestand.open("a") as file:
        file.write('{"volgnummer": 2, "hash"\n')
    _, stderr = _verify_failure(anker_bestand)
    assert stderr == "ankers: regel 2 van het ankerbestand is niet leesbaar\n"


@pytest.mark.django_db
def test_missing_anchor_file_is_an_error_not_a_pass(tmp_path):
    with pytest.raises(CommandError, match="Ankerbestand niet gevonden"):
        call_command("audit_verify", anker=str(tmp_path / "weg.jsonl"), stdout=StringIO())


@pytest.mark.django_db
def test_anker_without_a_value_uses_the_setting(anker_bestand):
    _add_entries(1)
    audit_anker_task.delay().get()
    stdout = StringIO()
    call_command("audit_verify", "--anker", stdout=stdout)
    assert "Ankers zijn in orde: 1 ankers gecontroleerd." in stdout.getvalue()


# --- the background verification task ------------------------------------------------------


@pytest.mark.django_db
def test_background_check_finds_a_rewound_log_through_the_anchor_file(anker_bestand):
    tien = _anchored_then_rewound()
    assert audit_verify_report().problems == ()  # the chain alone looks whole

    assert audit_verify_task.delay().get() == {
        "checked": 7,
        "problems": [
            {"volgnummer": 10, "reason": f"regel ontbreekt, maar staat in anker van {tien['tijdstip']}"},
            {
                "volgnummer": None,
                "reason": "log is teruggezet: laatste regel is 7, "
                f"maar anker van {tien['tijdstip']} had al regel 10",
            },
        ],
        "ankers_checked": 2,
    }


@pytest.mark.django_db
def test_background_check_reports_chain_and_anchor_problems_together(anker_bestand):
    _add_entries(6)
    zes = audit_anker_task.delay().get()
    _tamper("UPDATE audit_auditregel SET object_id = 'x' WHERE volgnummer = 2")
    _rewind_to(4)
    _add_entries(3)  # past the anchored number again, with other hashes
    problems = audit_verify_task.delay().get()["problems"]
    assert problems == [
        {"volgnummer": 2, "reason": "inhoud van de regel is gewijzigd"},
        {"volgnummer": 6, "reason": f"hash wijkt af van anker van {zes['tijdstip']}"},
    ]


@pytest.mark.django_db
def test_background_check_passes_an_intact_chain_with_its_anchors(anker_bestand):
    _add_entries(5)
    audit_anker_task.delay().get()
    audit_anker_task.delay().get()
    _add_entries(5)
    audit_anker_task.delay().get()
    assert audit_verify_task.delay().get() == {"checked": 10, "problems": [], "ankers_checked": 2}


@pytest.mark.django_db
@pytest.mark.parametrize("zonder", ["niet ingesteld", "nog niet geschreven"])
def test_background_check_without_an_anchor_file_checks_the_chain_as_before(settings, tmp_path, zonder):
    settings.AUDIT_ANKER_BESTAND = "" if zonder == "niet ingesteld" else str(tmp_path / "nog-niet.jsonl")
    _add_entries(5)
    _rewind_to(3)  # not seen without anchors: the gap the anchors close
    assert audit_verify_task.delay().get() == {"checked": 3, "problems": []}
    _tamper("UPDATE audit_auditregel SET object_id = 'x' WHERE volgnummer = 2")
    assert audit_verify_task.delay().get() == {
        "checked": 3,
        "problems": [{"volgnummer": 2, "reason": "inhoud van de regel is gewijzigd"}],
    }
