"""Execution dates: weekends and TARGET2 closing days are skipped, Dutch-only holidays are not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perspectief.contrib.bankformaten import is_execution_day, next_execution_date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 24), date(2026, 12, 24)),  # Thursday, open
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas (Fri), weekend -> Monday 28th
        (date(2026, 12, 26), date(2026, 12, 28)),  # 26 December is a Saturday in 2026
        (date(2025, 12, 25), date(2025, 12, 29)),  # Thu 25 + Fri 26 closed, weekend -> Mon 29th
        (date(2026, 1, 1), date(2026, 1, 2)),  # New Year's Day
        (date(2026, 4, 3), date(2026, 4, 7)),  # Good Friday, weekend, Easter Monday
        (date(2026, 5, 1), date(2026, 5, 4)),  # Labour Day (Friday)
        (date(2026, 4, 27), date(2026, 4, 27)),  # Koningsdag: banks pay
        (date(2026, 5, 14), date(2026, 5, 14)),  # Hemelvaartsdag: banks pay
        (date(2026, 5, 25), date(2026, 5, 25)),  # Tweede Pinksterdag: banks pay
        (date(2025, 5, 5), date(2025, 5, 5)),  # Bevrijdingsdag: banks pay
        (date(2026, 1, 10), date(2026, 1, 12)),  # Saturday
    ],
)
def test_next_execution_date(day: date, expected: date) -> None:
    assert next_execution_date(day) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_next_execution_date_is_the_first_open_day(day: date) -> None:
    result = next_execution_date(day)
    assert result >= day
    assert is_execution_day(result)
    assert result.weekday() < 5
    assert (result - day).days <= 5
    between = day
    while between < result:
        assert not is_execution_day(between)
        between += timedelta(days=1)
