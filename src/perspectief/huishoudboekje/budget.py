"""What a household has and what it can spend: balance, open payments, reservations for
coming fixed costs, buffer and leefgeld (``overzicht``), and the monthly overview per
rubriek (``maandoverzicht``).

Leefgeld is not "just another payment" (research/huishoudboekje.md §6): it is what is
left of the household's own money once everything already on its way out, every fixed
cost that falls before the next expected income, and the buffer are set aside, spread
evenly over the leefgeld terms until that income (docs/huishoudboekje.md, "Budget and
leefgeld"). "That income" is the household's next *main* income (``_volgend_inkomen``): a
small income in between, such as zorgtoeslag on the 20th, does not cut the period short.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Case, DecimalField, F, Q, Sum, When
from django.db.models.functions import TruncMonth

from .constants import (
    BETALING_ACTIEF,
    BetalingSoort,
    BetalingStatus,
    Frequentie,
    JournaalSoort,
    Richting,
)
from .models import Afspraak, Betaling, Deelname, Mutatie, Rekening
from .schema import afspraak_termijnen, leefgeld_termijnen

__all__ = ["Budget", "MaandRij", "Reservering", "maandoverzicht", "overzicht", "overzichten"]

NUL = Decimal("0.00")
CENT = Decimal("0.01")
EURO = Decimal("1")
# Payments that have left (or are leaving) the ledger's view but not the bank account yet:
# their money is no longer free, while the statement line that books them has not come.
OPEN_BETALING = (BetalingStatus.GEPLAND, BetalingStatus.IN_BATCH, BetalingStatus.VERZONDEN)
# Every leefgeld schedule has a term within 31 days (schema.volgende_leefgeld_termijn).
LEEFGELD_ZOEKEN = timedelta(days=62)
# Every income schedule (up to yearly) has a term within a year.
INKOMEN_ZOEKEN = timedelta(days=366)
# An income afspraak is a main income when it brings in at least this share of the
# household's regular income (``_hoofdinkomens``). A third: two incomes of about the same
# size both count, while toeslagen and other side incomes (each usually well below a
# third) do not cut the period the money has to last.
HOOFDINKOMEN_AANDEEL = Fraction(1, 3)
# Terms per year of each schedule, to compare incomes paid on different schedules. A
# one-off income is not a regular income (0): it is never a main income next to one.
TERMIJNEN_PER_JAAR = {
    Frequentie.WEEK: 52,
    Frequentie.MAAND: 12,
    Frequentie.KWARTAAL: 4,
    Frequentie.JAAR: 1,
}


class Reservering(NamedTuple):
    """One coming term of a fixed cost that the municipality will pay."""

    afspraak: Afspraak
    termijn: date
    bedrag: Decimal


@dataclass(frozen=True)
class Budget:
    """The budget of one deelname on ``peildatum``. Amounts in euros, two decimals.

    - ``tegoed``: the household's money on the tussenrekening (its ledger balance).
    - ``open_betalingen``: payments planned, in a batch or sent, not yet on a statement.
    - ``reserveringen``: fixed-cost terms from ``peildatum`` up to and including
      ``reserveren_tot`` without an active payment. ``reserveren_tot`` is the next main
      income date (``volgend_inkomen_datum``; without one, the first day of the month
      after the next leefgeld term), not after the participation's einddatum.
    - ``buffer``: kept aside always.
    - ``beschikbaar``: tegoed − open_betalingen − reserved − buffer (can be negative).
    - ``volgende_leefgeld_datum``: the first leefgeld term from ``peildatum`` that has no
      payment yet; None after the participation ends.
    - ``volgend_inkomen_datum``: the first term after ``peildatum`` of the household's
      main income afspraken (within a year; ``_volgend_inkomen``), so smaller incomes
      in between are not it; None when no income afspraak has a term ahead.
    - ``leefgeld_termijnen_tot_inkomen``: the leefgeld terms without a payment from
      ``volgende_leefgeld_datum`` up to (not including) the next main income date, at
      least 1; 0 when there is no next leefgeld term.
    - ``leefgeld_bedrag``: what the next leefgeld can be: ``beschikbaar`` divided by
      ``leefgeld_termijnen_tot_inkomen``, in whole euros rounded down, never negative.
    """

    tegoed: Decimal
    open_betalingen: Decimal
    reserveringen: tuple[Reservering, ...]
    buffer: Decimal
    beschikbaar: Decimal
    volgende_leefgeld_datum: date | None
    leefgeld_bedrag: Decimal
    peildatum: date | None = None
    reserveren_tot: date | None = None
    volgend_inkomen_datum: date | None = None
    leefgeld_termijnen_tot_inkomen: int = 0

    @property
    def gereserveerd(self) -> Decimal:
        """The sum of the reservations."""
        return sum((reservering.bedrag for reservering in self.reserveringen), NUL)


def _centen(som) -> Decimal:
    """A database sum as an exact amount (SQLite adds decimals as floats)."""
    return NUL if som is None else Decimal(som).quantize(CENT)


def _tegoed(deelname: Deelname) -> tuple[int | None, Decimal]:
    rij = Rekening.objects.filter(deelname=deelname).values_list("pk", "saldo").first()
    return (None, NUL) if rij is None else (rij[0], -rij[1])


def _eerste_van_volgende_maand(dag: date) -> date:
    return date(dag.year + dag.month // 12, dag.month % 12 + 1, 1)


def _per_jaar(afspraak: Afspraak) -> Decimal:
    """What an income afspraak brings in per year (a one-off income: 0)."""
    return afspraak.bedrag * TERMIJNEN_PER_JAAR.get(afspraak.frequentie, 0)


def _hoofdinkomens(inkomsten: list[Afspraak], peildatum: date) -> list[Afspraak]:
    """The main incomes among these income afspraken (all with a term ahead): those that
    bring in at least ``HOOFDINKOMEN_AANDEEL`` of the household's regular income, and
    always the largest, so a household with only small incomes has one too.

    The regular income is the sum per year of the incomes that have started on
    ``peildatum``; an income that starts later is compared with it too, so a new job
    from September is a main income, but does not make the bijstand paid until then a
    small one. Only when none has started yet are the coming incomes compared among
    themselves."""
    per_jaar = {afspraak.pk: _per_jaar(afspraak) for afspraak in inkomsten}
    lopend = [per_jaar[a.pk] for a in inkomsten if a.geldig_vanaf <= peildatum] or list(per_jaar.values())
    grootste = max(lopend, default=NUL)
    drempel = HOOFDINKOMEN_AANDEEL * Fraction(sum(lopend, NUL))
    return [
        afspraak
        for afspraak in inkomsten
        if per_jaar[afspraak.pk] >= grootste or Fraction(per_jaar[afspraak.pk]) >= drempel
    ]


def _volgend_inkomen(inkomsten: list[Afspraak], peildatum: date) -> date | None:
    """The first term after ``peildatum`` (within a year) of the household's main income.

    The money on the account has to last until the next income that can carry the
    household, not until the next small one: with bijstand on the 1st and zorgtoeslag on
    the 20th, the period runs from the 1st to the next 1st. Otherwise on the 1st all
    free money would be shared by the leefgeld terms until the 20th, and the fixed
    costs of the 20th to the 1st would not be kept aside. A smaller income is not counted
    on before it comes in (as any income); once it is in, the next budget has more to
    share over the terms left. Two incomes of about the same size (the 1st and the 15th)
    are both main incomes and still split the month. Incomes without a term in the
    coming year (ended, or one-off in the past) do not count at all."""
    van, tot = peildatum + timedelta(days=1), peildatum + INKOMEN_ZOEKEN
    eerste = {
        afspraak.pk: termijnen[0]
        for afspraak in inkomsten
        if (termijnen := afspraak_termijnen(afspraak, van, tot))
    }
    komend = [afspraak for afspraak in inkomsten if afspraak.pk in eerste]
    hoofd = _hoofdinkomens(komend, peildatum)
    return min((eerste[afspraak.pk] for afspraak in hoofd), default=None)


def overzicht(*, deelname: Deelname, peildatum: date) -> Budget:
    """The budget of ``deelname`` on ``peildatum``: ``overzichten`` for one household
    (one code path, so a single budget and a bulk run can never disagree). Three small
    queries: the ledger balance, the afspraken, and the active payments."""
    return overzichten(deelnames=[deelname], peildatum=peildatum)[deelname.pk]


# Households per round of queries: SQLite allows 999 variables per statement in older
# builds, so stay below it.
PER_KEER = 900


class _Betaald(NamedTuple):
    afspraak_id: int | None
    soort: str
    status: str
    termijn: date
    bedrag: Decimal


def overzichten(*, deelnames: Iterable[Deelname], peildatum: date) -> dict[int, Budget]:
    """The budget on ``peildatum`` of every one of ``deelnames``, by deelname id: the same
    ``Budget`` as ``overzicht`` gives for each, in three queries per 900 households (the
    ledger balances, the afspraken, the active payments), then computed in Python.

    Payments are read from their own table by deelname id, without a join (see
    ``betalingen_plannen`` on PostgreSQL's plans after mass status changes)."""
    alle = {deelname.pk: deelname for deelname in deelnames}
    ids = sorted(alle)
    tegoed: dict[int, Decimal] = {}
    afspraken: dict[int, list[Afspraak]] = {}
    betaald: dict[int, list[_Betaald]] = {}
    for i in range(0, len(ids), PER_KEER):
        deel = ids[i : i + PER_KEER]
        for deelname_id, saldo in Rekening.objects.filter(deelname_id__in=deel).values_list("deelname_id", "saldo"):
            tegoed[deelname_id] = -saldo
        for afspraak in (
            Afspraak.objects.filter(deelname_id__in=deel)
            .filter(Q(richting=Richting.INKOMEN) | Q(richting=Richting.UITGAVE, betalen=True))
            .filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=peildatum))
            .order_by("pk")
        ):
            afspraken.setdefault(afspraak.deelname_id, []).append(afspraak)
        # Open payments (any term) and the active payments from peildatum on: the first
        # are summed, the second occupy leefgeld and fixed-cost terms.
        for deelname_id, *rij in (
            Betaling.objects.filter(deelname_id__in=deel, status__in=BETALING_ACTIEF)
            .filter(Q(status__in=OPEN_BETALING) | Q(termijn__gte=peildatum))
            .values_list("deelname_id", "afspraak_id", "soort", "status", "termijn", "bedrag")
        ):
            betaald.setdefault(deelname_id, []).append(_Betaald(*rij))
    return {
        pk: _budget(
            deelname,
            peildatum,
            tegoed=tegoed.get(pk, NUL),
            afspraken=afspraken.get(pk, []),
            betalingen=betaald.get(pk, []),
        )
        for pk, deelname in alle.items()
    }


def _budget(
    deelname: Deelname, peildatum: date, *, tegoed: Decimal, afspraken: list[Afspraak], betalingen: list[_Betaald]
) -> Budget:
    """One household's budget from what ``overzichten`` read (no queries)."""
    open_betalingen = sum(
        (Decimal(b.bedrag) for b in betalingen if b.status in OPEN_BETALING), NUL
    ).quantize(CENT)
    lasten = [afspraak for afspraak in afspraken if afspraak.richting == Richting.UITGAVE]
    volgend_inkomen = _volgend_inkomen(
        [afspraak for afspraak in afspraken if afspraak.richting == Richting.INKOMEN], peildatum
    )

    # The leefgeld terms that have no active payment yet, far enough ahead to count them
    # up to the next main income.
    zoeken_tot = max(peildatum, deelname.startdatum) + LEEFGELD_ZOEKEN
    if volgend_inkomen is not None:
        zoeken_tot = max(zoeken_tot, volgend_inkomen)
    leefgeld_betaald = {
        b.termijn for b in betalingen if b.soort == BetalingSoort.LEEFGELD and peildatum <= b.termijn <= zoeken_tot
    }
    komend = [
        termijn for termijn in leefgeld_termijnen(deelname, peildatum, zoeken_tot) if termijn not in leefgeld_betaald
    ]
    volgende = komend[0] if komend else None

    # The money has to last until the next main income: every fixed cost due up to and
    # including that day is reserved, and what is free is shared evenly by the leefgeld
    # terms before it. Without an income afspraak we assume income by the first of the
    # month after the next leefgeld term (most income is monthly): weekly leefgeld is
    # spread over the rest of that month, monthly leefgeld is one term. Nothing after
    # the einddatum is reserved (leefgeld_termijnen stops there too).
    if volgend_inkomen is not None:
        inkomen_datum = volgend_inkomen
    else:
        inkomen_datum = _eerste_van_volgende_maand(volgende or peildatum)
    reserveren_tot = inkomen_datum
    if deelname.einddatum is not None:
        reserveren_tot = min(reserveren_tot, deelname.einddatum)
    termijnen_tot_inkomen = max(1, sum(1 for termijn in komend if termijn < inkomen_datum)) if volgende else 0

    reserveringen: list[Reservering] = []
    if reserveren_tot >= peildatum and lasten:
        bezet = {
            (b.afspraak_id, b.termijn)
            for b in betalingen
            if b.soort == BetalingSoort.VASTE_LAST and peildatum <= b.termijn <= reserveren_tot
        }
        for afspraak in lasten:
            for termijn in afspraak_termijnen(afspraak, peildatum, reserveren_tot):
                if (afspraak.pk, termijn) not in bezet:
                    reserveringen.append(Reservering(afspraak, termijn, afspraak.bedrag))
        reserveringen.sort(key=lambda reservering: (reservering.termijn, reservering.afspraak.pk))

    buffer = Decimal(deelname.buffer).quantize(CENT)
    gereserveerd = sum((reservering.bedrag for reservering in reserveringen), NUL)
    beschikbaar = tegoed - open_betalingen - gereserveerd - buffer
    # Spread evenly, so the first leefgeld after the income does not take it all and the
    # weeks after it get nothing. Paid in whole euros, rounded down: a resident plans
    # with round amounts, and rounding down never pays out a cent more than is free — the
    # cents stay on the account and count again at the next term (the last term before
    # the income shares by 1, so it gets them). No leefgeld without a term (after the
    # einddatum) and never a negative amount.
    if volgende is None or beschikbaar <= 0:
        leefgeld = NUL
    else:
        leefgeld = (beschikbaar / termijnen_tot_inkomen).quantize(EURO, rounding=ROUND_FLOOR).quantize(CENT)
    return Budget(
        tegoed=tegoed,
        open_betalingen=open_betalingen,
        reserveringen=tuple(reserveringen),
        buffer=buffer,
        beschikbaar=beschikbaar,
        volgende_leefgeld_datum=volgende,
        leefgeld_bedrag=leefgeld,
        peildatum=peildatum,
        reserveren_tot=reserveren_tot,
        volgend_inkomen_datum=volgend_inkomen,
        leefgeld_termijnen_tot_inkomen=termijnen_tot_inkomen,
    )


# --- monthly overview ---------------------------------------------------------------------


@dataclass(frozen=True)
class MaandRij:
    """One month of a household's money, seen from the household.

    ``per_rubriek`` is the net amount per rubriek (money in positive, out negative; ""
    for bookings without a rubriek), ``in_per_rubriek`` and ``uit_per_rubriek`` the two
    sides (both positive). A reversal (soort ONGEDAAN) lowers the side of what it
    reverses, so an income undone later is not counted as an expense."""

    maand: date  # the first day of the month
    begin_tegoed: Decimal
    eind_tegoed: Decimal
    inkomen: Decimal
    uitgaven: Decimal
    per_rubriek: dict[str, Decimal] = field(default_factory=dict)
    in_per_rubriek: dict[str, Decimal] = field(default_factory=dict)
    uit_per_rubriek: dict[str, Decimal] = field(default_factory=dict)


def _maand_terug(maand: date, aantal: int) -> date:
    index = maand.year * 12 + maand.month - 1 - aantal
    return date(index // 12, index % 12 + 1, 1)


def maandoverzicht(*, deelname: Deelname, tot: date, maanden: int = 6) -> list[MaandRij]:
    """The last ``maanden`` months up to and including the month of ``tot`` (mutations
    dated after ``tot`` are left out), oldest first. Two aggregate queries on the
    household's ledger account: the balance before the first month, and the sums per
    month, rubriek and side."""
    if maanden < 1:
        return []
    laatste = tot.replace(day=1)
    eerste = _maand_terug(laatste, maanden - 1)
    rekening_id, _ = _tegoed(deelname)
    leeg = [
        MaandRij(maand=_maand_terug(laatste, maanden - 1 - i), begin_tegoed=NUL, eind_tegoed=NUL, inkomen=NUL, uitgaven=NUL)
        for i in range(maanden)
    ]
    if rekening_id is None:
        return leeg

    mutaties = Mutatie.objects.filter(rekening_id=rekening_id)
    begin = -_centen(mutaties.filter(datum__lt=eerste).aggregate(som=Sum("bedrag"))["som"])
    bedrag = DecimalField(max_digits=16, decimal_places=2)
    terug = Q(journaalpost__soort=JournaalSoort.ONGEDAAN)
    # The household's money comes in as a credit (negative) and goes out as a debit.
    erin = Case(
        When(~terug & Q(bedrag__lt=0), then=-F("bedrag")),
        When(terug & Q(bedrag__gt=0), then=-F("bedrag")),
        default=None,
        output_field=bedrag,
    )
    eruit = Case(
        When(~terug & Q(bedrag__gt=0), then=F("bedrag")),
        When(terug & Q(bedrag__lt=0), then=-F("bedrag")),
        default=None,
        output_field=bedrag,
    )
    rijen = (
        mutaties.filter(datum__gte=eerste, datum__lte=tot)
        .annotate(maand=TruncMonth("datum"))
        .values("maand", "rubriek")
        .annotate(erin=Sum(erin), eruit=Sum(eruit))
        .order_by("maand", "rubriek")
    )
    per_maand: dict[date, dict[str, tuple[Decimal, Decimal]]] = {}
    for rij in rijen:
        maand = rij["maand"]
        if isinstance(maand, datetime):
            maand = maand.date()
        per_maand.setdefault(maand, {})[rij["rubriek"]] = (_centen(rij["erin"]), _centen(rij["eruit"]))

    uit: list[MaandRij] = []
    tegoed = begin
    for lege in leeg:
        sommen = per_maand.get(lege.maand, {})
        inkomen = sum((erin for erin, _ in sommen.values()), NUL)
        uitgaven = sum((eruit for _, eruit in sommen.values()), NUL)
        eind = tegoed + inkomen - uitgaven
        uit.append(
            MaandRij(
                maand=lege.maand,
                begin_tegoed=tegoed,
                eind_tegoed=eind,
                inkomen=inkomen,
                uitgaven=uitgaven,
                per_rubriek={rubriek: erin - eruit for rubriek, (erin, eruit) in sommen.items()},
                in_per_rubriek={rubriek: erin for rubriek, (erin, _) in sommen.items() if erin},
                uit_per_rubriek={rubriek: eruit for rubriek, (_, eruit) in sommen.items() if eruit},
            )
        )
        tegoed = eind
    return uit
