"""The terms (termijnen) of afspraken and of leefgeld: golden cases and properties."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.huishoudboekje.constants import Frequentie, LeefgeldFrequentie
from perspectief.huishoudboekje.schema import (
    afspraak_termijnen,
    leefgeld_termijnen,
    termijnen,
    uitgesloten_datums,
    volgende_leefgeld_termijn,
)


def reeks(frequentie, *, dag=1, maand=1, vanaf=date(2026, 1, 1), geldig_tot=None, uitgesloten=(), van, tot):
    return termijnen(
        frequentie=frequentie,
        dag=dag,
        maand=maand,
        geldig_vanaf=vanaf,
        geldig_tot=geldig_tot,
        uitgesloten=uitgesloten,
        van=van,
        tot=tot,
    )


# --- golden cases (dates checked against a calendar: 2027 is not a leap year, 2028 is) ---


def test_day_31_falls_on_the_last_day_of_every_shorter_month():
    # Utrecht's schedule skips these months (research/huishoudboekje.md §6); we never do.
    assert reeks(Frequentie.MAAND, dag=31, van=date(2027, 1, 1), tot=date(2027, 12, 31)) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
        date(2027, 6, 30),
        date(2027, 7, 31),
        date(2027, 8, 31),
        date(2027, 9, 30),
        date(2027, 10, 31),
        date(2027, 11, 30),
        date(2027, 12, 31),
    ]


@pytest.mark.parametrize(
    ("dag", "jaar", "verwacht"),
    [
        (31, 2027, date(2027, 2, 28)),
        (30, 2027, date(2027, 2, 28)),
        (29, 2027, date(2027, 2, 28)),
        (28, 2027, date(2027, 2, 28)),
        (31, 2028, date(2028, 2, 29)),
        (30, 2028, date(2028, 2, 29)),
        (29, 2028, date(2028, 2, 29)),
        (28, 2028, date(2028, 2, 28)),
    ],
)
def test_february(dag, jaar, verwacht):
    assert reeks(Frequentie.MAAND, dag=dag, van=date(jaar, 2, 1), tot=date(jaar, 2, 29 if jaar == 2028 else 28)) == [
        verwacht
    ]


def test_day_30_in_a_31_day_month_stays_on_the_30th():
    assert reeks(Frequentie.MAAND, dag=30, van=date(2027, 1, 1), tot=date(2027, 3, 31)) == [
        date(2027, 1, 30),
        date(2027, 2, 28),
        date(2027, 3, 30),
    ]


def test_weekly_on_wednesday():
    # November 2026: the 4th is a Wednesday (Utrecht's changelog 2.1.3 fixed "weekly on Wednesday").
    assert reeks(Frequentie.WEEK, dag=2, van=date(2026, 11, 1), tot=date(2026, 11, 30)) == [
        date(2026, 11, 4),
        date(2026, 11, 11),
        date(2026, 11, 18),
        date(2026, 11, 25),
    ]


def test_quarterly_starts_from_its_month_and_wraps_around_the_year():
    assert reeks(Frequentie.KWARTAAL, dag=15, maand=11, van=date(2027, 1, 1), tot=date(2027, 12, 31)) == [
        date(2027, 2, 15),
        date(2027, 5, 15),
        date(2027, 8, 15),
        date(2027, 11, 15),
    ]
    assert reeks(Frequentie.KWARTAAL, dag=31, maand=3, van=date(2027, 1, 1), tot=date(2027, 12, 31)) == [
        date(2027, 3, 31),
        date(2027, 6, 30),
        date(2027, 9, 30),
        date(2027, 12, 31),
    ]


def test_yearly_29_february_is_28_february_outside_leap_years():
    assert reeks(Frequentie.JAAR, dag=29, maand=2, van=date(2026, 1, 1), tot=date(2028, 12, 31)) == [
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_once_is_the_start_date_only_when_in_range():
    assert reeks(Frequentie.EENMALIG, vanaf=date(2026, 5, 12), van=date(2026, 5, 1), tot=date(2026, 5, 31)) == [
        date(2026, 5, 12)
    ]
    assert reeks(Frequentie.EENMALIG, vanaf=date(2026, 5, 12), van=date(2026, 5, 13), tot=date(2026, 5, 31)) == []
    assert (
        reeks(
            Frequentie.EENMALIG,
            vanaf=date(2026, 5, 12),
            uitgesloten=[date(2026, 5, 12)],
            van=date(2026, 5, 1),
            tot=date(2026, 5, 31),
        )
        == []
    )


def test_validity_and_excluded_dates():
    assert reeks(
        Frequentie.MAAND,
        dag=1,
        vanaf=date(2026, 2, 15),
        geldig_tot=date(2026, 6, 1),
        uitgesloten=[date(2026, 4, 1), date(2026, 4, 2)],
        van=date(2026, 1, 1),
        tot=date(2026, 12, 31),
    ) == [date(2026, 3, 1), date(2026, 5, 1), date(2026, 6, 1)]


def test_range_before_validity_is_empty():
    assert reeks(Frequentie.MAAND, vanaf=date(2026, 6, 1), van=date(2026, 1, 1), tot=date(2026, 5, 31)) == []
    assert reeks(Frequentie.MAAND, van=date(2026, 5, 31), tot=date(2026, 5, 1)) == []


@pytest.mark.parametrize(
    ("frequentie", "dag", "maand"),
    [
        (Frequentie.WEEK, 7, 1),
        (Frequentie.MAAND, 0, 1),
        (Frequentie.MAAND, 32, 1),
        (Frequentie.KWARTAAL, 1, 13),
        (Frequentie.JAAR, 1, 0),
        ("dagelijks", 1, 1),
    ],
)
def test_impossible_schedules_raise(frequentie, dag, maand):
    with pytest.raises(ValueError):
        reeks(frequentie, dag=dag, maand=maand, van=date(2026, 1, 1), tot=date(2026, 12, 31))


def test_afspraak_termijnen_reads_the_model_fields():
    afspraak = SimpleNamespace(
        frequentie=Frequentie.MAAND,
        dag=31,
        maand=1,
        geldig_vanaf=date(2026, 1, 1),
        geldig_tot=None,
        uitgesloten_datums=["2026-03-31"],
    )
    assert afspraak_termijnen(afspraak, date(2026, 2, 1), date(2026, 4, 30)) == [date(2026, 2, 28), date(2026, 4, 30)]


def test_uitgesloten_datums_parses_iso_strings():
    assert uitgesloten_datums(["2026-03-31", date(2026, 4, 1)]) == frozenset({date(2026, 3, 31), date(2026, 4, 1)})
    assert uitgesloten_datums(None) == frozenset()


def test_leefgeld_weekly_and_monthly_within_participation():
    wekelijks = SimpleNamespace(
        leefgeld_frequentie=LeefgeldFrequentie.WEEK,
        leefgeld_dag=4,  # Friday
        startdatum=date(2026, 11, 10),
        einddatum=date(2026, 11, 26),
    )
    assert leefgeld_termijnen(wekelijks, date(2026, 11, 1), date(2026, 11, 30)) == [
        date(2026, 11, 13),
        date(2026, 11, 20),
    ]
    maandelijks = SimpleNamespace(
        leefgeld_frequentie=LeefgeldFrequentie.MAAND, leefgeld_dag=31, startdatum=date(2026, 1, 1), einddatum=None
    )
    assert leefgeld_termijnen(maandelijks, date(2027, 2, 1), date(2027, 4, 30)) == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert volgende_leefgeld_termijn(maandelijks, date(2027, 3, 1)) == date(2027, 3, 31)
    assert volgende_leefgeld_termijn(wekelijks, date(2026, 11, 21)) is None


# --- properties ----------------------------------------------------------------------

datums = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def schema_en_bereik(draw):
    frequentie = draw(st.sampled_from(list(Frequentie)))
    dag = draw(st.integers(0, 6)) if frequentie == Frequentie.WEEK else draw(st.integers(1, 31))
    maand = draw(st.integers(1, 12))
    vanaf = draw(datums)
    geldig_tot = draw(st.none() | st.dates(min_value=vanaf, max_value=date(2036, 12, 31)))
    van = draw(datums)
    tot = van + timedelta(days=draw(st.integers(0, 800)))
    uitgesloten = draw(st.lists(datums, max_size=5))
    return {
        "frequentie": frequentie,
        "dag": dag,
        "maand": maand,
        "geldig_vanaf": vanaf,
        "geldig_tot": geldig_tot,
        "uitgesloten": uitgesloten,
        "van": van,
        "tot": tot,
    }


@settings(max_examples=300, deadline=None)
@given(schema_en_bereik())
def test_terms_are_sorted_unique_in_range_and_valid(kwargs):
    result = termijnen(**kwargs)
    assert result == sorted(set(result))
    for termijn in result:
        assert kwargs["van"] <= termijn <= kwargs["tot"]
        assert termijn >= kwargs["geldig_vanaf"]
        assert kwargs["geldig_tot"] is None or termijn <= kwargs["geldig_tot"]
        assert termijn not in kwargs["uitgesloten"]
        if kwargs["frequentie"] == Frequentie.WEEK:
            assert termijn.weekday() == kwargs["dag"]
        elif kwargs["frequentie"] != Frequentie.EENMALIG:
            assert termijn.day == min(kwargs["dag"], calendar.monthrange(termijn.year, termijn.month)[1])


@settings(max_examples=300, deadline=None)
@given(
    dag=st.integers(1, 31),
    van=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    maanden=st.integers(1, 36),
)
def test_monthly_gives_exactly_one_term_per_month_whatever_the_day(dag, van, maanden):
    begin = van.replace(day=1)
    eind_jaar, eind_maand = divmod(begin.month - 1 + maanden, 12)
    tot = date(begin.year + eind_jaar, eind_maand + 1, 1) - timedelta(days=1)
    result = reeks(Frequentie.MAAND, dag=dag, vanaf=date(2019, 1, 1), van=begin, tot=tot)
    assert len(result) == maanden
    assert len({(d.year, d.month) for d in result}) == maanden


@settings(max_examples=200, deadline=None)
@given(kwargs=schema_en_bereik(), splits=st.integers(0, 800))
def test_splitting_the_range_changes_nothing(kwargs, splits):
    """Planning day by day gives the same terms as planning the whole range at once."""
    midden = min(kwargs["van"] + timedelta(days=splits), kwargs["tot"])
    heel = termijnen(**kwargs)
    links = termijnen(**{**kwargs, "tot": midden})
    rechts = termijnen(**{**kwargs, "van": midden + timedelta(days=1)})
    assert links + rechts == heel


@settings(max_examples=200, deadline=None)
@given(dag=st.integers(0, 6), van=datums, weken=st.integers(1, 60))
def test_weekly_gives_one_term_per_seven_days(dag, van, weken):
    result = reeks(Frequentie.WEEK, dag=dag, vanaf=date(2019, 1, 1), van=van, tot=van + timedelta(days=7 * weken - 1))
    assert len(result) == weken
    assert all(b - a == timedelta(days=7) for a, b in zip(result, result[1:], strict=False))
