"""Anchoring the audit chain's head outside the database.

The triggers keep entries from being changed, and the hash chain shows a changed or removed
entry, but the head row (`AuditKetting`) has no trigger: someone with database rights can
delete the last entries and rewind the head, and the chain is whole again. So the head
(last volgnummer and its hash) is written regularly where the database cannot reach it:
one JSON log line (to stdout / the log collector) and one line in an append-only file.
`manage.py audit_verify --anker FILE` then checks that every anchored entry is still there.

Only numbers and hashes are written, never personal data.
"""

import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .constants import GENESIS_HASH
from .models import AuditKetting, AuditRegel
from .selectors import VerificationProblem

logger = logging.getLogger("perspectief.audit.anker")

# Looking up anchored entries in chunks keeps the IN list small (SQLite has a variable limit).
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class AuditAnker:
    tijdstip: str
    volgnummer: int
    hash: str

    def as_dict(self) -> dict:
        return {"tijdstip": self.tijdstip, "volgnummer": self.volgnummer, "hash": self.hash}


@dataclass(frozen=True, slots=True)
class AnkerReport:
    checked: int
    problems: tuple[VerificationProblem, ...]


def _kop() -> tuple[int, str]:
    """The chain's head (last volgnummer, its hash); an empty log: 0 and the genesis hash."""
    head = AuditKetting.objects.filter(id=1).first()
    return (head.laatste_volgnummer, head.laatste_hash) if head else (0, GENESIS_HASH)


def audit_anker_lezen() -> AuditAnker:
    """The chain's head as it is now."""
    volgnummer, hash_ = _kop()
    tijdstip = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    return AuditAnker(tijdstip=tijdstip, volgnummer=volgnummer, hash=hash_)


def audit_anker_vastleggen(*, bestand: str | None = None) -> AuditAnker:
    """Writes the current head to the anchor logger and appends it to the anchor file
    (`AUDIT_ANKER_BESTAND`; empty means log line only). Logs first, so a file error still
    leaves the anchor in the log; the file error itself is raised."""
    anker = audit_anker_lezen()
    logger.info("audit anker", extra=anker.as_dict())
    pad = settings.AUDIT_ANKER_BESTAND if bestand is None else bestand
    if pad:
        _append_line(Path(pad), json.dumps(anker.as_dict(), separators=(",", ":")))
    return anker


def _append_line(path: Path, line: str) -> None:
    """Appends one line with a single O_APPEND write, so workers writing at the same time
    never mix their lines, and syncs it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def ankers_uit_regels(lines: Iterable[str]) -> Iterator[AuditAnker | VerificationProblem]:
    """The anchors in the file's lines; an unreadable line comes out as a problem, because a
    damaged anchor file can no longer vouch for the log."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            yield AuditAnker(
                tijdstip=str(data["tijdstip"]),
                volgnummer=int(data["volgnummer"]),
                hash=str(data["hash"]),
            )
        except (ValueError, TypeError, KeyError):
            yield VerificationProblem(None, f"regel {number} van het ankerbestand is niet leesbaar")


def audit_ankers_controleren(lines: Iterable[str]) -> AnkerReport:
    """Checks each anchor against the log: the anchored entry must still exist with the
    anchored hash, and the head must not be behind the highest anchored volgnummer."""
    problems: list[VerificationProblem] = []
    first_seen: dict[tuple[int, str], AuditAnker] = {}  # the same head is anchored every hour
    for item in ankers_uit_regels(lines):
        if isinstance(item, VerificationProblem):
            problems.append(item)
        else:
            first_seen.setdefault((item.volgnummer, item.hash), item)
    ankers = sorted(first_seen.values(), key=lambda anker: anker.volgnummer)
    problems.extend(_entries_against_anchors(ankers))
    problems.extend(_head_against_anchors(ankers))
    return AnkerReport(checked=len(ankers), problems=tuple(problems))


class AnkerbestandOntbreekt(Exception):
    """The anchor file that was asked for is not configured or not there."""


def audit_ankerbestand_controleren(
    *, bestand: str | None = None, verplicht: bool = False
) -> AnkerReport | None:
    """Checks the anchor file (`AUDIT_ANKER_BESTAND` unless given) like
    `audit_ankers_controleren`. Without the file (none configured, or not written yet):
    None, so a background check without anchors behaves as before; with ``verplicht``
    (`audit_verify --anker`, someone asked for the anchors) AnkerbestandOntbreekt instead,
    because checking nothing must not look like a pass."""
    pad = settings.AUDIT_ANKER_BESTAND if bestand is None else bestand
    if not pad:
        if verplicht:
            raise AnkerbestandOntbreekt("Geen ankerbestand: geef een pad mee of zet AUDIT_ANKER_BESTAND.")
        return None
    try:
        lines = Path(pad).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        if verplicht:
            raise AnkerbestandOntbreekt(f"Ankerbestand niet gevonden: {pad}") from None
        return None
    return audit_ankers_controleren(lines)


def _entries_against_anchors(ankers: list[AuditAnker]) -> Iterator[VerificationProblem]:
    numbers = sorted({anker.volgnummer for anker in ankers if anker.volgnummer > 0})
    stored: dict[int, str] = {}
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        rows = AuditRegel.objects.filter(volgnummer__in=chunk).values_list("volgnummer", "hash")
        stored.update(rows)
    for anker in ankers:
        van = f"anker van {anker.tijdstip}"
        if anker.volgnummer == 0:
            if anker.hash != GENESIS_HASH:
                yield VerificationProblem(None, f"{van} heeft een onjuiste begin-hash")
        elif anker.volgnummer not in stored:
            yield VerificationProblem(anker.volgnummer, f"regel ontbreekt, maar staat in {van}")
        elif stored[anker.volgnummer] != anker.hash:
            yield VerificationProblem(anker.volgnummer, f"hash wijkt af van {van}")


def _head_against_anchors(ankers: list[AuditAnker]) -> Iterator[VerificationProblem]:
    if not ankers:
        return
    hoogste = ankers[-1]
    laatste, _hash = _kop()
    if laatste < hoogste.volgnummer:
        yield VerificationProblem(
            None,
            f"log is teruggezet: laatste regel is {laatste}, "
            f"maar anker van {hoogste.tijdstip} had al regel {hoogste.volgnummer}",
        )
