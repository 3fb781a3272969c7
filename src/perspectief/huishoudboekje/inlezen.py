"""Importing a bank statement file of the tussenrekening: idempotent, every line booked
once, the whole file in ONE transaction (docs/huishoudboekje.md, "The ledger" and
"Importing a statement").

- The same file (SHA-256) that was imported completely before is not read again.
- The file is parsed as a stream (``iter_statement``) while it is booked, in chunks of
  ``CHUNK`` lines, each with its journaalpost; all of it is one transaction. A file the
  parser refuses (at any point) is rolled back and stored as GEWEIGERD with the reason:
  nothing is booked. A crash or kill rolls back too; the file can simply be imported again.
- The Bankbestand row is created BEZIG in its own short transaction first, for the screens.
- A line whose fingerprint is already known for this account (e.g. from yesterday's
  camt.052 intraday report) is counted ``al_bekend`` and not booked again.
- Concurrent imports on one tussenrekening take turns per file: the import's transaction
  locks the tussenrekening row before it reads the known fingerprints; the unique
  constraint (tussenrekening, kenmerk) is the last line of defence, and a chunk that hits
  it is retried in a savepoint.
- Matching happens in memory before writing: our own payments by end-to-end id, returns
  of them by end-to-end id and return reason, afspraken by score (:mod:`.matching`).
- On PostgreSQL (outside a caller's transaction) a writer thread with its own connection
  holds the transaction and writes chunk N while this thread parses and prepares chunk
  N+1 (:func:`_pijplijn`).
- A large file on PostgreSQL is parsed in a child process (fork) that sends the lines in
  chunks (:class:`_LezenApart`): the parse then no longer shares this process's one
  interpreter lock with matching and preparing. A refusal found there is sent back and
  aborts the transaction the same way. Small files and SQLite parse here.
- After the commit, ``tasks.signalen_na_inlezen`` updates the signals of the households
  with lines in the file.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import operator
import os
import pickle
import queue
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record
from perspectief.contrib.bankformaten import (
    BankbestandGeweigerd,
    Bestandskop,
    Boeking,
    Weigercode,
    iter_statement,
)
from perspectief.contrib.bankformaten import Richting as BankRichting

from . import grootboek
from .constants import (
    DOEL,
    EIGEN_END_TO_END_PREFIX,
    BestandStatus,
    BetalingStatus,
    JournaalSoort,
    RekeningSoort,
    Richting,
    Rubriek,
    TransactieStatus,
)
from .matching import EIGEN_BETALING, PUNTEN_EIGEN_BETALING, RETOUR, Matcher
from .models import (
    Afspraak,
    Bankbestand,
    Banktransactie,
    Betaling,
    Deelname,
    Journaalpost,
    Mutatie,
    Rekening,
    Tussenrekening,
)

CHUNK = 5000
NUL = Decimal("0.00")
# How often a chunk is retried when a concurrent import inserted one of its lines first.
POGINGEN = 3


@dataclass
class _Tellers:
    nieuw: int = 0
    al_bekend: int = 0
    automatisch: int = 0
    overgeslagen: int = 0  # PDNG/INFO entries: not booked by the bank yet
    betalingen: int = 0
    retouren: int = 0
    hoofdrekeningen: dict = field(default_factory=dict)


def bankbestand_inlezen(
    *, actor, tussenrekening: Tussenrekening, bestandsnaam: str, inhoud: bytes
) -> Bankbestand:
    """Import one statement file of ``tussenrekening``. Returns its Bankbestand: KLAAR
    (also when the same file was read before: then nothing happens and the earlier
    Bankbestand is returned) or GEWEIGERD (``weigercode``, ``melding``)."""
    sha256 = hashlib.sha256(inhoud).hexdigest()
    bestaand = (
        Bankbestand.objects.filter(tussenrekening=tussenrekening, sha256=sha256)
        .exclude(status=BestandStatus.GEWEIGERD)
        .first()
    )
    if bestaand is not None and bestaand.status == BestandStatus.KLAAR:
        return bestaand

    # The cyclic garbage collector finds nothing to free in 100,000 entries but walks
    # them over and over (up to a quarter of the parse time under load).
    gc_aan = gc.isenabled()
    gc.disable()
    try:
        lezer = (_LezenApart if _apart_lezen(inhoud) else _LezenHier)(inhoud, tussenrekening.iban)
        try:
            try:
                kop = lezer.kop()
            except BankbestandGeweigerd as weigering:
                return _geweigerd(
                    actor, tussenrekening, bestandsnaam, inhoud, sha256, weigering, bestaand
                )
            assert isinstance(kop, Bestandskop)
            if bestaand is None:
                # Its own short transaction: the screens show the file as BEZIG (and poll
                # it) while the import's one transaction runs.
                bestaand = _nieuw_bankbestand(
                    actor, tussenrekening, bestandsnaam, inhoud, sha256, kop.format
                )
                if bestaand.status == BestandStatus.KLAAR:  # a concurrent import finished it
                    return bestaand
            tellers = _Tellers()
            try:
                bb = _verwerken(
                    actor,
                    tussenrekening,
                    bestaand,
                    lezer.stukken(tellers),
                    tellers,
                    datums=_boekdatums(inhoud),
                )
            except BankbestandGeweigerd as weigering:
                # The import's transaction was rolled back: nothing is booked.
                return _geweigerd(
                    actor, tussenrekening, bestandsnaam, inhoud, sha256, weigering, bestaand
                )
        finally:
            lezer.sluiten()
    finally:
        if gc_aan:
            gc.enable()
    if bb.nieuw:
        transaction.on_commit(lambda: _signalen_na_inlezen(bb.pk))
    return bb


def weigering_vastleggen(
    *, actor, tussenrekening: Tussenrekening, bestandsnaam: str, inhoud: bytes, reden: str
) -> Bankbestand:
    """Record a file that could not even be offered to the import (e.g. a waiting upload
    that no longer decrypts) as GEWEIGERD with ``reden`` (a Dutch sentence for the
    budgetbeheerder), so the statements list shows it instead of waiting for it forever.
    ``inhoud`` is what there is of the file (its SHA-256 identifies the row)."""
    return _geweigerd(
        actor,
        tussenrekening,
        bestandsnaam,
        inhoud,
        hashlib.sha256(inhoud).hexdigest(),
        BankbestandGeweigerd(Weigercode.KAPOT_BESTAND, reden),
    )


def _signalen_na_inlezen(bankbestand_id: int) -> None:
    from .tasks import signalen_na_inlezen

    signalen_na_inlezen.delay(bankbestand_id=bankbestand_id)


_BOEKDATUM = re.compile(rb"\s*<(?:[\w.-]+:)?Dt(?:Tm)?>\s*(\d{4})-(\d{2})-(\d{2})")


def _boekdatums(inhoud: bytes) -> tuple[date, date] | None:
    """The first and last booking date in a CAMT file, by a byte scan (0.1 s for 100 MB)
    before it is parsed: the matcher is loaded for the whole file's range (as when the file
    was parsed first) although it is loaded at the first chunk. Only a hint: a chunk with a
    date outside it makes the matcher load again (:class:`_MatcherBron`)."""
    laagste = hoogste = None
    zoek = inhoud.find
    plek = zoek(b"BookgDt>")
    while plek != -1:
        m = _BOEKDATUM.match(inhoud, plek + 8, plek + 80)
        if m is not None:
            dag = m.group(1) + m.group(2) + m.group(3)
            if laagste is None or dag < laagste:
                laagste = dag
            if hoogste is None or dag > hoogste:
                hoogste = dag
        plek = zoek(b"BookgDt>", plek + 8)
    if laagste is None:
        return None
    try:
        return (
            date(int(laagste[:4]), int(laagste[4:6]), int(laagste[6:])),
            date(int(hoogste[:4]), int(hoogste[4:6]), int(hoogste[6:])),
        )
    except ValueError:  # the parser refuses the file later
        return None


class _MatcherBron:
    """The matcher of an import, loaded at the first chunk with new lines (a re-import of
    known lines never loads it) for the file's date range: the byte scan's hint, else the
    chunks' dates so far. A chunk with dates outside the loaded range loads it again for
    the union (so every line is matched against the afspraken of a range that covers it).

    Loading it ahead in a thread while the parse starts was measured: no gain for a new
    file (the load is Python, under the same GIL as the parse), 0.45 s lost for a file
    whose lines are all known (docs/huishoudboekje.md, "Figures")."""

    def __init__(self, tussenrekening, hint: tuple[date, date] | None) -> None:
        self.tussenrekening = tussenrekening
        self.bereik = hint
        self.geladen: Matcher | None = None
        self.geladen_bereik: tuple[date, date] | None = None

    def stuk(self, stuk: list[tuple]) -> None:
        """Widen the range needed to cover this chunk's booking dates."""
        van = min(r[1] for r in stuk)
        tot = max(r[1] for r in stuk)
        if self.bereik is None:
            self.bereik = (van, tot)
        else:
            self.bereik = (min(self.bereik[0], van), max(self.bereik[1], tot))

    def __call__(self) -> Matcher:
        b = self.geladen_bereik
        if b is None or not (b[0] <= self.bereik[0] and self.bereik[1] <= b[1]):
            van, tot = self.bereik
            self.geladen = Matcher.voor(self.tussenrekening, van=van, tot=tot)
            self.geladen_bereik = self.bereik
        return self.geladen


def _geweigerd(
    actor,
    tussenrekening,
    bestandsnaam,
    inhoud,
    sha256,
    weigering: BankbestandGeweigerd,
    bestaand: Bankbestand | None = None,
) -> Bankbestand:
    """Record the refusal in its own short transaction: on the file's BEZIG row when it
    has one (refused halfway, after the import's transaction was rolled back), else on a
    new row."""
    melding = (
        weigering.bericht if not weigering.plaats else f"{weigering.bericht} ({weigering.plaats})"
    )
    with transaction.atomic():
        if bestaand is not None:
            bb = Bankbestand.objects.select_for_update().get(pk=bestaand.pk)
            bb.status = BestandStatus.GEWEIGERD
            bb.weigercode = str(weigering.code)
            bb.melding = melding
            bb.klaar_op = timezone.now()
            bb.save(update_fields=["status", "weigercode", "melding", "klaar_op"])
        else:
            bb = Bankbestand.objects.create(
            tussenrekening=tussenrekening,
            sha256=sha256,
            bestandsnaam=bestandsnaam[:200],
            grootte=len(inhoud),
            status=BestandStatus.GEWEIGERD,
            weigercode=str(weigering.code),
            melding=melding,
            ingelezen_door=_gebruiker(actor),
            klaar_op=timezone.now(),
        )
        audit_record(
            actor=actor,
            actie=Actie.AANMAKEN,
            object_type="huishoudboekje.bankbestand",
            object_id=bb.pk,
            resultaat=Resultaat.GEWEIGERD,
            doel=DOEL,
            details={"tussenrekening": tussenrekening.pk, "weigercode": str(weigering.code)},
        )
    return bb


def _gebruiker(actor):
    return actor if actor is not None and getattr(actor, "pk", None) else None


def _nieuw_bankbestand(actor, tussenrekening, bestandsnaam, inhoud, sha256, formaat) -> Bankbestand:
    try:
        with transaction.atomic():
            return Bankbestand.objects.create(
                tussenrekening=tussenrekening,
                sha256=sha256,
                bestandsnaam=bestandsnaam[:200],
                grootte=len(inhoud),
                formaat=formaat,
                status=BestandStatus.BEZIG,
                ingelezen_door=_gebruiker(actor),
            )
    except IntegrityError:  # the same file is being imported right now by someone else
        return Bankbestand.objects.exclude(status=BestandStatus.GEWEIGERD).get(
            tussenrekening=tussenrekening, sha256=sha256
        )


# --- lines -------------------------------------------------------------------------------


def _regels(entries: Iterable[Boeking], tellers: _Tellers) -> Iterator[tuple]:
    """(kenmerk, boekdatum, valutadatum, richting, bedrag, iban, naam, omschrijving,
    betalingskenmerk, end_to_end_id, retourcode, terugboeking) per line to store.

    Only BOOK entries are lines: PDNG (pending) and INFO are not on the balance yet and
    come back as BOOK in a later statement. A batch entry whose details carry amounts
    that add up to the entry becomes one line per detail (our own payments in one
    debit, each to its own household), fingerprinted as entry + detail number.
    """
    for e in entries:
        if e.status != "BOOK":
            tellers.overgeslagen += 1
            continue
        richting = Richting.INKOMEN if e.direction is BankRichting.CREDIT else Richting.UITGAVE
        if (
            e.details
            and all(d.amount for d in e.details)
            and sum(d.amount for d in e.details) == e.amount
        ):
            for n, d in enumerate(e.details, start=1):
                yield (
                    hashlib.sha256(f"{e.fingerprint}\x1f{n}".encode()).hexdigest(),
                    e.booking_date,
                    e.value_date,
                    richting,
                    d.amount,
                    d.counterparty_iban or "",
                    (d.counterparty_name or "")[:140],
                    d.remittance_unstructured or e.additional_info or "",
                    (d.betalingskenmerk or "")[:35],
                    (d.end_to_end_id or "")[:35],
                    (d.return_reason_code or "")[:10],
                    e.reversal,
                )
            continue
        yield (
            e.fingerprint,
            e.booking_date,
            e.value_date,
            richting,
            e.amount,
            e.counterparty_iban or "",
            (e.counterparty_name or "")[:140],
            e.description,
            (e.betalingskenmerk or "")[:35],
            (e.end_to_end_id or "")[:35],
            (e.return_reason_code or "")[:10],
            e.reversal,
        )


# --- where the parse runs --------------------------------------------------------------

# Files from this size are parsed in a child process on these databases (a fork and the
# pickling cost ~0.1 s; below this size the parse takes less than that gains). ``None``:
# never.
PROCES_VANAF: int | None = 2_000_000
PROCES_DATABASES = ("postgresql",)
# Chunks the child may parse ahead of the preparing (each ~1 MB pickled for 5,000 lines).
PROCES_WACHTRIJ = 4
# The child's niceness: it has slack (the parse is ~4.5 s of a ~10 s import), the writer's
# PostgreSQL backend and the preparing have none; on 2 cores this gained ~0.5 s (nice 0:
# 11.1 s, 10: 10.5-10.6 s, 19: 10.2-10.9 s). Not 19: under other load the parse must
# still keep up.
PROCES_NICE = 10


def _apart_lezen(inhoud: bytes) -> bool:
    return (
        PROCES_VANAF is not None
        and len(inhoud) >= PROCES_VANAF
        and connection.vendor in PROCES_DATABASES
        and "fork" in multiprocessing.get_all_start_methods()
        # A daemonic process (e.g. a worker pool's) may not start children.
        and not multiprocessing.current_process().daemon
    )


class _LezenHier:
    """The parse in this process, lazily as the chunks are asked for."""

    def __init__(self, inhoud: bytes, iban: str) -> None:
        self._stroom = iter_statement(inhoud, expected_iban=iban)

    def kop(self) -> Bestandskop:
        return next(self._stroom)

    def stukken(self, tellers: _Tellers) -> Iterator[list[tuple]]:
        entries = (e for e in self._stroom if isinstance(e, Boeking))
        return _in_stukken(_regels(entries, tellers), CHUNK)

    def sluiten(self) -> None:
        pass


class _LezenApart:
    """The parse in a forked child process (:func:`_lezen_in_kind`), which sends
    ``("kop", Bestandskop)``, then ``("stuk", [line tuples])`` per chunk and
    ``("einde", skipped)``; or ``("geweigerd", BankbestandGeweigerd)`` /
    ``("fout", exception)`` where the parse stops. The child never touches the database
    connection it inherited; it dies with this process (PR_SET_PDEATHSIG, and it stops
    when this process is gone while it waits to send) and is killed by :meth:`sluiten`
    when the import stops before the end."""

    def __init__(self, inhoud: bytes, iban: str) -> None:
        context = multiprocessing.get_context("fork")
        self._wachtrij = context.Queue(maxsize=PROCES_WACHTRIJ)
        self._klaar = False
        self._proces = context.Process(
            target=_lezen_in_kind,
            args=(inhoud, iban, self._wachtrij, CHUNK, os.getpid()),
            name="bankbestand-lezer",
            daemon=True,
        )
        self._proces.start()

    def _bericht(self) -> tuple[str, object]:
        while True:
            try:
                soort, waarde = self._wachtrij.get(timeout=0.5)
                break
            except queue.Empty:
                if self._proces.is_alive():
                    continue
                try:  # the child may have sent its last message just before it ended
                    soort, waarde = self._wachtrij.get(timeout=0.5)
                    break
                except queue.Empty:
                    self._klaar = True
                    raise RuntimeError(
                        f"the statement parse process ended early (exit code {self._proces.exitcode})"
                    ) from None
        if soort in ("geweigerd", "fout"):
            self._klaar = True
            raise waarde  # type: ignore[misc]
        return soort, waarde

    def kop(self) -> Bestandskop:
        soort, kop = self._bericht()
        assert soort == "kop", soort
        return kop  # type: ignore[return-value]

    def stukken(self, tellers: _Tellers) -> Iterator[list[tuple]]:
        while True:
            soort, waarde = self._bericht()
            if soort == "einde":
                self._klaar = True
                tellers.overgeslagen += waarde  # type: ignore[operator]
                return
            yield waarde  # type: ignore[misc]

    def sluiten(self) -> None:
        if not self._klaar:
            self._proces.kill()  # stopped early (a refusal at the header, an error here)
        self._proces.join()
        self._wachtrij.cancel_join_thread()
        self._wachtrij.close()
        self._proces.close()


def _lezen_in_kind(inhoud: bytes, iban: str, uit, grootte: int, ouder: int) -> None:
    """The child of :class:`_LezenApart`: parse, convert to line tuples, send."""
    _sterven_met_ouder(ouder)
    os.nice(PROCES_NICE)

    def zenden(bericht) -> None:
        while True:
            try:
                uit.put(bericht, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != ouder:  # the importing process is gone
                    os._exit(1)

    tellers = _Tellers()
    try:
        stroom = iter_statement(inhoud, expected_iban=iban)
        zenden(("kop", next(stroom)))
        entries = (e for e in stroom if isinstance(e, Boeking))
        for stuk in _in_stukken(_regels(entries, tellers), grootte):
            zenden(("stuk", stuk))
        zenden(("einde", tellers.overgeslagen))
    except BankbestandGeweigerd as weigering:
        zenden(("geweigerd", weigering))
    except Exception as fout:  # noqa: BLE001  (raised again in the parent)
        try:
            pickle.dumps(fout)
        except Exception:  # noqa: BLE001  (an exception that does not pickle)
            fout = RuntimeError(f"the statement parse failed: {type(fout).__name__}")
        zenden(("fout", fout))


def _sterven_met_ouder(ouder: int) -> None:
    """Linux: the kernel kills this child when its parent dies (also by kill -9)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != ouder:  # died before the call above
        os._exit(1)


def _in_stukken(regels: Iterator[tuple], grootte: int) -> Iterator[list[tuple]]:
    stuk: list[tuple] = []
    for regel in regels:
        stuk.append(regel)
        if len(stuk) >= grootte:
            yield stuk
            stuk = []
    if stuk:
        yield stuk


def _verwerken(
    actor,
    tussenrekening: Tussenrekening,
    bb: Bankbestand,
    regelstukken: Iterator[list[tuple]],
    tellers: _Tellers,
    *,
    datums: tuple[date, date] | None = None,
) -> Bankbestand:
    """Book the chunks of lines (parsed while this runs) in ONE transaction: a refusal
    raised by ``regelstukken`` halfway, a crash or a kill rolls everything back."""
    matcher = _MatcherBron(tussenrekening, datums)
    bank, onverdeeld = grootboek.systeemrekeningen(tussenrekening)
    rekeningen: dict[int, Rekening] = {
        r.deelname_id: r for r in Rekening.objects.filter(deelname__tussenrekening=tussenrekening)
    }

    def stukken() -> Iterator[list[tuple]]:
        for stuk in regelstukken:
            matcher.stuk(stuk)
            yield stuk

    if PIJPLIJN and connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _pijplijn(
            actor, tussenrekening, bb, stukken(), matcher, bank, onverdeeld, rekeningen, tellers
        )
    # SQLite, or inside a caller's transaction (which a second connection cannot see).
    with transaction.atomic():
        _vergrendelen(tussenrekening)
        for stuk in stukken():
            _stuk_met_pogingen(
                actor, tussenrekening, bb, stuk, matcher, bank, onverdeeld, rekeningen, tellers
            )
        return _afronden(actor, tussenrekening, bb, tellers)


def _vergrendelen(tussenrekening) -> None:
    """Imports on one tussenrekening take turns from here until the commit. FOR NO KEY
    UPDATE: it conflicts with itself but not with the FOR KEY SHARE that inserting a row
    referring to the tussenrekening takes (the importing thread creates household accounts
    on its own connection while the writer holds this lock)."""
    Tussenrekening.objects.select_for_update(no_key=True).filter(pk=tussenrekening.pk).values_list(
        "pk"
    ).first()


def _afronden(actor, tussenrekening, bb: Bankbestand, tellers: _Tellers) -> Bankbestand:
    """KLAAR with the counts and the audit entry, inside the import's transaction."""
    bb = Bankbestand.objects.select_for_update().get(pk=bb.pk)
    eerder_klaar = bb.status == BestandStatus.KLAAR
    bb.aantal_boekingen = bb.nieuw + bb.al_bekend
    bb.status = BestandStatus.KLAAR
    bb.klaar_op = bb.klaar_op or timezone.now()
    if tellers.overgeslagen:
        bb.melding = f"{tellers.overgeslagen} boekingen zijn nog niet definitief bij de bank en zijn niet ingelezen."
    bb.save(update_fields=["aantal_boekingen", "status", "klaar_op", "melding"])
    if not eerder_klaar:
        audit_record(
            actor=actor,
            actie=Actie.AANMAKEN,
            object_type="huishoudboekje.bankbestand",
            object_id=bb.pk,
            doel=DOEL,
            details={
                "tussenrekening": tussenrekening.pk,
                "formaat": bb.formaat,
                "regels": bb.aantal_boekingen,
                "nieuw": bb.nieuw,
                "al_bekend": bb.al_bekend,
                "automatisch": bb.automatisch_geboekt,
                "niet_definitief": tellers.overgeslagen,
            },
        )
    return bb


def _stuk_met_pogingen(
    actor, tussenrekening, bb, stuk, matcher, bank, onverdeeld, rekeningen, tellers, al_bekend=0
) -> None:
    for poging in range(POGINGEN):
        try:
            _stuk_boeken(
                actor,
                tussenrekening,
                bb,
                stuk,
                matcher,
                bank,
                onverdeeld,
                rekeningen,
                tellers,
                al_bekend_vooraf=al_bekend,
            )
            return
        except IntegrityError:
            # A line stored between our check and our insert by a writer that did not
            # take the tussenrekening lock; the retry sees it as known. Household
            # accounts created in the failed attempt are gone again: read them anew.
            if poging == POGINGEN - 1:
                raise
            rekeningen.clear()
            rekeningen.update(
                (r.deelname_id, r)
                for r in Rekening.objects.filter(deelname__tussenrekening=tussenrekening)
            )


class _Voorgekozen:
    """What the writer thread's chunk uses as its matcher: the main thread scored the
    chunk's lines already (``Matcher.beste`` reads only memory)."""

    def __init__(self, keuzes: dict[str, tuple | None]) -> None:
        self.keuzes = keuzes

    def beste(self, t) -> tuple | None:
        return self.keuzes.get(t.kenmerk)


# How many prepared chunks may wait for the writer thread (memory stays bounded).
WACHTRIJ = 2
# False: one thread does everything (the benchmark's --serieel compares the two).
PIJPLIJN = True


class _Afgebroken(Exception):
    """The importing thread tells the writer to roll back (the file was refused, or
    preparing failed)."""


_AFBREKEN = object()


def _pijplijn(
    actor, tussenrekening, bb, stukken, matcher, bank, onverdeeld, rekeningen, tellers
) -> Bankbestand:
    """PostgreSQL: a writer thread on its own connection holds the import's ONE transaction
    and writes chunk N while this thread parses and prepares chunk N+1.

    The writer opens the transaction, sets ``SET CONSTRAINTS ALL IMMEDIATE`` (the
    foreign-key checks then run during each chunk's COPY, while this thread parses on,
    instead of all at the commit) and locks the tussenrekening row; only then does this
    thread read which fingerprints are already stored, so an overlapping import has either
    committed (its lines are seen) or waits for our commit.

    Preparing (this thread, reads only): which lines are already stored, whether a line
    names one of our own payments, matching, the household accounts a chunk needs
    (created empty when missing, committed at once), ids from the sequences, and the rows
    for ``COPY`` as text. The writer copies and books the counters; a chunk whose reading
    may be stale goes the ordinary way (:func:`_stuk_met_pogingen`, payments locked) in a
    savepoint: when a line names one of our payments, and when the copy hits the unique
    constraint. At the end the writer books the saldi of the copied chunks at once, marks
    the file KLAAR and commits. A refusal raised by the parse (or any error here) makes the
    writer roll back.
    """
    wachtrij: queue.Queue = queue.Queue(maxsize=WACHTRIJ)
    fouten: list[BaseException] = []
    vergrendeld = threading.Event()
    uitkomst: list[Bankbestand] = []
    eigen_rekeningen = dict(rekeningen)  # the writer's fallback reads and changes its own
    # The saldi of the chunks copied the fast way, added up and booked once at the end:
    # one UPDATE of every account the file touches instead of one per chunk (an account
    # appears in most chunks; 20 updates: 1.39 s, one: 0.19 s, huishoudboekje_inlezen_onderdelen).
    saldi: dict[int, Decimal] = defaultdict(Decimal)

    def schrijver() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                _vergrendelen(tussenrekening)
                vergrendeld.set()
                while True:
                    werk = wachtrij.get()
                    if werk is None:
                        break
                    if werk is _AFBREKEN:
                        raise _Afgebroken
                    _schrijven(werk)
                grootboek.saldi_bijwerken(saldi)
                uitkomst.append(_afronden(actor, tussenrekening, bb, tellers))
        except _Afgebroken:
            pass
        except BaseException as fout:  # noqa: BLE001  (raised again in the main thread)
            fouten.append(fout)
        finally:
            vergrendeld.set()
            connection.close()  # this thread's own connection

    def _schrijven(werk: _Voorbereid) -> None:
        if werk.data is not None:
            try:
                _stuk_snel(tussenrekening, bb, werk, actor)
                for pk, delta in werk.data.deltas.items():
                    saldi[pk] += delta
                tellers.nieuw += len(werk.nieuw)
                tellers.al_bekend += werk.al_bekend
                tellers.automatisch += werk.automatisch
                return
            except IntegrityError:
                pass  # a line stored by someone who did not take the tussenrekening lock
        voorgekozen = _Voorgekozen(werk.keuzes)
        _stuk_met_pogingen(
            actor,
            tussenrekening,
            bb,
            werk.regels,
            lambda v=voorgekozen: v,
            bank,
            onverdeeld,
            eigen_rekeningen,
            tellers,
            werk.al_bekend,
        )

    def geef(werk) -> bool:
        """Hand work to the writer; False when it stopped (it failed)."""
        while draad.is_alive():
            try:
                wachtrij.put(werk, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    draad = threading.Thread(target=schrijver, name="bankbestand-schrijver", daemon=True)
    draad.start()
    klaar = False
    try:
        vergrendeld.wait()
        for stuk in stukken:
            if fouten or not geef(
                _voorbereiden(tussenrekening, bb, stuk, matcher, bank, onverdeeld, rekeningen)
            ):
                break
        else:
            klaar = True
    finally:
        geef(None if klaar and not fouten else _AFBREKEN)
        draad.join()
    if fouten:
        raise fouten[0]
    return uitkomst[0]


@dataclass
class _Voorbereid:
    regels: list[tuple]  # the lines not stored yet (for the writer's ordinary way)
    al_bekend: int
    keuzes: dict[str, tuple | None]
    nieuw: list = field(default_factory=list)
    automatisch: int = 0
    # None: the writer books the chunk the ordinary way.
    data: _CopyGegevens | None = None


class _CopyGegevens(NamedTuple):
    """A chunk ready for COPY (:func:`_copy_gegevens`)."""

    lijnen: str  # COPY text of the lines
    mutaties: str  # COPY text of the journaalpost's mutations
    post_id: int  # the journaalpost's id; 0: the chunk moves no money
    deltas: dict[int, Decimal]  # the saldo change per account


def _voorbereiden(tussenrekening, bb, stuk, matcher, bank, onverdeeld, rekeningen) -> _Voorbereid:
    vooraf = _bekende_kenmerken(tussenrekening, [r[0] for r in stuk])
    regels: list[tuple] = []
    al_bekend = 0
    gezien: set[str] = set()
    for r in stuk:
        eerder = vooraf.get(r[0])
        if eerder is None:
            if r[0] not in gezien:
                gezien.add(r[0])
                regels.append(r)
        elif eerder != bb.pk:  # lines of an earlier, interrupted run count as new
            al_bekend += 1
    nieuw = [_Lijn(r) for r in regels]
    keuzes: dict[str, tuple | None] = {}
    for t in nieuw:
        if not (t.retourcode or t.terugboeking):  # never matched by score
            keuzes[t.kenmerk] = matcher().beste(t)
    werk = _Voorbereid(regels=regels, al_bekend=al_bekend, keuzes=keuzes)
    if not nieuw or _eigen_betalingen_bestaan(nieuw):
        return werk
    for t in nieuw:
        keuze = keuzes.get(t.kenmerk)
        if keuze is not None:
            _keuze_toepassen(t, keuze)
            werk.automatisch += 1
    _huishoudrekeningen_aanvullen(
        tussenrekening,
        rekeningen,
        {t.deelname_id for t in nieuw if t.status == TransactieStatus.GEBOEKT},
    )
    werk.nieuw = nieuw
    werk.data = _copy_gegevens(tussenrekening, bb, nieuw, bank, onverdeeld, rekeningen)
    return werk


def _copy_gegevens(tussenrekening, bb, nieuw, bank, onverdeeld, rekeningen) -> _CopyGegevens:
    """The matched lines of a chunk as COPY text with ids from the sequences, their
    journaalpost's mutations and the saldo change per account: the rows
    grootboek.boeken would write, without a model instance per line."""
    for t, pk in zip(nieuw, _nieuwe_ids(Banktransactie, len(nieuw)), strict=True):
        t.pk = pk
    rijen = _mutaties(nieuw, bank, onverdeeld, rekeningen)
    # Balanced by construction; checked because a ledger must never be off.
    if sum((r[1] for r in rijen), Decimal(0)) != 0:  # pragma: no cover
        raise ValueError("De regels van het afschrift tellen niet op tot 0.")
    post_id = _nieuwe_ids(Journaalpost, 1)[0] if rijen else 0
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for rekening, bedrag, *_rest in rijen:
        deltas[rekening.id] += bedrag
    return _CopyGegevens(
        _copy_transacties(tussenrekening.pk, bb.pk, nieuw),
        _copy_mutaties(post_id, rijen),
        post_id,
        deltas,
    )


_REEKSEN: dict[str, str] = {}  # table -> its id sequence


def _nieuwe_ids(model, aantal: int) -> list[int]:
    """``aantal`` ids from the model's id sequence (PostgreSQL), so the rows can be copied
    with their ids and referred to in the same COPY. The sequence is named as a constant:
    ``nextval(pg_get_serial_sequence(...))`` looks it up again for every row (0.35 against
    0.06 s per 100,000 ids: benchmarks/huishoudboekje_inlezen_onderdelen.py)."""
    tabel = model._meta.db_table
    with connection.cursor() as cursor:
        reeks = _REEKSEN.get(tabel)
        if reeks is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [tabel])
            reeks = _REEKSEN[tabel] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [reeks, aantal]
        )
        return [pk for (pk,) in cursor.fetchall()]


# COPY's text format escapes a backslash, tab, newline and carriage return in a value.
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# The free-text fields of a whole chunk are escaped with ONE translate (per field: 0.43 s per
# 100,000 lines, per chunk 0.06 s; benchmarks/huishoudboekje_inlezen_onderdelen.py): joined
# by _VELD between fields and _RIJ between lines, then split apart again. A chunk where a
# value holds one of those two control characters itself is escaped field by field.
_VELD, _RIJ = "\x1f", "\x1e"
_TEKSTVELDEN = (
    "tegenrekening_iban",
    "tegenpartij_naam",
    "omschrijving",
    "betalingskenmerk",
    "end_to_end_id",
    "retourcode",
)


def _n(waarde) -> object:
    """An id, date or number as a COPY field: ``\\N`` for None (none of these needs
    escaping)."""
    return "\\N" if waarde is None else waarde


def _tekstvelden(nieuw) -> list[str]:
    """Per line: its free-text fields (never None), escaped and joined by tabs."""
    lezen = operator.attrgetter(*_TEKSTVELDEN)
    samen = _RIJ.join(_VELD.join(lezen(t)) for t in nieuw)
    if samen.count(_RIJ) == len(nieuw) - 1 and samen.count(_VELD) == len(nieuw) * (
        len(_TEKSTVELDEN) - 1
    ):
        return samen.translate(_ESCAPE).replace(_VELD, "\t").split(_RIJ)
    return ["\t".join(v.translate(_ESCAPE) for v in lezen(t)) for t in nieuw]


def _copy_transacties(tussenrekening_id: int, bankbestand_id: int, nieuw) -> str:
    """The lines as COPY text rows in the order of _KOLOMMEN_TRANSACTIE. The other fields
    are ids, dates, amounts, our own choices and JSON of our reason codes: nothing to
    escape."""
    kop = f"\t{tussenrekening_id}\t{bankbestand_id}\t"
    return "".join(
        f"{t.pk}{kop}{t.kenmerk}\t{t.boekdatum}\t{_n(t.valutadatum)}\t{t.richting}\t"
        f"{t.bedrag}\t{tekst}\t{t.status}\t{_n(t.afspraak_id)}\t{_n(t.deelname_id)}\t\\N\t"
        f"{'t' if t.automatisch else 'f'}\t{_n(t.score)}\t{_json(t.redenen)}\n"
        for t, tekst in zip(nieuw, _tekstvelden(nieuw), strict=True)
    )


def _copy_mutaties(post_id: int, rijen) -> str:
    """The chunk's mutations as COPY text rows in the order of _KOLOMMEN_MUTATIE."""
    return "".join(
        f"{post_id}\t{rekening.id}\t{bedrag}\t{dag}\t{rubriek}\t{_n(afspraak_id)}\t"
        f"{_n(t.pk if t is not None else None)}\n"
        for rekening, bedrag, dag, rubriek, afspraak_id, t in rijen
    )


def _stuk_snel(tussenrekening, bb, werk: _Voorbereid, actor) -> None:
    """The writer's transaction for a chunk prepared completely by the main thread. The
    chunk's saldo deltas (``werk.data.deltas``) are left to the caller, which books those
    of the whole file at once before the commit."""
    # A savepoint inside the writer's transaction (which holds the tussenrekening lock):
    # on a unique violation the writer books the chunk the ordinary way instead.
    with transaction.atomic():
        _kopieren(actor, tussenrekening, bb, werk.data)
        Bankbestand.objects.filter(pk=bb.pk).update(
            nieuw=F("nieuw") + len(werk.nieuw),
            al_bekend=F("al_bekend") + werk.al_bekend,
            automatisch_geboekt=F("automatisch_geboekt") + werk.automatisch,
        )


def _kopieren(actor, tussenrekening, bb, gegevens: _CopyGegevens) -> None:
    """COPY the lines, then (``post_id`` not 0) the journaalpost and its mutations."""
    lijnen, mutaties, post_id, _deltas = gegevens
    with connection.cursor() as cursor:
        ruw = cursor.cursor  # the psycopg cursor under Django's wrapper
        # COPY bypasses Django's cursor wrapper: wrap_database_errors turns a unique
        # violation into Django's IntegrityError (the callers catch that).
        with (
            connection.wrap_database_errors,
            ruw.copy(
                f"COPY {Banktransactie._meta.db_table} ({', '.join(_KOLOMMEN_TRANSACTIE)}) "
                "FROM STDIN"
            ) as copy,
        ):
            copy.write(lijnen.encode())
        if not post_id:
            return
        Journaalpost.objects.create(
            pk=post_id,
            gemeente_id=tussenrekening.gemeente_id,
            soort=JournaalSoort.AFSCHRIFT,
            datum=timezone.localdate(),
            omschrijving=f"Bankafschrift {bb.pk}",
            bankbestand=bb,
            geboekt_door=_gebruiker(actor),
        )
        with (
            connection.wrap_database_errors,
            ruw.copy(
                f"COPY {Mutatie._meta.db_table} ({', '.join(_KOLOMMEN_MUTATIE)}) FROM STDIN"
            ) as copy,
        ):
            copy.write(mutaties.encode())


class _Lijn:
    """A new bank line during the import (what matching reads and the insert writes),
    lighter than a model instance; on SQLite it becomes a Banktransactie for bulk_create."""

    __slots__ = (
        "afspraak_id",
        "automatisch",
        "bedrag",
        "betalingskenmerk",
        "boekdatum",
        "deelname_id",
        "end_to_end_id",
        "kenmerk",
        "omschrijving",
        "pk",
        "redenen",
        "retourcode",
        "richting",
        "rubriek",
        "score",
        "status",
        "tegenpartij_naam",
        "tegenrekening_iban",
        "terugboeking",
        "valutadatum",
    )

    def __init__(self, r: tuple) -> None:
        (
            self.kenmerk,
            self.boekdatum,
            self.valutadatum,
            self.richting,
            self.bedrag,
            self.tegenrekening_iban,
            self.tegenpartij_naam,
            self.omschrijving,
            self.betalingskenmerk,
            self.end_to_end_id,
            self.retourcode,
            self.terugboeking,
        ) = r
        self.pk = self.afspraak_id = self.deelname_id = self.score = None
        self.status = TransactieStatus.OPEN
        self.automatisch = False
        self.redenen: list = []
        self.rubriek = ""


_KOLOMMEN_TRANSACTIE = (
    "id",
    "tussenrekening_id",
    "bankbestand_id",
    "kenmerk",
    "boekdatum",
    "valutadatum",
    "richting",
    "bedrag",
    "tegenrekening_iban",
    "tegenpartij_naam",
    "omschrijving",
    "betalingskenmerk",
    "end_to_end_id",
    "retourcode",
    "status",
    "afspraak_id",
    "deelname_id",
    "categorie_id",
    "automatisch",
    "score",
    "redenen",
)
_KOLOMMEN_MUTATIE = (
    "journaalpost_id",
    "rekening_id",
    "bedrag",
    "datum",
    "rubriek",
    "afspraak_id",
    "banktransactie_id",
)


def _stuk_boeken(
    actor,
    tussenrekening,
    bb,
    stuk,
    matcher,
    bank,
    onverdeeld,
    rekeningen,
    tellers,
    *,
    al_bekend_vooraf: int = 0,
) -> None:
    """One chunk in one transaction. ``al_bekend_vooraf``: lines of the chunk already left
    out because they were known before (the pipeline's shortcut), counted here."""
    # A savepoint in the import's transaction, which holds the tussenrekening lock.
    with transaction.atomic():
        bekend = _bekende_kenmerken(tussenrekening, [r[0] for r in stuk])
        nieuw: list[_Lijn] = []
        al_bekend = al_bekend_vooraf
        for r in stuk:
            if r[0] in bekend:
                if bekend[r[0]] != bb.pk:  # lines of an earlier, interrupted run count as new
                    al_bekend += 1
                continue
            bekend[r[0]] = bb.pk
            nieuw.append(_Lijn(r))
        geboekt_betaling, automatisch = _matchen(nieuw, matcher) if nieuw else ([], 0)
        if nieuw:
            _huishoudrekeningen_aanvullen(
                tussenrekening,
                rekeningen,
                {t.deelname_id for t in nieuw if t.status == TransactieStatus.GEBOEKT},
            )
            if connection.vendor == "postgresql":
                _schrijven_copy(actor, tussenrekening, bb, nieuw, bank, onverdeeld, rekeningen)
            else:
                _schrijven_orm(actor, tussenrekening, bb, nieuw, bank, onverdeeld, rekeningen)
        if geboekt_betaling:
            for t, betaling, status in geboekt_betaling:
                betaling.status = status
                if status == BetalingStatus.UITGEVOERD:
                    betaling.banktransactie_id = t.pk
                else:
                    betaling.statusreden = t.retourcode
            Betaling.objects.bulk_update(
                [b for _t, b, _s in geboekt_betaling], ["status", "banktransactie", "statusreden"]
            )
        Bankbestand.objects.filter(pk=bb.pk).update(
            nieuw=F("nieuw") + len(nieuw),
            al_bekend=F("al_bekend") + al_bekend,
            automatisch_geboekt=F("automatisch_geboekt") + automatisch,
        )
    tellers.nieuw += len(nieuw)
    tellers.al_bekend += al_bekend
    tellers.automatisch += automatisch


def _matchen(nieuw: list[_Lijn], matcher) -> tuple[list, int]:
    """Our own payments and their returns by end-to-end id, then the afspraken by score."""
    betalingen = _eigen_betalingen(nieuw)
    geboekt_betaling: list[tuple[_Lijn, Betaling, str]] = []
    automatisch = 0
    for t in nieuw:
        betaling = betalingen.get(t.end_to_end_id) if t.end_to_end_id else None
        if betaling is not None:
            if _eigen_betaling_boeken(t, betaling, geboekt_betaling):
                automatisch += 1
            continue
        if t.terugboeking or t.retourcode:
            continue  # a reversal or a return of someone else: a person looks at it
        keuze = matcher().beste(t)
        if keuze is not None:
            _keuze_toepassen(t, keuze)
            automatisch += 1
    return geboekt_betaling, automatisch


def _keuze_toepassen(t: _Lijn, keuze: tuple) -> None:
    a, punten, redenen = keuze
    t.status = TransactieStatus.GEBOEKT
    t.afspraak_id = a.pk
    t.deelname_id = a.deelname_id
    t.automatisch = True
    t.score = min(punten, 32767)
    t.redenen = redenen
    t.rubriek = a.rubriek


def _mutaties(
    nieuw: list[_Lijn], bank: Rekening, onverdeeld: Rekening, rekeningen: dict[int, Rekening]
):
    """The chunk's journaalpost as rows (rekening, bedrag, datum, rubriek, afspraak_id,
    line): BANK and ONVERDEELD per booking date, one HUISHOUDEN row per booked line."""
    rijen = []
    per_dag_bank: dict[date, Decimal] = defaultdict(Decimal)
    per_dag_onverdeeld: dict[date, Decimal] = defaultdict(Decimal)
    for t in nieuw:
        bedrag = t.bedrag if t.richting == Richting.INKOMEN else -t.bedrag
        per_dag_bank[t.boekdatum] += bedrag
        if t.status == TransactieStatus.GEBOEKT:
            rijen.append(
                (rekeningen[t.deelname_id], -bedrag, t.boekdatum, t.rubriek, t.afspraak_id, t)
            )
        else:
            per_dag_onverdeeld[t.boekdatum] -= bedrag
    for dag in sorted(per_dag_bank):
        rijen.append((bank, per_dag_bank[dag], dag, "", None, None))
    for dag in sorted(per_dag_onverdeeld):
        rijen.append((onverdeeld, per_dag_onverdeeld[dag], dag, "", None, None))
    return [r for r in rijen if r[1] != 0]


def _schrijven_orm(actor, tussenrekening, bb, nieuw, bank, onverdeeld, rekeningen) -> None:
    """SQLite (tests, development): bulk_create and grootboek.boeken."""
    objecten = [
        Banktransactie(
            tussenrekening_id=tussenrekening.pk,
            bankbestand_id=bb.pk,
            kenmerk=t.kenmerk,
            boekdatum=t.boekdatum,
            valutadatum=t.valutadatum,
            richting=t.richting,
            bedrag=t.bedrag,
            tegenrekening_iban=t.tegenrekening_iban,
            tegenpartij_naam=t.tegenpartij_naam,
            omschrijving=t.omschrijving,
            betalingskenmerk=t.betalingskenmerk,
            end_to_end_id=t.end_to_end_id,
            retourcode=t.retourcode,
            status=t.status,
            afspraak_id=t.afspraak_id,
            deelname_id=t.deelname_id,
            automatisch=t.automatisch,
            score=t.score,
            redenen=t.redenen,
        )
        for t in nieuw
    ]
    Banktransactie.objects.bulk_create(objecten, batch_size=500)
    for t, o in zip(nieuw, objecten, strict=True):
        t.pk = o.pk
    per_lijn = {id(t): o for t, o in zip(nieuw, objecten, strict=True)}
    rijen = _mutaties(nieuw, bank, onverdeeld, rekeningen)
    if not rijen:
        return
    grootboek.boeken(
        gemeente=tussenrekening.gemeente_id,
        soort=JournaalSoort.AFSCHRIFT,
        datum=timezone.localdate(),
        regels=[
            grootboek.Regel(
                rekening=rekening,
                bedrag=bedrag,
                datum=dag,
                rubriek=rubriek,
                afspraak=Afspraak(pk=afspraak_id) if afspraak_id else None,
                banktransactie=per_lijn[id(t)] if t is not None else None,
            )
            for rekening, bedrag, dag, rubriek, afspraak_id, t in rijen
        ],
        omschrijving=f"Bankafschrift {bb.pk}",
        door=_gebruiker(actor),
        bankbestand=bb,
    )


_JSON: dict[tuple, str] = {}


def _json(redenen: list[dict]) -> str:
    """The reasons as JSON, escaped as a COPY field; the same few combinations come back
    on most lines."""
    sleutel = tuple((r["code"], r["punten"]) for r in redenen)
    tekst = _JSON.get(sleutel)
    if tekst is None:
        tekst = _JSON[sleutel] = json.dumps(redenen).translate(_ESCAPE)
    return tekst


def _schrijven_copy(actor, tussenrekening, bb, nieuw, bank, onverdeeld, rekeningen) -> None:
    """PostgreSQL: the lines and the chunk's mutations with COPY, the saldi with the
    ledger's one-statement update."""
    gegevens = _copy_gegevens(tussenrekening, bb, nieuw, bank, onverdeeld, rekeningen)
    _kopieren(actor, tussenrekening, bb, gegevens)
    grootboek.saldi_bijwerken(gegevens.deltas)


def _bekende_kenmerken(tussenrekening, kenmerken: list[str]) -> dict[str, int]:
    """kenmerk -> bankbestand id of the lines of this account already stored."""
    if connection.vendor == "postgresql":
        # The fingerprints as one comma-separated text (hex: no commas) that the server
        # splits: no array of 5,000 strings for the client to encode (~0.3 s of this
        # process's CPU per 100,000 lines; benchmarks/huishoudboekje_inlezen_onderdelen.py).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT kenmerk, bankbestand_id FROM {Banktransactie._meta.db_table} "
                "WHERE tussenrekening_id = %s AND kenmerk = ANY(string_to_array(%s, ','))",
                [tussenrekening.pk, ",".join(kenmerken)],
            )
            return dict(cursor.fetchall())
    return dict(
        Banktransactie.objects.filter(
            tussenrekening=tussenrekening, kenmerk__in=kenmerken
        ).values_list("kenmerk", "bankbestand_id")
    )


def _huishoudrekeningen_aanvullen(
    tussenrekening, rekeningen: dict[int, Rekening], deelname_ids: set[int]
) -> None:
    """The HUISHOUDEN accounts of households booked for the first time, created in one
    statement (the same fields as grootboek.huishoudrekening) instead of one get_or_create
    per household."""
    missend = [pk for pk in deelname_ids if pk not in rekeningen]
    if not missend:
        return
    deelnames = Deelname.objects.filter(pk__in=missend).values_list("pk", "huishouden_id")
    Rekening.objects.bulk_create(
        [
            Rekening(
                soort=RekeningSoort.HUISHOUDEN,
                gemeente_id=tussenrekening.gemeente_id,
                tussenrekening_id=tussenrekening.pk,
                deelname_id=pk,
                naam=f"Huishouden {huishouden_id}",
            )
            for pk, huishouden_id in deelnames
        ],
        ignore_conflicts=True,  # a concurrent booking created one first
    )
    rekeningen.update((r.deelname_id, r) for r in Rekening.objects.filter(deelname_id__in=missend))


def _eigen_end_to_end_ids(nieuw: list[_Lijn]) -> set[str]:
    """The end-to-end ids of the chunk that may be ours (they carry our prefix)."""
    return {
        t.end_to_end_id
        for t in nieuw
        if t.end_to_end_id and t.end_to_end_id.startswith(EIGEN_END_TO_END_PREFIX)
    }


def _eigen_betalingen_bestaan(nieuw: list[_Lijn]) -> bool:
    """Whether a line of the chunk names one of our own payments (PostgreSQL, unlocked)."""
    ids = list(_eigen_end_to_end_ids(nieuw))
    if not ids:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Betaling._meta.db_table} WHERE end_to_end_id = ANY(%s) LIMIT 1",
            [ids],
        )
        return cursor.fetchone() is not None


def _eigen_betalingen(nieuw: list[_Lijn]) -> dict[str, Betaling]:
    """Our own payments named by the chunk's end-to-end ids (one query, locked)."""
    ids = _eigen_end_to_end_ids(nieuw)
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        # One array parameter instead of 5,000 placeholders; usually nothing matches.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT end_to_end_id FROM {Betaling._meta.db_table} WHERE end_to_end_id = ANY(%s)",
                [list(ids)],
            )
            ids = {e2e for (e2e,) in cursor.fetchall()}
        if not ids:
            return {}
    return {
        b.end_to_end_id: b
        for b in Betaling.objects.select_for_update(of=("self",))
        .filter(end_to_end_id__in=ids)
        .select_related("afspraak")
    }


def _eigen_betaling_boeken(t: _Lijn, betaling: Betaling, geboekt: list) -> bool:
    """Book a line that is one of our own payments (money out, status VERZONDEN) or its
    return (money in with a return reason, after UITGEVOERD or VERZONDEN) to the
    household. A second debit for a payment already executed is left open: we never book
    one payment twice (the signals show it as paid twice)."""
    if betaling.bedrag != t.bedrag:
        return False
    if t.richting == Richting.UITGAVE and betaling.status == BetalingStatus.VERZONDEN:
        status, code = BetalingStatus.UITGEVOERD, EIGEN_BETALING
    elif (
        t.richting == Richting.INKOMEN
        and t.retourcode
        and betaling.status
        in (
            BetalingStatus.UITGEVOERD,
            BetalingStatus.VERZONDEN,
        )
    ):
        status, code = BetalingStatus.TERUGGEBOEKT, RETOUR
    else:
        return False
    t.status = TransactieStatus.GEBOEKT
    t.deelname_id = betaling.deelname_id
    t.afspraak_id = betaling.afspraak_id
    t.automatisch = True
    t.score = PUNTEN_EIGEN_BETALING
    t.redenen = [{"code": code, "punten": PUNTEN_EIGEN_BETALING}]
    t.rubriek = betaling.afspraak.rubriek if betaling.afspraak_id else Rubriek.LEEFGELD
    betaling.status = status  # in memory too: a return later in the same chunk sees it
    geboekt.append((t, betaling, status))
    return True
