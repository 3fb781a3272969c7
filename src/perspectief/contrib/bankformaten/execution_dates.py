"""Execution dates for SEPA credit transfers: TARGET2 business days.

Dutch banks execute SEPA payments on every day that TARGET2 (the ECB's settlement
system) is open: Monday to Friday except New Year's Day, Good Friday, Easter Monday,
1 May, Christmas Day and 26 December. National holidays that are not TARGET2 closing
days (Koningsdag, Bevrijdingsdag, Hemelvaartsdag, Tweede Pinksterdag) are normal
payment days. Source: BNG Bank, "Betalingsverkeer op de feestdagen",
https://www.bngbank.nl/producten/informeren-beheren/feestdagen-betalingsverkeer
(the closing days listed there are exactly the TARGET2 ones). The calendar comes from
the ``holidays`` package (``financial_holidays("ECB")``).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=1)
def _target2() -> holidays.HolidayBase:
    return holidays.financial_holidays("ECB")


def is_execution_day(day: date) -> bool:
    """True when banks execute SEPA credit transfers on ``day``."""
    return day.weekday() < 5 and day not in _target2()


def next_execution_date(day: date) -> date:
    """``day`` itself when it is an execution day, otherwise the next one."""
    while not is_execution_day(day):
        day += timedelta(days=1)
    return day
