"""Pure date logic: the terms (termijnen) of an afspraak and of a household's leefgeld.

No database queries here: the functions take the values of an ``Afspraak`` or a
``Deelname`` and a date range and return the dates in it, sorted and without doubles.

Recurrence comes from python-dateutil's ``rrule`` (RFC 5545), with one deliberate rule on
top: a monthly day 29, 30 or 31 falls on the last day of a shorter month. A plain
``BYMONTHDAY=31`` skips February, April, June, September and November altogether, which
is what Utrecht's Huishoudboekje does (research/huishoudboekje.md §6): rent due "on the
31st" is then not paid at all in those months. Here the set of candidate days 28..N is
taken per month and the last one that exists is kept (``BYSETPOS=-1``), so every month
has exactly one term.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil import rrule

from .constants import Frequentie, LeefgeldFrequentie

__all__ = [
    "afspraak_termijnen",
    "leefgeld_termijnen",
    "termijnen",
    "uitgesloten_datums",
    "volgende_leefgeld_termijn",
]


def termijnen(
    *,
    frequentie: str,
    dag: int,
    maand: int,
    geldig_vanaf: date,
    geldig_tot: date | None,
    uitgesloten: Iterable[date] = (),
    van: date,
    tot: date,
) -> list[date]:
    """The terms of a schedule in ``van``..``tot`` (both inclusive), sorted and unique.

    - EENMALIG: ``geldig_vanaf`` (``dag`` and ``maand`` are unused).
    - WEEK: every week on weekday ``dag`` (0 = Monday .. 6 = Sunday).
    - MAAND: every month on day ``dag`` (1..31); 29-31 fall on the last day of a shorter
      month.
    - KWARTAAL: every three months on day ``dag``, starting from month ``maand`` (1..12):
      ``maand`` = 2 gives February, May, August and November.
    - JAAR: every year on day ``dag`` of month ``maand`` (29 February falls on 28 February
      in other years).

    Terms are clipped to the validity ``geldig_vanaf``..``geldig_tot`` (open-ended when
    ``geldig_tot`` is None); dates in ``uitgesloten`` are left out. An impossible ``dag``
    or ``maand`` raises ``ValueError`` (the forms refuse those before they are stored).
    """
    _controleer(frequentie, dag, maand)
    begin = max(van, geldig_vanaf)
    einde = tot if geldig_tot is None else min(tot, geldig_tot)
    if begin > einde:
        return []
    if frequentie == Frequentie.EENMALIG:
        reeks: tuple[date, ...] = (geldig_vanaf,) if begin == geldig_vanaf else ()
    else:
        reeks = _reeks(str(frequentie), dag, maand, begin, einde)
    overslaan = set(uitgesloten)
    if not overslaan:
        return list(reeks)
    return [d for d in reeks if d not in overslaan]


def afspraak_termijnen(afspraak, van: date, tot: date) -> list[date]:
    """The terms of an ``Afspraak`` in ``van``..``tot`` (inclusive)."""
    return termijnen(
        frequentie=afspraak.frequentie,
        dag=afspraak.dag,
        maand=afspraak.maand,
        geldig_vanaf=afspraak.geldig_vanaf,
        geldig_tot=afspraak.geldig_tot,
        uitgesloten=uitgesloten_datums(afspraak.uitgesloten_datums),
        van=van,
        tot=tot,
    )


def leefgeld_termijnen(deelname, van: date, tot: date) -> list[date]:
    """The leefgeld terms of a ``Deelname`` in ``van``..``tot`` (inclusive), within its
    participation (startdatum..einddatum). WEEK: weekday ``leefgeld_dag`` (0 = Monday);
    MAAND: day ``leefgeld_dag`` of the month (29-31: the last day of shorter months)."""
    frequentie = (
        Frequentie.WEEK if deelname.leefgeld_frequentie == LeefgeldFrequentie.WEEK else Frequentie.MAAND
    )
    return termijnen(
        frequentie=frequentie,
        dag=deelname.leefgeld_dag,
        maand=1,
        geldig_vanaf=deelname.startdatum,
        geldig_tot=deelname.einddatum,
        van=van,
        tot=tot,
    )


def volgende_leefgeld_termijn(deelname, vanaf: date) -> date | None:
    """The first leefgeld term on or after ``vanaf``; None when the participation has
    ended before it. Every schedule has a term within 31 days."""
    gevonden = leefgeld_termijnen(deelname, vanaf, vanaf + timedelta(days=31))
    return gevonden[0] if gevonden else None


def uitgesloten_datums(waarden: Iterable[str | date] | None) -> frozenset[date]:
    """``Afspraak.uitgesloten_datums`` (ISO strings in JSON) as dates."""
    uit: set[date] = set()
    for waarde in waarden or ():
        uit.add(waarde if isinstance(waarde, date) else date.fromisoformat(str(waarde)))
    return frozenset(uit)


def _controleer(frequentie: str, dag: int, maand: int) -> None:
    if frequentie == Frequentie.EENMALIG:
        return
    if frequentie == Frequentie.WEEK:
        if not 0 <= dag <= 6:
            raise ValueError(f"weekday must be 0..6, got {dag}")
        return
    if frequentie not in (Frequentie.MAAND, Frequentie.KWARTAAL, Frequentie.JAAR):
        raise ValueError(f"unknown frequentie {frequentie!r}")
    if not 1 <= dag <= 31:
        raise ValueError(f"day of the month must be 1..31, got {dag}")
    if frequentie != Frequentie.MAAND and not 1 <= maand <= 12:
        raise ValueError(f"month must be 1..12, got {maand}")


@lru_cache(maxsize=4096)
def _reeks(frequentie: str, dag: int, maand: int, begin: date, einde: date) -> tuple[date, ...]:
    """The dates of a recurring schedule in begin..einde. Cached: planning 10,000
    payments asks for the same few schedules over the same range again and again."""
    start = datetime(begin.year, begin.month, begin.day)
    until = datetime(einde.year, einde.month, einde.day)
    if frequentie == Frequentie.WEEK:
        regel = rrule.rrule(rrule.WEEKLY, byweekday=dag, dtstart=start, until=until)
    else:
        if frequentie == Frequentie.MAAND:
            maanden = None
        elif frequentie == Frequentie.KWARTAAL:
            maanden = tuple(sorted((maand - 1 + 3 * k) % 12 + 1 for k in range(4)))
        else:
            maanden = (maand,)
        # Days 28..dag, last existing one per month: day 31 is 30 April and 28 February.
        dagen = tuple(range(28, dag + 1)) if dag > 28 else (dag,)
        regel = rrule.rrule(
            rrule.MONTHLY,
            bymonth=maanden,
            bymonthday=dagen,
            bysetpos=-1 if len(dagen) > 1 else None,
            dtstart=start,
            until=until,
        )
    return tuple(moment.date() for moment in regel)
