"""Alarms on the budgetbeheerder's work list (docs/huishoudboekje.md, "Signals").

``signalen_bijwerken`` looks at every afspraak with ``alarm`` and at every household
balance, and creates a ``Signaal`` for:

- GEEN_INKOMEN: an expected income whose window (term + ``marge_dagen``) has passed
  without a booked bank line on that afspraak within term +/- ``marge_dagen``. Only
  once the statements of the account reach past that window (the latest imported
  booking date), so a statement that has not been imported yet raises no false alarm.
  ``verschil`` is minus the expected amount.
- AFWIJKEND_BEDRAG: the one booked income line of a term outside ``bedrag`` +/-
  ``marge_bedrag`` (both ends count as correct; Utrecht's acceptance cases
  10 +/- 0.99: 9.00 and 11.00 are signalled, 9.01, 9.02, 10.98 and 10.99 are not).
  ``verschil`` = received - expected.
- DUBBELE_BETALING: more than one booked line in one term window, for income and for
  expenses (paid twice). ``verschil`` = total - expected.
- NEGATIEF_SALDO: a household's tegoed below zero; one per household per month
  (``periode`` = the first day of the peildatum's month), ``verschil`` = the tegoed.

The bank lines involved are linked to the signal. A line belongs to the term nearest to
its booking date (when two windows overlap it counts once). Signals are unique per
household, afspraak, kind and period (database constraints), so running this again,
or at the same moment, creates nothing new; a handled signal stays handled.

It reads afspraken, booked lines, existing signals and balances once per 900 households
(single-table queries by deelname id) and the latest booking date once per account; the
terms come from ``schema`` (cached per schedule). Nothing is queried per afspraak or term.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record

from .constants import DOEL, RekeningSoort, Richting, SignaalSoort, SignaalStatus, TransactieStatus
from .models import Afspraak, Banktransactie, Deelname, Rekening, Signaal
from .schema import termijnen, uitgesloten_datums

__all__ = ["TERUGKIJKEN", "signaal_afhandelen", "signalen_bijwerken"]

logger = logging.getLogger(__name__)

# How far back a run looks for terms. A daily run needs a few days; two months lets a run
# catch up after the job or the statement import stood still for a while.
TERUGKIJKEN = timedelta(days=62)
# Terms this far before the period are computed too, so a line that belongs to an earlier
# term is not taken for a later one.
VOORLOOP = timedelta(days=40)
BULK = 2000
# Deelname ids per query (SQLite allows 32766 variables; PostgreSQL makes it one array).
PER_QUERY = 900


@dataclass(frozen=True, slots=True)
class _Regel:
    pk: int
    boekdatum: date
    bedrag: Decimal


def signalen_bijwerken(*, peildatum: date, deelnames: Iterable[Deelname] | QuerySet | None = None) -> int:
    """Create the signals that are due on ``peildatum`` for ``deelnames`` (all
    participations running in the last two months when None); return how many are new."""
    begin = peildatum - TERUGKIJKEN
    # Every query below is on one table, by deelname ids in chunks: no joins whose plan
    # could go wrong on statistics from before a large import (see betalingen_plannen).
    delen = _in_delen(_scope(deelnames, begin=begin, peildatum=peildatum))

    afspraken = {
        a["pk"]: a
        for deel in delen
        for a in Afspraak.objects.filter(
            deelname_id__in=deel, alarm=True, geldig_vanaf__lte=peildatum + timedelta(days=31)
        )
        .filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=begin - VOORLOOP))
        .values(
            "pk", "deelname_id", "richting", "bedrag", "marge_bedrag", "marge_dagen", "frequentie", "dag", "maand",
            "uitgesloten_datums", "geldig_vanaf", "geldig_tot", "deelname__startdatum", "deelname__einddatum",
            "deelname__tussenrekening_id",
        )
    }
    regels: dict[int, list[_Regel]] = defaultdict(list)
    for deel in delen:
        for pk, afspraak_id, richting, boekdatum, bedrag in (
            Banktransactie.objects.filter(
                deelname_id__in=deel,
                afspraak__isnull=False,
                status=TransactieStatus.GEBOEKT,
                boekdatum__gte=begin - VOORLOOP - timedelta(days=31),
                boekdatum__lte=peildatum,
            )
            .values_list("pk", "afspraak_id", "richting", "boekdatum", "bedrag")
            .order_by("boekdatum", "pk")
        ):
            afspraak = afspraken.get(afspraak_id)
            # Money back on an expense (a return) or out on an income is not the afspraak's line.
            if afspraak is not None and richting == afspraak["richting"]:
                regels[afspraak_id].append(_Regel(pk, boekdatum, bedrag))
    # The latest booking date imported per account (a few accounts: one query each).
    ingelezen_tot = {
        rekening_id: Banktransactie.objects.filter(tussenrekening_id=rekening_id).aggregate(m=Max("boekdatum"))["m"]
        for rekening_id in {a["deelname__tussenrekening_id"] for a in afspraken.values()}
    }

    nieuw: dict[tuple, tuple[Signaal, list[int]]] = {}
    for afspraak in afspraken.values():
        for signaal, transacties in _afspraak_signalen(
            afspraak, regels.get(afspraak["pk"], []), begin=begin, peildatum=peildatum,
            ingelezen_tot=ingelezen_tot.get(afspraak["deelname__tussenrekening_id"]),
        ):
            nieuw[(signaal.deelname_id, signaal.afspraak_id, signaal.soort, signaal.periode)] = (signaal, transacties)

    maand = peildatum.replace(day=1)
    for deel in delen:
        for deelname_id, saldo in Rekening.objects.filter(
            deelname_id__in=deel, soort=RekeningSoort.HUISHOUDEN, saldo__gt=0
        ).values_list("deelname_id", "saldo"):
            nieuw[(deelname_id, None, SignaalSoort.NEGATIEF_SALDO, maand)] = (
                Signaal(deelname_id=deelname_id, soort=SignaalSoort.NEGATIEF_SALDO, periode=maand, verschil=-saldo),
                [],
            )
    if not nieuw:
        return 0

    def opgeslagen() -> dict[tuple, int]:
        return {
            (d, a, soort, p): pk
            for deel in delen
            for pk, d, a, soort, p in Signaal.objects.filter(
                deelname_id__in=deel, periode__gte=begin - VOORLOOP
            ).values_list("pk", "deelname_id", "afspraak_id", "soort", "periode")
        }

    bestaand = opgeslagen()
    nieuw = {sleutel: waarde for sleutel, waarde in nieuw.items() if sleutel not in bestaand}
    if not nieuw:
        return 0
    with transaction.atomic():
        Signaal.objects.bulk_create([s for s, _t in nieuw.values()], batch_size=BULK, ignore_conflicts=True)
        # The ids of what we just stored (ignore_conflicts gives none back).
        ids = {sleutel: pk for sleutel, pk in opgeslagen().items() if sleutel in nieuw}
        koppelingen = [
            Signaal.transacties.through(signaal_id=ids[sleutel], banktransactie_id=t)
            for sleutel, (_s, transacties) in nieuw.items()
            if sleutel in ids
            for t in transacties
        ]
        Signaal.transacties.through.objects.bulk_create(koppelingen, batch_size=BULK, ignore_conflicts=True)
    return len(ids)


def _scope(deelnames, *, begin: date, peildatum: date) -> list[int]:
    if deelnames is None:
        deelnames = Deelname.objects.filter(startdatum__lte=peildatum).filter(
            Q(einddatum__isnull=True) | Q(einddatum__gte=begin)
        )
    if isinstance(deelnames, QuerySet):
        return sorted(deelnames.values_list("pk", flat=True))
    return sorted({d.pk if isinstance(d, Deelname) else d for d in deelnames})


def _in_delen(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + PER_QUERY] for i in range(0, len(ids), PER_QUERY)]


def _afspraak_signalen(afspraak: dict, regels: list[_Regel], *, begin: date, peildatum: date,
                       ingelezen_tot: date | None):
    """The signals of one afspraak (as ``(Signaal, [banktransactie ids])``)."""
    marge = timedelta(days=afspraak["marge_dagen"])
    van = max(afspraak["deelname__startdatum"], begin - VOORLOOP)
    tot = peildatum + marge
    if afspraak["deelname__einddatum"] is not None:
        tot = min(tot, afspraak["deelname__einddatum"])
    try:
        alle = termijnen(
            frequentie=afspraak["frequentie"],
            dag=afspraak["dag"],
            maand=afspraak["maand"],
            geldig_vanaf=afspraak["geldig_vanaf"],
            geldig_tot=afspraak["geldig_tot"],
            uitgesloten=uitgesloten_datums(afspraak["uitgesloten_datums"]),
            van=van,
            tot=tot,
        )
    except ValueError:  # an impossible schedule (the forms refuse those): skip, by id only
        logger.warning("huishoudboekje: impossible schedule on Afspraak %s, no signals", afspraak["pk"])
        return
    if not alle:
        return
    per_termijn: dict[date, list[_Regel]] = defaultdict(list)
    for regel in regels:
        termijn = _dichtstbij(alle, regel.boekdatum)
        if abs(regel.boekdatum - termijn) <= marge:
            per_termijn[termijn].append(regel)

    inkomen = afspraak["richting"] == Richting.INKOMEN
    verwacht = afspraak["bedrag"]
    laagste, hoogste = verwacht - afspraak["marge_bedrag"], verwacht + afspraak["marge_bedrag"]
    gemeen = {"deelname_id": afspraak["deelname_id"], "afspraak_id": afspraak["pk"]}
    for termijn in alle:
        if termijn < begin or termijn - marge > peildatum:
            continue  # before this run's period, or its window has not started
        gevonden = per_termijn.get(termijn, [])
        if len(gevonden) > 1:
            totaal = sum((r.bedrag for r in gevonden), Decimal("0.00"))
            yield Signaal(soort=SignaalSoort.DUBBELE_BETALING, periode=termijn, verschil=totaal - verwacht,
                          **gemeen), [r.pk for r in gevonden]
        elif not inkomen:
            continue
        elif len(gevonden) == 1:
            regel = gevonden[0]
            if not laagste <= regel.bedrag <= hoogste:
                yield Signaal(soort=SignaalSoort.AFWIJKEND_BEDRAG, periode=termijn, verschil=regel.bedrag - verwacht,
                              **gemeen), [regel.pk]
        elif termijn + marge < peildatum and ingelezen_tot is not None and ingelezen_tot > termijn + marge:
            yield Signaal(soort=SignaalSoort.GEEN_INKOMEN, periode=termijn, verschil=-verwacht, **gemeen), []


def _dichtstbij(termijnen_: list[date], dag: date) -> date:
    i = bisect_left(termijnen_, dag)
    if i == 0:
        return termijnen_[0]
    if i == len(termijnen_):
        return termijnen_[-1]
    voor, na = termijnen_[i - 1], termijnen_[i]
    return voor if dag - voor <= na - dag else na


def signaal_afhandelen(*, actor, signaal: Signaal, toelichting: str) -> Signaal:
    """Mark an open signal as handled, with what was done about it. The explanation is
    free text (it may name people), so the audit log keeps only its length."""
    toelichting = (toelichting or "").strip()
    if not toelichting:
        raise ValidationError(_("Schrijf kort op wat u met dit signaal gedaan heeft."), code="toelichting")
    with transaction.atomic():
        veranderd = Signaal.objects.filter(pk=signaal.pk, status=SignaalStatus.OPEN).update(
            status=SignaalStatus.AFGEHANDELD,
            afgehandeld_door=actor,
            afgehandeld_op=timezone.now(),
            toelichting=toelichting,
        )
        if not veranderd:
            raise ValidationError(_("Dit signaal is al afgehandeld."), code="status")
        signaal.refresh_from_db()
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="signaal",
            object_id=signaal.pk,
            huishouden_id=signaal.deelname.huishouden_id,
            doel=DOEL,
            details={
                "status": SignaalStatus.AFGEHANDELD,
                "soort": signaal.soort,
                "toelichting_lengte": len(toelichting),
            },
        )
    return signaal
