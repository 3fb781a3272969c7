"""Importing a bank statement file of the tussenrekening: idempotent, in chunks, every
line booked once (docs/huishoudboekje.md, "The ledger" and "Importing").

- The same file (SHA-256) that was read completely before is not read again.
- A file the parser refuses is stored as GEWEIGERD with the reason; nothing is booked.
- A line whose fingerprint is already known for this account (e.g. from yesterday's
  camt.052 intraday report) is counted ``al_bekend`` and not booked again.
- Lines are written in chunks of ``CHUNK`` entries, each chunk in one transaction with its
  journaalpost. After a crash the file can simply be imported again: the Bankbestand is
  still BEZIG, its chunks that were committed are recognised by fingerprint, the rest is
  booked.
- Concurrent imports on one tussenrekening take turns per chunk (the tussenrekening row
  is locked while a chunk checks and writes fingerprints); the unique constraint
  (tussenrekening, kenmerk) is the last line of defence, and a chunk that hits it is
  retried.
- Matching happens in memory before writing: our own payments by end-to-end id, returns
  of them by end-to-end id and return reason, afspraken by score (:mod:`.matching`).
"""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record
from perspectief.contrib.bankformaten import BankbestandGeweigerd, Boeking, parse_statement
from perspectief.contrib.bankformaten import Richting as BankRichting

from . import grootboek
from .constants import (
    DOEL,
    BestandStatus,
    BetalingStatus,
    JournaalSoort,
    Richting,
    Rubriek,
    TransactieStatus,
)
from .matching import EIGEN_BETALING, PUNTEN_EIGEN_BETALING, RETOUR, Matcher
from .models import Bankbestand, Banktransactie, Betaling, Rekening, Tussenrekening

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


def bankbestand_inlezen(*, actor, tussenrekening: Tussenrekening, bestandsnaam: str, inhoud: bytes) -> Bankbestand:
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

    # The cyclic garbage collector finds nothing to free in 100,000 frozen entries but
    # walks them over and over (up to a quarter of the parse time under load).
    gc_aan = gc.isenabled()
    gc.disable()
    try:
        try:
            bestand = parse_statement(inhoud, expected_iban=tussenrekening.iban)
        except BankbestandGeweigerd as weigering:
            return _geweigerd(actor, tussenrekening, bestandsnaam, inhoud, sha256, weigering)
        if bestaand is None:
            bestaand = _nieuw_bankbestand(actor, tussenrekening, bestandsnaam, inhoud, sha256, bestand.format)
            if bestaand.status == BestandStatus.KLAAR:  # a concurrent import finished it
                return bestaand
        return _verwerken(actor, tussenrekening, bestaand, bestand.entries)
    finally:
        if gc_aan:
            gc.enable()


def _geweigerd(actor, tussenrekening, bestandsnaam, inhoud, sha256, weigering: BankbestandGeweigerd) -> Bankbestand:
    melding = weigering.bericht if not weigering.plaats else f"{weigering.bericht} ({weigering.plaats})"
    with transaction.atomic():
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
        if e.details and all(d.amount for d in e.details) and sum(d.amount for d in e.details) == e.amount:
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


def _in_stukken(regels: Iterator[tuple], grootte: int) -> Iterator[list[tuple]]:
    stuk: list[tuple] = []
    for regel in regels:
        stuk.append(regel)
        if len(stuk) >= grootte:
            yield stuk
            stuk = []
    if stuk:
        yield stuk


def _verwerken(actor, tussenrekening: Tussenrekening, bb: Bankbestand, entries: tuple[Boeking, ...]) -> Bankbestand:
    tellers = _Tellers()
    datums = [e.booking_date for e in entries]
    matcher = Matcher.voor(tussenrekening, van=min(datums), tot=max(datums)) if datums else None
    bank, onverdeeld = grootboek.systeemrekeningen(tussenrekening)
    rekeningen: dict[int, Rekening] = {
        r.deelname_id: r for r in Rekening.objects.filter(deelname__tussenrekening=tussenrekening)
    }
    for stuk in _in_stukken(_regels(entries, tellers), CHUNK):
        for poging in range(POGINGEN):
            try:
                _stuk_boeken(actor, tussenrekening, bb, stuk, matcher, bank, onverdeeld, rekeningen, tellers)
                break
            except IntegrityError:
                # A concurrent import stored one of these lines between our check and our
                # insert (only possible without the row lock, e.g. another account's lock
                # order); the retry sees it as known.
                if poging == POGINGEN - 1:
                    raise
    with transaction.atomic():
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


def _stuk_boeken(actor, tussenrekening, bb, stuk, matcher, bank, onverdeeld, rekeningen, tellers) -> None:
    vandaag = timezone.localdate()
    with transaction.atomic():
        # Chunks of concurrent imports on this account take turns from here on.
        Tussenrekening.objects.select_for_update().filter(pk=tussenrekening.pk).values_list("pk").first()
        bekend = dict(
            Banktransactie.objects.filter(tussenrekening=tussenrekening, kenmerk__in=[r[0] for r in stuk]).values_list(
                "kenmerk", "bankbestand_id"
            )
        )
        nieuw: list[Banktransactie] = []
        al_bekend = 0
        for r in stuk:
            if r[0] in bekend:
                if bekend[r[0]] != bb.pk:  # lines of an earlier, interrupted run count as new
                    al_bekend += 1
                continue
            bekend[r[0]] = bb.pk
            (kenmerk, boekdatum, valutadatum, richting, bedrag, iban, naam, omschrijving, betkenmerk, e2e, retour,
             terugboeking) = r
            t = Banktransactie(
                tussenrekening_id=tussenrekening.pk,
                bankbestand_id=bb.pk,
                kenmerk=kenmerk,
                boekdatum=boekdatum,
                valutadatum=valutadatum,
                richting=richting,
                bedrag=bedrag,
                tegenrekening_iban=iban,
                tegenpartij_naam=naam,
                omschrijving=omschrijving,
                betalingskenmerk=betkenmerk,
                end_to_end_id=e2e,
                retourcode=retour,
            )
            t._terugboeking = terugboeking
            nieuw.append(t)

        betalingen = _eigen_betalingen(nieuw)
        geboekt_betaling: list[tuple[Banktransactie, Betaling, str]] = []
        automatisch = 0
        for t in nieuw:
            betaling = betalingen.get(t.end_to_end_id) if t.end_to_end_id else None
            if betaling is not None:
                if _eigen_betaling_boeken(t, betaling, geboekt_betaling):
                    automatisch += 1
                continue
            if t._terugboeking or t.retourcode or matcher is None:
                continue  # a reversal or a return of someone else: a person looks at it
            keuze = matcher.beste(t)
            if keuze is not None:
                a = keuze.afspraak
                t.status = TransactieStatus.GEBOEKT
                t.afspraak = a
                t.deelname_id = a.deelname_id
                t.automatisch = True
                t.score = min(keuze.score.punten, 32767)
                t.redenen = keuze.score.als_json()
                t._rubriek = a.rubriek
                automatisch += 1

        Banktransactie.objects.bulk_create(nieuw, batch_size=1000)

        # One journaalpost for the chunk: BANK and ONVERDEELD per booking date, one
        # HUISHOUDEN line per booked line (it carries the line, its afspraak and rubriek).
        regels: list[grootboek.Regel] = []
        per_dag_bank: dict[date, Decimal] = defaultdict(Decimal)
        per_dag_onverdeeld: dict[date, Decimal] = defaultdict(Decimal)
        for t in nieuw:
            bedrag = t.bedrag if t.richting == Richting.INKOMEN else -t.bedrag
            per_dag_bank[t.boekdatum] += bedrag
            if t.status == TransactieStatus.GEBOEKT:
                rekening = rekeningen.get(t.deelname_id)
                if rekening is None:
                    rekening = rekeningen[t.deelname_id] = grootboek.huishoudrekening(t.afspraak.deelname if t.afspraak_id else t.deelname)
                regels.append(
                    grootboek.Regel(
                        rekening=rekening,
                        bedrag=-bedrag,
                        rubriek=getattr(t, "_rubriek", ""),
                        afspraak=t.afspraak if t.afspraak_id else None,
                        banktransactie=t,
                        datum=t.boekdatum,
                    )
                )
            else:
                per_dag_onverdeeld[t.boekdatum] -= bedrag
        for dag in sorted(per_dag_bank):
            regels.append(grootboek.Regel(rekening=bank, bedrag=per_dag_bank[dag], datum=dag))
        for dag in sorted(per_dag_onverdeeld):
            regels.append(grootboek.Regel(rekening=onverdeeld, bedrag=per_dag_onverdeeld[dag], datum=dag))
        if any(r.bedrag for r in regels):
            grootboek.boeken(
                gemeente=tussenrekening.gemeente_id,
                soort=JournaalSoort.AFSCHRIFT,
                datum=vandaag,
                regels=regels,
                omschrijving=f"Bankafschrift {bb.pk}",
                door=_gebruiker(actor),
                bankbestand=bb,
            )
        if geboekt_betaling:
            for t, betaling, status in geboekt_betaling:
                betaling.status = status
                if status == BetalingStatus.UITGEVOERD:
                    betaling.banktransactie = t
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


def _eigen_betalingen(nieuw: list[Banktransactie]) -> dict[str, Betaling]:
    """Our own payments named by the chunk's end-to-end ids (one query, locked)."""
    ids = {t.end_to_end_id for t in nieuw if t.end_to_end_id}
    if not ids:
        return {}
    return {
        b.end_to_end_id: b
        for b in Betaling.objects.select_for_update(of=("self",)).filter(end_to_end_id__in=ids).select_related("afspraak")
    }


def _eigen_betaling_boeken(t: Banktransactie, betaling: Betaling, geboekt: list) -> bool:
    """Book a line that is one of our own payments (money out, status VERZONDEN) or its
    return (money in with a return reason, after UITGEVOERD or VERZONDEN) to the
    household. A second debit for a payment already executed is left open: we never book
    one payment twice (the signals show it as paid twice)."""
    if betaling.bedrag != t.bedrag:
        return False
    if t.richting == Richting.UITGAVE and betaling.status == BetalingStatus.VERZONDEN:
        status, code = BetalingStatus.UITGEVOERD, EIGEN_BETALING
    elif t.richting == Richting.INKOMEN and t.retourcode and betaling.status in (
        BetalingStatus.UITGEVOERD,
        BetalingStatus.VERZONDEN,
    ):
        status, code = BetalingStatus.TERUGGEBOEKT, RETOUR
    else:
        return False
    t.status = TransactieStatus.GEBOEKT
    t.deelname_id = betaling.deelname_id
    t.afspraak = betaling.afspraak
    t.automatisch = True
    t.score = PUNTEN_EIGEN_BETALING
    t.redenen = [{"code": code, "punten": PUNTEN_EIGEN_BETALING}]
    t._rubriek = betaling.afspraak.rubriek if betaling.afspraak_id else Rubriek.LEEFGELD
    betaling.status = status  # in memory too: a return later in the same chunk sees it
    geboekt.append((t, betaling, status))
    return True
