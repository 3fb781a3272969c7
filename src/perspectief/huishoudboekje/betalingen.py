"""Payments from the tussenrekening: planning, batches, four-eyes approval, pain.001 and
pain.002 (docs/huishoudboekje.md, "Payments").

The life of a payment::

    GEPLAND --batch_voorbereiden--> IN_BATCH --batch_goedkeuren--> VERZONDEN --statement--> UITGEVOERD
       |  ^                            |                              |                      |
       |  +------batch_afkeuren--------+                              +--pain.002 RJCT--> GEWEIGERD
       +--betaling_annuleren--> GEANNULEERD                                        (returned) TERUGGEBOEKT

A payment can never be made twice: the partial unique indexes ``betaling_eenmaal_per_termijn``
and ``leefgeld_eenmaal_per_termijn`` allow one active payment (gepland, in_batch,
verzonden, uitgevoerd) per afspraak or household and term. Every step that moves payments
is one conditional UPDATE (``WHERE status = ... AND batch IS NULL``), so two people or
workers doing the same thing at once cannot both move the same payment.

Planning is not audit-logged here (it has no actor and changes no personal data); the
screen that starts it logs one entry. The batch actions log one entry per batch.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.contrib.bankformaten import (
    BankbestandGeweigerd,
    Betaalopdracht,
    Opdrachtgever,
    build_credit_transfer,
    is_execution_day,
    next_execution_date,
    parse_status_report,
)

from .constants import BETALING_ACTIEF, DOEL, EIGEN_END_TO_END_PREFIX, BatchStatus, BetalingSoort, BetalingStatus, RekeningSoort, Richting
from .models import Afspraak, Betaalbatch, Betaling, Deelname, Rekening, Tussenrekening
from .schema import afspraak_termijnen, leefgeld_termijnen

__all__ = [
    "PAIN_VERSIES",
    "Verwerking",
    "afspraak_plannen",
    "plannen_tot",
    "batch_afkeuren",
    "batch_bestandsnaam",
    "batch_goedkeuren",
    "batch_voorbereiden",
    "betaling_annuleren",
    "betaling_opnieuw_plannen",
    "betalingen_plannen",
    "end_to_end_id",
    "reden_tekst",
    "statusrapport_verwerken",
    "uitvoerdatum_in_bestand",
    "uitvoerdatum_voor",
]

logger = logging.getLogger(__name__)

PAIN_VERSIES = ("pain.001.001.09", "pain.001.001.03")
NUL = Decimal("0.00")
CENT = Decimal("0.01")
BULK = 2000
# SQLite allows 32766 variables per statement; stay far below it when counting by uuid.
TEL_PER_KEER = 900


# --- dates and references -----------------------------------------------------------------


def uitvoerdatum_voor(termijn: date, *, peildatum: date) -> date:
    """The bank day a payment for ``termijn`` goes out.

    ``termijn`` itself when banks execute payments that day; otherwise the bank day
    BEFORE it, so rent due on a Saturday or on Christmas Day is with the creditor on
    time (a creditor wants to be paid by the due date, not after it). Never before
    ``peildatum``: when that earlier bank day has passed, the first bank day from
    ``peildatum`` on. Bank days are TARGET2 days (``bankformaten.is_execution_day``):
    Dutch banks pay on Koningsdag, Bevrijdingsdag, Hemelvaartsdag and Tweede
    Pinksterdag, and do not on New Year's Day, Good Friday, Easter Monday, 1 May, 25 and
    26 December (docs/huishoudboekje.md, "Payments")."""
    dag = termijn
    while not is_execution_day(dag):
        dag -= timedelta(days=1)
    if dag < peildatum:
        return next_execution_date(peildatum)
    return dag


def uitvoerdatum_in_bestand(uitvoerdatum: date, *, vandaag: date) -> date:
    """The execution date a payment planned for ``uitvoerdatum`` gets in a payment file
    approved on ``vandaag``: its own date, or the first bank day from ``vandaag`` on when
    that has passed (a bank does not execute a date in the past). Batch screens show this
    date before approval."""
    eerste = next_execution_date(vandaag)
    return eerste if uitvoerdatum < eerste else uitvoerdatum


def end_to_end_id(betaling_uuid: uuid.UUID) -> str:
    """The end-to-end id of a payment: ``HHB`` and the 32 hex digits of its uuid (35
    characters, the SEPA maximum). Unique, within the SEPA character set, and without
    anything about the household (it is printed on the creditor's statement)."""
    return f"{EIGEN_END_TO_END_PREFIX}{betaling_uuid.hex.upper()}"


def _nieuwe_betaling(**velden) -> Betaling:
    sleutel = uuid.uuid4()
    return Betaling(uuid=sleutel, end_to_end_id=end_to_end_id(sleutel), status=BetalingStatus.GEPLAND, **velden)


# --- planning -------------------------------------------------------------------------------


def plannen_tot(peildatum: date, *, dagen: int | None = None) -> date:
    """The last term day the daily run plans from ``peildatum``: ``dagen`` ahead (the
    setting HUISHOUDBOEKJE_PLANNEN_DAGEN unless given). A change of an afspraak plans its
    payments again for the same window."""

    return peildatum + timedelta(days=settings.HUISHOUDBOEKJE_PLANNEN_DAGEN if dagen is None else dagen)


def betalingen_plannen(*, tussenrekening: Tussenrekening, peildatum: date, tot: date) -> int:
    """Plan the payments of every active deelname of ``tussenrekening`` with a term in
    ``peildatum``..``tot`` (inclusive); return how many new payments were planned.

    - Fixed costs: one payment per term of every UITGAVE afspraak with ``betalen``, within
      the afspraak's validity and the household's participation.
    - Leefgeld: only the household's NEXT leefgeld term (the first on or after
      ``peildatum``, when it is on or before ``tot``), with the amount
      ``budget.overzichten(deelnames=..., peildatum=peildatum)[id].leefgeld_bedrag``
      (every household at once) computed after this run's fixed costs are planned;
      nothing when that is 0. Later terms are not planned ahead: their amount depends
      on income that has not arrived yet. A later run plans them (the amount of a
      planned payment does not change; cancel it and plan again to recompute).
      Households whose tegoed does not exceed their buffer get no leefgeld, without
      asking the budget (it can only be lower).

    Idempotent: a term that already has an active payment is skipped, and the partial
    unique indexes make the insert skip a term that another run planned at the same
    moment (``INSERT ... ON CONFLICT DO NOTHING``), so a second run plans nothing.
    The afspraken are read with a row lock in the insert transaction, so a change of an
    afspraak at the same moment cannot leave a payment with its old values
    (``_afspraken_vergrendeld``).
    """
    if tot < peildatum:
        return 0
    deelnames = {
        d.pk: d
        for d in Deelname.objects.filter(tussenrekening=tussenrekening, startdatum__lte=tot).filter(
            Q(einddatum__isnull=True) | Q(einddatum__gte=peildatum)
        )
    }
    if not deelnames:
        return 0
    # No joins in the queries on payments: their statuses change by the ten thousand at
    # once, and with statistics from before such a change PostgreSQL planned a join with
    # the deelnames as a nested loop over all of them per payment (seconds instead of
    # milliseconds). Keys of other accounts cannot collide with ours, so no filter on the
    # account is needed.
    bezet = set(
        Betaling.objects.filter(
            soort=BetalingSoort.VASTE_LAST,
            status__in=BETALING_ACTIEF,
            termijn__range=(peildatum, tot),
        ).values_list("afspraak_id", "termijn")
    )
    leefgeld_bezet = set(
        Betaling.objects.filter(
            soort=BetalingSoort.LEEFGELD,
            status__in=BETALING_ACTIEF,
            termijn__range=(peildatum, tot),
        ).values_list("deelname_id", "termijn")
    )
    # Leefgeld is at most what the household has minus its buffer (open payments and
    # reservations only lower it), so the budget is not even asked for households without
    # that room: one query instead of a budget per household.
    ruimte = {
        deelname_id: -saldo
        for deelname_id, saldo in Rekening.objects.filter(soort=RekeningSoort.HUISHOUDEN, saldo__lt=0).values_list(
            "deelname_id", "saldo"
        )
        if deelname_id in deelnames
    }
    with transaction.atomic():
        nieuw: list[Betaling] = []
        for afspraak in _afspraken_vergrendeld(sorted(deelnames), peildatum=peildatum, tot=tot):
            deelname = deelnames[afspraak.deelname_id]
            nieuw += _vaste_lasten(afspraak, deelname, peildatum=peildatum, tot=tot, bezet=bezet)
        Betaling.objects.bulk_create(nieuw, batch_size=BULK, ignore_conflicts=True)
        volgende_termijn: dict[int, date] = {}
        for deelname in deelnames.values():
            if ruimte.get(deelname.pk, NUL) - deelname.buffer <= 0:
                continue
            van, eind = _binnen_deelname(deelname, peildatum, tot)
            volgende = _termijnen_of_niets(leefgeld_termijnen, deelname, van, min(eind, van + timedelta(days=31)))
            if volgende and (deelname.pk, volgende[0]) not in leefgeld_bezet:
                volgende_termijn[deelname.pk] = volgende[0]
        # The budgets of all these households at once (a constant number of queries per
        # 900 households), after this run's fixed costs are in.
        bedragen = _leefgeld_bedragen(deelnames=[deelnames[pk] for pk in volgende_termijn], peildatum=peildatum)
        leefgeld: list[Betaling] = []
        for deelname_id, termijn in volgende_termijn.items():
            bedrag = bedragen.get(deelname_id, NUL)
            if bedrag <= 0:
                continue
            deelname = deelnames[deelname_id]
            leefgeld.append(
                _nieuwe_betaling(
                    deelname_id=deelname.pk,
                    afspraak_id=None,
                    soort=BetalingSoort.LEEFGELD,
                    termijn=termijn,
                    uitvoerdatum=uitvoerdatum_voor(termijn, peildatum=peildatum),
                    bedrag=bedrag,
                    tegenrekening_iban=deelname.leefgeld_iban,
                    tegenpartij_naam=deelname.leefgeld_naam[:70],
                    omschrijving=_("Leefgeld %(datum)s") % {"datum": termijn.strftime("%d-%m-%Y")},
                    betalingskenmerk="",
                )
            )
        Betaling.objects.bulk_create(leefgeld, batch_size=BULK, ignore_conflicts=True)
        return _aantal_bewaard([b.uuid for b in nieuw + leefgeld])


def _afspraken_vergrendeld(deelname_ids: list[int], *, peildatum: date, tot: date) -> Iterator[Afspraak]:
    """The afspraken ``betalingen_plannen`` pays in ``peildatum``..``tot``, read with a row
    lock (``FOR NO KEY UPDATE``) that the caller's transaction holds until its payments
    are in. Call inside ``transaction.atomic()``.

    Why: a change of an afspraak (``deelname.afspraak_wijzigen``, ``afspraak_beeindigen``)
    updates the afspraak row, which locks it until the change commits, and in that
    transaction cancels the planned payments and plans them again. Without this lock the
    daily run could read the OLD values, then insert their payments after the change
    cancelled the planned ones: its insert wins the partial unique index and the change's
    insert gives way (a payment with old values), or it plans terms or an afspraak the
    change removed. With it the two take turns: the run waits for a change in progress and
    then reads the new values (PostgreSQL re-reads a locked row once its locker
    commits), and a change waits for the run and then replaces the run's payments. One
    locking query per chunk, no query per row. NO KEY: inserting payments that refer to
    these afspraken (a key-share lock) does not wait for it. The organisations are fetched
    apart (``prefetch_related``, one query per chunk), so the lock and the re-read after a
    wait concern the afspraak row alone, not a join. SQLite ignores the row lock; there
    the read and the insert are in one SQLite transaction, and this race is only tested
    on PostgreSQL (tests/huishoudboekje/test_afspraak_wijzigen_gelijktijdig.py)."""
    for i in range(0, len(deelname_ids), TEL_PER_KEER):
        yield from (
            Afspraak.objects.filter(
                deelname_id__in=deelname_ids[i : i + TEL_PER_KEER],
                richting=Richting.UITGAVE,
                betalen=True,
                geldig_vanaf__lte=tot,
            )
            .filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=peildatum))
            .select_for_update(no_key=True)
            .prefetch_related("organisatie")
            .order_by("pk")
        )


def afspraak_plannen(*, afspraak: Afspraak, peildatum: date, tot: date, achterstallig: Iterable[date] = ()) -> int:
    """Plan the payments of one afspraak with a term in ``peildatum``..``tot``, as
    ``betalingen_plannen`` does for it (same terms, amounts and execution dates); return
    how many new payments were planned. Used right after an afspraak changed
    (``deelname.afspraak_opslaan``), so its payments follow the new values without
    waiting for the daily run. Nothing for income or an afspraak we do not pay.

    ``achterstallig``: terms before ``peildatum`` whose planned payment the change
    replaced (overdue, not in a batch yet). Such a term is planned again when it is still
    a term of the afspraak, going out on the first bank day from ``peildatum``; other
    past terms are never planned here (the daily run does not plan the past either).

    Leefgeld is not planned here: its amount follows from the whole budget, and the
    daily run plans it. Idempotent like ``betalingen_plannen``: a term with an active
    payment is skipped, also one planned by another run at the same moment."""
    if tot < peildatum or afspraak.richting != Richting.UITGAVE or not afspraak.betalen:
        return 0
    achterstallig = {termijn for termijn in achterstallig if termijn < peildatum}
    vanaf = min([peildatum, *achterstallig])
    bezet = set(
        Betaling.objects.filter(
            afspraak=afspraak,
            soort=BetalingSoort.VASTE_LAST,
            status__in=BETALING_ACTIEF,
            termijn__range=(vanaf, tot),
        ).values_list("afspraak_id", "termijn")
    )
    # Past terms that were not replaced count as taken: they are not planned again.
    if achterstallig:
        verleden = _termijnen_of_niets(afspraak_termijnen, afspraak, vanaf, peildatum - timedelta(days=1))
        bezet |= {(afspraak.pk, termijn) for termijn in verleden if termijn not in achterstallig}
    nieuw = _vaste_lasten(afspraak, afspraak.deelname, peildatum=peildatum, tot=tot, bezet=bezet, vanaf=vanaf)
    with transaction.atomic():
        Betaling.objects.bulk_create(nieuw, batch_size=BULK, ignore_conflicts=True)
        return _aantal_bewaard([b.uuid for b in nieuw])


def _vaste_lasten(
    afspraak: Afspraak, deelname: Deelname, *, peildatum: date, tot: date, bezet: set, vanaf: date | None = None
) -> list[Betaling]:
    """The new (unsaved) fixed-cost payments of ``afspraak``: one per term in
    ``vanaf``..``tot`` (``vanaf`` is ``peildatum`` unless given) within the participation
    that is not in ``bezet`` (pairs of afspraak id and term), going out on
    ``uitvoerdatum_voor(term, peildatum=peildatum)``."""
    van, eind = _binnen_deelname(deelname, peildatum if vanaf is None else vanaf, tot)
    return [
        _nieuwe_betaling(
            deelname_id=deelname.pk,
            afspraak_id=afspraak.pk,
            soort=BetalingSoort.VASTE_LAST,
            termijn=termijn,
            uitvoerdatum=uitvoerdatum_voor(termijn, peildatum=peildatum),
            bedrag=afspraak.bedrag,
            tegenrekening_iban=afspraak.tegenrekening_iban,
            tegenpartij_naam=afspraak.organisatie.naam[:70],
            omschrijving=afspraak.omschrijving[:140],
            betalingskenmerk=afspraak.betalingskenmerk,
        )
        for termijn in _termijnen_of_niets(afspraak_termijnen, afspraak, van, eind)
        if (afspraak.pk, termijn) not in bezet
    ]


def _termijnen_of_niets(functie, rij, van: date, tot: date) -> list[date]:
    """The terms, or none for a row with an impossible schedule (the forms refuse those;
    one such row must not stop the run for every other household). Logged by id only."""
    try:
        return functie(rij, van, tot)
    except ValueError:
        logger.warning("huishoudboekje: impossible schedule on %s %s, no payment planned", type(rij).__name__, rij.pk)
        return []


def _binnen_deelname(deelname: Deelname, peildatum: date, tot: date) -> tuple[date, date]:
    van = max(peildatum, deelname.startdatum)
    eind = tot if deelname.einddatum is None else min(tot, deelname.einddatum)
    return van, eind


def _leefgeld_bedragen(*, deelnames: list[Deelname], peildatum: date) -> dict[int, Decimal]:
    """What the budget says each of these households can have as leefgeld now, by
    deelname id (never negative): ``budget.overzichten``, all at once."""
    from . import budget  # the budget module computes from the ledger; imported when needed

    return {
        pk: max(NUL, Decimal(stand.leefgeld_bedrag).quantize(CENT))
        for pk, stand in budget.overzichten(deelnames=deelnames, peildatum=peildatum).items()
    }


def _aantal_bewaard(sleutels: list[uuid.UUID]) -> int:
    """How many of these new payments are in the database (the rest met a conflict)."""
    return sum(
        Betaling.objects.filter(uuid__in=sleutels[i : i + TEL_PER_KEER]).count()
        for i in range(0, len(sleutels), TEL_PER_KEER)
    )


# --- batches ----------------------------------------------------------------------------------


def batch_voorbereiden(
    *, actor, tussenrekening: Tussenrekening, uitvoerdatum: date, pain_versie: str = "pain.001.001.09"
) -> Betaalbatch:
    """Collect every planned payment of ``tussenrekening`` due on or before
    ``uitvoerdatum`` (and not yet in a batch) into a new batch that waits for approval
    by another budgetbeheerder. ``uitvoerdatum`` only says how far ahead the batch
    reaches: every payment keeps its own execution date in the file, and one whose date
    has passed by the time the batch is approved goes on the first bank day from that
    day (``uitvoerdatum_in_bestand``), so rent due on the 1st is not paid on the 5th.

    The payments are taken with one conditional UPDATE (``status = gepland AND batch IS
    NULL``): when two people prepare at the same moment, every payment lands in exactly
    one batch. Refuses (``ValidationError``) a date that is not a bank day or has
    passed, an unknown pain version, and a batch without payments."""
    if pain_versie not in PAIN_VERSIES:
        raise ValidationError(_("Kies pain.001.001.09 of pain.001.001.03."), code="pain_versie")
    if uitvoerdatum < timezone.localdate():
        raise ValidationError(_("De uitvoerdatum ligt in het verleden. Kies vandaag of later."), code="verleden")
    if not is_execution_day(uitvoerdatum):
        raise ValidationError(
            _("Op %(datum)s voeren banken geen betalingen uit. Kies %(volgende)s.")
            % {
                "datum": uitvoerdatum.strftime("%d-%m-%Y"),
                "volgende": next_execution_date(uitvoerdatum).strftime("%d-%m-%Y"),
            },
            code="geen_bankdag",
        )
    with transaction.atomic():
        sleutel = uuid.uuid4()
        batch = Betaalbatch.objects.create(
            uuid=sleutel,
            tussenrekening=tussenrekening,
            uitvoerdatum=uitvoerdatum,
            pain_versie=pain_versie,
            message_id=f"HHB-{uitvoerdatum:%Y%m%d}-{sleutel.hex[:12].upper()}",
            voorbereid_door=actor,
        )
        # First the candidates (a read without a join, see betalingen_plannen), then
        # UPDATE by primary key with the guard `status = gepland AND batch IS NULL` on the
        # row itself: when another batch took a row in the meantime, PostgreSQL re-checks
        # the guard on the newest row version after waiting and skips it.
        van_rekening = set(Deelname.objects.filter(tussenrekening=tussenrekening).values_list("pk", flat=True))
        kandidaten = [
            pk
            for pk, deelname_id in Betaling.objects.filter(
                status=BetalingStatus.GEPLAND, batch=None, uitvoerdatum__lte=uitvoerdatum
            )
            .order_by("pk")
            .values_list("pk", "deelname_id")
            if deelname_id in van_rekening
        ]
        aantal = _in_batch_zetten(batch, kandidaten)
        if aantal == 0:
            transaction.set_rollback(True)
            raise ValidationError(
                _("Er zijn geen geplande betalingen tot en met %(datum)s. Er is geen betaalbestand gemaakt.")
                % {"datum": uitvoerdatum.strftime("%d-%m-%Y")},
                code="leeg",
            )
        totaal = Betaling.objects.filter(batch=batch).aggregate(t=Sum("bedrag"))["t"] or NUL
        batch.aantal, batch.totaal = aantal, totaal
        batch.save(update_fields=["aantal", "totaal"])
        audit_record(
            actor=actor,
            actie=Actie.AANMAKEN,
            object_type="betaalbatch",
            object_id=batch.pk,
            doel=DOEL,
            details={"aantal": aantal, "uitvoerdatum": uitvoerdatum.isoformat(), "pain_versie": pain_versie},
        )
    return batch


def _in_batch_zetten(batch: Betaalbatch, kandidaten: list[int]) -> int:
    """Put those of ``kandidaten`` that are still planned and in no batch into ``batch``;
    return how many. The guard is on each row, so a stale list is harmless."""
    return sum(
        Betaling.objects.filter(
            pk__in=kandidaten[i : i + TEL_PER_KEER], status=BetalingStatus.GEPLAND, batch=None
        ).update(status=BetalingStatus.IN_BATCH, batch=batch)
        for i in range(0, len(kandidaten), TEL_PER_KEER)
    )


def batch_goedkeuren(*, actor, batch: Betaalbatch) -> Betaalbatch:
    """Approve a prepared batch: write its pain.001 (validated against the official XSD
    by ``build_credit_transfer``), store the bytes and their SHA-256, and mark its
    payments VERZONDEN.

    Every payment goes out on its own execution date (one payment block per date in the
    file); a payment whose date has passed goes on the first bank day from today, and
    that date is stored on the payment (``uitvoerdatum_in_bestand``).

    Four-eyes: ``actor`` may not be the one who prepared the batch (also the database
    check ``batch_vier_ogen``). The batch row is locked, so two approvers at the same
    moment approve it once and write one file."""
    with transaction.atomic():
        batch = Betaalbatch.objects.select_for_update().select_related("tussenrekening").get(pk=batch.pk)
        _moet_voorbereid_zijn(batch)
        if actor is None or actor.pk == batch.voorbereid_door_id:
            raise ValidationError(
                _("U heeft dit betaalbestand zelf klaargezet. Een andere budgetbeheerder moet het goedkeuren."),
                code="vier_ogen",
            )
        betalingen = list(
            Betaling.objects.filter(batch=batch, status=BetalingStatus.IN_BATCH).order_by("uitvoerdatum", "pk")
        )
        if len(betalingen) != batch.aantal:
            raise ValidationError(
                _("De betalingen in dit bestand zijn veranderd. Keur het af en maak een nieuw bestand."),
                code="veranderd",
            )
        goedgekeurd_op = timezone.now().replace(microsecond=0)
        vandaag = timezone.localdate()
        rekening = batch.tussenrekening
        try:
            inhoud = build_credit_transfer(
                debtor=Opdrachtgever(name=rekening.naam, iban=rekening.iban, bic=rekening.bic or None),
                payments=[_opdracht(b, uitvoerdatum_in_bestand(b.uitvoerdatum, vandaag=vandaag)) for b in betalingen],
                message_id=batch.message_id,
                created_at=goedgekeurd_op,
                version=batch.pain_versie,
            )
        except BankbestandGeweigerd as fout:
            plaats = f" ({fout.plaats})" if fout.plaats else ""
            raise ValidationError(
                _("Het betaalbestand kan niet gemaakt worden: %(reden)s%(plaats)s")
                % {"reden": fout.bericht, "plaats": plaats},
                code=str(fout.code),
            ) from fout
        batch.status = BatchStatus.GOEDGEKEURD
        batch.goedgekeurd_door = actor
        batch.goedgekeurd_op = goedgekeurd_op
        batch.bestand = inhoud
        batch.sha256 = hashlib.sha256(inhoud).hexdigest()
        batch.save(update_fields=["status", "goedgekeurd_door", "goedgekeurd_op", "bestand", "sha256"])
        # The payments whose day has passed go on the first bank day from today, as in
        # the file; the others keep their own day.
        eerste = next_execution_date(vandaag)
        Betaling.objects.filter(batch=batch, status=BetalingStatus.IN_BATCH, uitvoerdatum__lt=eerste).update(
            uitvoerdatum=eerste
        )
        Betaling.objects.filter(batch=batch, status=BetalingStatus.IN_BATCH).update(status=BetalingStatus.VERZONDEN)
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="betaalbatch",
            object_id=batch.pk,
            doel=DOEL,
            details={"status": BatchStatus.GOEDGEKEURD, "aantal": batch.aantal, "sha256": batch.sha256},
        )
    return batch


def batch_afkeuren(*, actor, batch: Betaalbatch, reden: str) -> Betaalbatch:
    """Refuse a prepared batch: its payments go back to GEPLAND (out of the batch), so a
    new batch can take them. Anyone allowed to see the batch may refuse it, also the one
    who prepared it (withdrawing needs no second pair of eyes). ``reden`` is kept in the
    audit log only as its length: it is free text and may name people."""
    reden = (reden or "").strip()
    if not reden:
        raise ValidationError(_("Schrijf op waarom u het betaalbestand afkeurt."), code="reden")
    with transaction.atomic():
        batch = Betaalbatch.objects.select_for_update().get(pk=batch.pk)
        _moet_voorbereid_zijn(batch)
        terug = Betaling.objects.filter(batch=batch, status=BetalingStatus.IN_BATCH).update(
            status=BetalingStatus.GEPLAND, batch=None
        )
        batch.status = BatchStatus.AFGEKEURD
        batch.save(update_fields=["status"])
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="betaalbatch",
            object_id=batch.pk,
            doel=DOEL,
            details={"status": BatchStatus.AFGEKEURD, "terug_naar_gepland": terug, "reden_lengte": len(reden)},
        )
    return batch


def batch_bestandsnaam(batch: Betaalbatch) -> str:
    """File name for the download: the message id, which the bank's status report
    quotes back, and the pain version. Nothing about households."""
    return f"{batch.message_id}.{batch.pain_versie}.xml"


def _moet_voorbereid_zijn(batch: Betaalbatch) -> None:
    if batch.status != BatchStatus.VOORBEREID:
        raise ValidationError(
            _("Dit betaalbestand is al %(status)s.") % {"status": BatchStatus(batch.status).label.lower()},
            code="status",
        )


def _opdracht(betaling: Betaling, uitvoerdatum: date) -> Betaalopdracht:
    kenmerk = betaling.betalingskenmerk.strip() or None
    return Betaalopdracht(
        end_to_end_id=betaling.end_to_end_id,
        creditor_name=betaling.tegenpartij_naam,
        creditor_iban=betaling.tegenrekening_iban,
        amount=betaling.bedrag,
        requested_execution_date=uitvoerdatum,
        remittance_information=None if kenmerk else (betaling.omschrijving or None),
        betalingskenmerk=kenmerk,
    )


# --- single payments --------------------------------------------------------------------------


def betaling_annuleren(*, actor, betaling: Betaling) -> Betaling:
    """Cancel a planned payment (only while GEPLAND: once in a batch, refuse the batch).
    The term is free again, so a later planning run plans it anew."""
    with transaction.atomic():
        veranderd = Betaling.objects.filter(pk=betaling.pk, status=BetalingStatus.GEPLAND, batch=None).update(
            status=BetalingStatus.GEANNULEERD
        )
        if not veranderd:
            raise ValidationError(
                _("Alleen een geplande betaling die nog niet in een betaalbestand staat, kunt u annuleren."),
                code="status",
            )
        betaling.refresh_from_db()
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="betaling",
            object_id=betaling.pk,
            huishouden_id=betaling.deelname.huishouden_id,
            doel=DOEL,
            details={"status": BetalingStatus.GEANNULEERD},
        )
    return betaling


def betaling_opnieuw_plannen(*, actor, betaling: Betaling, peildatum: date | None = None) -> Betaling:
    """Plan a refused, returned or cancelled payment again: a new GEPLAND payment for the
    same term, amount and counterparty, going out on the first bank day from
    ``peildatum`` (today). The old row stays as it was, for the history. Refused when the
    term already has an active payment again."""
    peildatum = peildatum or timezone.localdate()
    if betaling.status not in (BetalingStatus.GEWEIGERD, BetalingStatus.TERUGGEBOEKT, BetalingStatus.GEANNULEERD):
        raise ValidationError(
            _("Alleen een geweigerde, teruggekomen of geannuleerde betaling kunt u opnieuw plannen."), code="status"
        )
    nieuw = _nieuwe_betaling(
        deelname_id=betaling.deelname_id,
        afspraak_id=betaling.afspraak_id,
        soort=betaling.soort,
        termijn=betaling.termijn,
        uitvoerdatum=next_execution_date(peildatum),
        bedrag=betaling.bedrag,
        tegenrekening_iban=betaling.tegenrekening_iban,
        tegenpartij_naam=betaling.tegenpartij_naam,
        omschrijving=betaling.omschrijving,
        betalingskenmerk=betaling.betalingskenmerk,
    )
    try:
        with transaction.atomic():
            nieuw.save(force_insert=True)
            audit_record(
                actor=actor,
                actie=Actie.AANMAKEN,
                object_type="betaling",
                object_id=nieuw.pk,
                huishouden_id=betaling.deelname.huishouden_id,
                doel=DOEL,
                details={"opnieuw_van": betaling.pk},
            )
    except IntegrityError as fout:
        raise ValidationError(_("Voor deze termijn staat al een betaling klaar."), code="dubbel") from fout
    return nieuw


# --- status reports (pain.002) ----------------------------------------------------------------

# ISO 20022 ExternalStatusReason1Code (External Code Sets, iso20022.org, "ExternalCodeSets"),
# the codes Dutch banks use in pain.002 for credit transfers, in plain Dutch.
REDENEN = {
    "AC01": gettext_noop("Het rekeningnummer klopt niet."),
    "AC03": gettext_noop("Het rekeningnummer van de ontvanger klopt niet."),
    "AC04": gettext_noop("De rekening van de ontvanger is opgeheven."),
    "AC06": gettext_noop("De rekening is geblokkeerd."),
    "AC13": gettext_noop("Op dit soort rekening kan niet betaald worden."),
    "AG01": gettext_noop("Deze betaling is niet toegestaan op deze rekening."),
    "AG02": gettext_noop("De bank kent deze soort betaling niet."),
    "AM02": gettext_noop("Het bedrag is hoger dan toegestaan."),
    "AM04": gettext_noop("Er staat niet genoeg geld op de rekening."),
    "AM05": gettext_noop("Deze betaling is dubbel."),
    "AM09": gettext_noop("Het bedrag klopt niet."),
    "BE04": gettext_noop("Het adres van de ontvanger ontbreekt."),
    "BE05": gettext_noop("De bank kent de opdrachtgever niet."),
    "CNOR": gettext_noop("De bank van de ontvanger is niet bereikbaar."),
    "CUST": gettext_noop("Teruggedraaid op verzoek van de opdrachtgever."),
    "DNOR": gettext_noop("De bank van de betaler is niet bereikbaar."),
    "DT01": gettext_noop("De datum klopt niet."),
    "DUPL": gettext_noop("Deze betaling is dubbel."),
    "ED05": gettext_noop("De bank kon de betaling niet afronden."),
    "FF01": gettext_noop("Het bestand heeft een fout formaat."),
    "FOCR": gettext_noop("Teruggestuurd na een verzoek om te annuleren."),
    "MD07": gettext_noop("De rekeninghouder is overleden."),
    "MS02": gettext_noop("De ontvanger heeft de betaling geweigerd, zonder reden."),
    "MS03": gettext_noop("De bank heeft de betaling geweigerd, zonder reden."),
    "NARR": gettext_noop("Zie de toelichting van de bank."),
    "RC01": gettext_noop("De BIC van de bank klopt niet."),
    "RR01": gettext_noop("Gegevens van de betaler ontbreken (regels van de toezichthouder)."),
    "RR02": gettext_noop("Naam of adres van de betaler ontbreekt (regels van de toezichthouder)."),
    "RR03": gettext_noop("Naam of adres van de ontvanger ontbreekt (regels van de toezichthouder)."),
    "RR04": gettext_noop("Geweigerd om redenen van regelgeving."),
    "SL01": gettext_noop("Geweigerd door een dienst van de bank van de ontvanger."),
    "TM01": gettext_noop("Het bestand kwam te laat bij de bank binnen."),
}


def reden_tekst(code: str | None) -> str:
    """A bank's reason code in plain Dutch, with the code itself for the specialist."""
    if not code:
        return _("De bank heeft geen reden gegeven.")
    tekst = REDENEN.get(code.upper())
    return f"{_(tekst)} ({code})" if tekst else _("Reden van de bank: %(code)s.") % {"code": code}


@dataclass(frozen=True)
class Verwerking:
    """The result of a processed pain.002: counts, and the end-to-end ids the report
    names that are not payments of its batch (shown, not fatal)."""

    batch: Betaalbatch
    geweigerd: int = 0
    geaccepteerd: int = 0
    in_behandeling: int = 0
    al_verwerkt: int = 0
    onbekende_kenmerken: tuple[str, ...] = field(default_factory=tuple)

    @property
    def onbekend(self) -> int:
        return len(self.onbekende_kenmerken)


def statusrapport_verwerken(*, actor, tussenrekening: Tussenrekening, inhoud: bytes) -> Verwerking:
    """Process a bank's payment status report (pain.002) for an approved batch.

    A rejected payment becomes GEWEIGERD with the bank's reason in plain Dutch; that frees
    its term, so the next planning run (or ``betaling_opnieuw_plannen``) plans it again.
    An accepted payment stays VERZONDEN until it is seen on a statement. A report for a
    message this account did not send is refused (``ValidationError``); an unreadable
    file raises ``BankbestandGeweigerd``. Processing the same report twice changes
    nothing the second time."""
    rapport = parse_status_report(inhoud)
    with transaction.atomic():
        batch = (
            Betaalbatch.objects.select_for_update()
            .filter(tussenrekening=tussenrekening, message_id=rapport.original_message_id)
            .first()
        )
        if batch is None:
            raise ValidationError(
                _(
                    "Dit statusrapport hoort niet bij een betaalbestand van deze rekening "
                    "(kenmerk %(kenmerk)s is onbekend)."
                )
                % {"kenmerk": rapport.original_message_id},
                code="ander_bestand",
            )
        if batch.status != BatchStatus.GOEDGEKEURD:
            raise ValidationError(
                _("Dit betaalbestand is nog niet goedgekeurd en dus niet naar de bank gestuurd."), code="status"
            )
        in_batch = dict(Betaling.objects.filter(batch=batch).values_list("end_to_end_id", "status"))
        weigeren: dict[str, str] = {}  # end-to-end id -> reason code
        geaccepteerd = in_behandeling = 0
        onbekend: list[str] = []
        if rapport.transactions:
            for status in rapport.transactions:
                if status.end_to_end_id not in in_batch:
                    onbekend.append(status.end_to_end_id or "")
                elif status.accepted is False:
                    weigeren[status.end_to_end_id] = status.reason_code or ""
                elif status.accepted:
                    geaccepteerd += 1
                else:
                    in_behandeling += 1
        elif rapport.group_accepted is False or (
            rapport.payment_information_statuses
            and all(s in ("RJCT", "CANC") for _pmt, s, _r in rapport.payment_information_statuses)
        ):
            # The whole file (or its only payment block) was refused without a list.
            reden = rapport.group_reason_code or next(
                (r for _pmt, _s, r in rapport.payment_information_statuses if r), ""
            )
            weigeren = dict.fromkeys(in_batch, reden)
        elif rapport.group_accepted:
            geaccepteerd = len(in_batch)
        geweigerd = al_verwerkt = 0
        for code in sorted(set(weigeren.values())):
            kenmerken = [e for e, c in weigeren.items() if c == code]
            for i in range(0, len(kenmerken), TEL_PER_KEER):
                geweigerd += Betaling.objects.filter(
                    batch=batch, status=BetalingStatus.VERZONDEN, end_to_end_id__in=kenmerken[i : i + TEL_PER_KEER]
                ).update(status=BetalingStatus.GEWEIGERD, statusreden=reden_tekst(code)[:140])
        al_verwerkt = len(weigeren) - geweigerd
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="betaalbatch",
            object_id=batch.pk,
            doel=DOEL,
            details={
                "statusrapport": rapport.message_id,
                "geweigerd": geweigerd,
                "geaccepteerd": geaccepteerd,
                "onbekend": len(onbekend),
            },
        )
    return Verwerking(
        batch=batch,
        geweigerd=geweigerd,
        geaccepteerd=geaccepteerd,
        in_behandeling=in_behandeling,
        al_verwerkt=al_verwerkt,
        onbekende_kenmerken=tuple(onbekend),
    )
