"""The waiting room for large statement uploads (wachtrij.py) and the import task that reads
it: stored encrypted and atomically, read back exactly, a changed file refused with nothing
imported, removed once the import ended (done, refused, failed) but kept when the worker is
interrupted, and old files cleaned up by the hourly task."""

from __future__ import annotations

import os
import stat
import time

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.db.models.signals import post_save

from perspectief.audit.models import AuditRegel
from perspectief.celery import app
from perspectief.huishoudboekje import wachtrij
from perspectief.huishoudboekje.constants import BestandStatus
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie
from perspectief.huishoudboekje.tasks import WACHTRIJ_SCHEDULE_NAME, bankbestand_inlezen_task, wachtrij_opruimen

from ..contrib.bankformaten.builders import camt_document, camt_entry
from .factories import TussenrekeningFactory

BEWONER_IBAN = "NL02RABO0123456789"  # a resident's account in the statement below
BEWONER_NAAM = "J. de Vries-Jansen"


@pytest.fixture(autouse=True)
def wachtkamer(settings, tmp_path):
    settings.HUISHOUDBOEKJE_UPLOAD_DIR = str(tmp_path / "wachtkamer")
    return tmp_path / "wachtkamer"


@pytest.fixture
def tussenrekening(db):
    return TussenrekeningFactory()


def afschrift() -> bytes:
    return camt_document([
        camt_entry("125.00", "CRDT", "2026-02-03", name=BEWONER_NAAM, iban=BEWONER_IBAN,
                   remittance="Toeslag februari", end_to_end_id="W-1", reference="W-1"),
        camt_entry("13.50", "CRDT", "2026-02-04", end_to_end_id="W-2", reference="W-2"),
    ])


def in_stukken(data: bytes, grootte: int = 1000) -> list[bytes]:
    return [data[i:i + grootte] for i in range(0, len(data), grootte)]


def importeer(tussenrekening, pad: str, *, opruimen: bool = True) -> int:
    return bankbestand_inlezen_task.delay(
        tussenrekening_id=tussenrekening.pk, pad=pad, bestandsnaam="groot.xml", opruimen=opruimen, versleuteld=True,
    ).get()


# --- storing and reading ---------------------------------------------------------------------


def test_a_stored_upload_holds_no_plain_personal_data_and_reads_back_exactly(wachtkamer):
    data = afschrift()
    assert BEWONER_IBAN.encode() in data and BEWONER_NAAM.encode() in data  # the test can fail
    pad = wachtrij.opslaan(in_stukken(data))
    opgeslagen = open(pad, "rb").read()
    assert BEWONER_IBAN.encode() not in opgeslagen and BEWONER_NAAM.encode() not in opgeslagen
    assert b"<?xml" not in opgeslagen and b"Toeslag" not in opgeslagen
    assert wachtrij.lezen(pad) == data


def test_a_stored_upload_is_private_and_complete_under_its_final_name(wachtkamer):
    pad = wachtrij.opslaan(in_stukken(afschrift()))
    assert [p.name for p in wachtkamer.iterdir()] == [os.path.basename(pad)]  # no half-written file left
    assert os.path.basename(pad).startswith(wachtrij.VOORVOEGSEL) and not pad.endswith(wachtrij.DEEL)
    assert stat.S_IMODE(os.stat(pad).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(wachtkamer).st_mode) == 0o700
    assert wachtrij.opslaan([b"twee"]) != pad  # every upload its own random name


def test_the_bsn_keys_do_not_open_a_waiting_file(settings):
    pad = wachtrij.opslaan([afschrift()])
    with pytest.raises(InvalidToken):
        MultiFernet([Fernet(key) for key in settings.BSN_ENCRYPTION_KEYS]).decrypt(open(pad, "rb").read())


def test_after_a_key_rotation_the_old_key_still_reads_as_a_fallback(settings):
    pad = wachtrij.opslaan([afschrift()])
    oud = settings.SECRET_KEY
    settings.SECRET_KEY = "een-nieuwe-lange-geheime-sleutel-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [oud]
    assert wachtrij.lezen(pad) == afschrift()
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(wachtrij.BestandOnleesbaar, match="cannot be decrypted"):
        wachtrij.lezen(pad)


def test_a_changed_file_is_refused_with_a_clear_error():
    pad = wachtrij.opslaan([afschrift()])
    token = bytearray(open(pad, "rb").read())
    token[60] = ord("A") if token[60] != ord("A") else ord("B")  # one character of the ciphertext
    open(pad, "wb").write(bytes(token))
    with pytest.raises(wachtrij.BestandOnleesbaar, match="changed on disk"):
        wachtrij.lezen(pad)
    open(pad, "wb").write(bytes(token[: len(token) // 2]))  # a truncated file
    with pytest.raises(wachtrij.BestandOnleesbaar):
        wachtrij.lezen(pad)


# --- the import task ---------------------------------------------------------------------------


def test_the_task_imports_the_stored_file_and_removes_it(tussenrekening, wachtkamer):
    pad = wachtrij.opslaan(in_stukken(afschrift()))
    pk = importeer(tussenrekening, pad)
    bestand = Bankbestand.objects.get(pk=pk)
    assert (bestand.status, bestand.nieuw) == (BestandStatus.KLAAR, 2)
    assert list(wachtkamer.iterdir()) == []


def test_a_refused_file_is_removed_too(tussenrekening, wachtkamer):
    pad = wachtrij.opslaan([b"dit is geen bankafschrift"])
    bestand = Bankbestand.objects.get(pk=importeer(tussenrekening, pad))
    assert bestand.status == BestandStatus.GEWEIGERD
    assert list(wachtkamer.iterdir()) == []


def test_a_changed_file_imports_nothing_and_is_removed(tussenrekening, wachtkamer):
    pad = wachtrij.opslaan([afschrift()])
    token = open(pad, "rb").read()
    open(pad, "wb").write(token[:-4] + b"AAAA")
    bestand = Bankbestand.objects.get(pk=importeer(tussenrekening, pad))
    # Refused with a reason the list shows (not left "waiting"); nothing imported.
    assert (bestand.status, bestand.weigercode) == (BestandStatus.GEWEIGERD, "kapot_bestand")
    assert "veranderd terwijl het wachtte" in bestand.melding
    assert (Bankbestand.objects.count(), Banktransactie.objects.count()) == (1, 0)
    assert list(wachtkamer.iterdir()) == []


def test_without_opruimen_the_file_stays(tussenrekening):
    pad = wachtrij.opslaan([afschrift()])
    importeer(tussenrekening, pad, opruimen=False)
    assert os.path.exists(pad)


def test_an_interrupted_worker_keeps_the_file_so_the_redelivered_task_can_read_it(tussenrekening, wachtkamer):
    """A shutdown (KeyboardInterrupt / SystemExit, raised here when the import creates its
    row) is not the end of the import: the file stays, and the second run imports it once
    and removes it. (kill -9 runs no Python at all, so it keeps the file as well.)"""
    pad = wachtrij.opslaan([afschrift()])

    def onderbreek(sender, created, **kwargs):
        if created:
            raise KeyboardInterrupt

    post_save.connect(onderbreek, sender=Bankbestand)
    try:
        with pytest.raises(KeyboardInterrupt):
            importeer(tussenrekening, pad)
    finally:
        post_save.disconnect(onderbreek, sender=Bankbestand)
    assert os.path.exists(pad)
    bestand = Bankbestand.objects.get(pk=importeer(tussenrekening, pad))
    assert (bestand.status, bestand.nieuw, Banktransactie.objects.count()) == (BestandStatus.KLAAR, 2, 2)
    assert list(wachtkamer.iterdir()) == []


# --- cleaning up ---------------------------------------------------------------------------------


def maak_oud(pad, uren: float) -> None:
    tijd = time.time() - uren * 3600
    os.utime(pad, (tijd, tijd))


def test_cleanup_removes_only_old_waiting_files(settings, wachtkamer):
    settings.HUISHOUDBOEKJE_UPLOAD_MAX_UUR = 24
    oud = wachtrij.opslaan([b"oud"])
    maak_oud(oud, 25)
    vers = wachtrij.opslaan([b"vers"])
    maak_oud(vers, 23)
    half = wachtkamer / f"{wachtrij.VOORVOEGSEL}x{wachtrij.DEEL}"  # left by a web process that died writing
    half.write_bytes(b"half")
    maak_oud(half, 30)
    vreemd = wachtkamer / "niet-van-ons.txt"
    vreemd.write_bytes(b"iets anders")
    maak_oud(vreemd, 100)
    assert wachtrij.opruimen() == 2
    assert sorted(p.name for p in wachtkamer.iterdir()) == sorted([os.path.basename(vers), vreemd.name])
    assert wachtrij.opruimen() == 0


def test_the_hourly_task_cleans_up_and_logs_and_audits_only_the_count(db, settings, wachtkamer, caplog):
    settings.HUISHOUDBOEKJE_UPLOAD_MAX_UUR = 2
    oud = wachtrij.opslaan([b"oud"])
    maak_oud(oud, 3)
    assert wachtrij_opruimen.delay().get() == 1
    assert not os.path.exists(oud)
    assert "removed 1 waiting statement file(s)" in caplog.text
    assert os.path.basename(oud) not in caplog.text
    regel = AuditRegel.objects.get(object_type="huishoudboekje.wachtend_afschrift")
    assert regel.details == {"aantal": 1}
    assert wachtrij_opruimen.delay().get() == 0
    assert AuditRegel.objects.filter(object_type="huishoudboekje.wachtend_afschrift").count() == 1


def test_the_cleanup_runs_every_hour():
    schema = app.conf.beat_schedule[WACHTRIJ_SCHEDULE_NAME]
    assert schema["task"] == "perspectief.huishoudboekje.tasks.wachtrij_opruimen"
    assert schema["schedule"].hour == set(range(24)) and len(schema["schedule"].minute) == 1
