"""Euro amounts in Dutch notation, the one place that writes them: '€ 1.234,56'.

Rounding is half to even ("banker's rounding"), what every earlier helper did:
- a Decimal is rounded on its decimal value by the decimal context (half to even unless a
  caller changes the context; nobody does): Decimal("0.125") -> '€ 0,12';
- a float is rounded on its exact binary value: 2.675 is really 2.67499... -> '€ 2,67',
  where Decimal("2.675") -> '€ 2,68'. Callers whose amounts were always rounded as floats
  (the regelingencheck: the engine's amounts are floats) pass float(bedrag) to keep that.

No amount (None) raises TypeError: what to show instead ('–', 'weet ik niet') is the
caller's words, not this module's.

src/rekenregels keeps its own `euro`: that package stays free of Django and perspectief.
"""

from __future__ import annotations

from decimal import Decimal

NBSP = "\u00a0"  # keeps '€' and the number on one line in HTML

Bedrag = Decimal | int | float


def _dutch(tekst: str) -> str:
    """'-1,234.56' (Python's notation) -> '-1.234,56'."""
    return tekst.replace(",", "_").replace(".", ",").replace("_", ".")


def _controleer(bedrag) -> None:
    if bedrag is None or isinstance(bedrag, (str, bool)):
        raise TypeError(f"Not an amount: {type(bedrag).__name__}; give a Decimal, int or float.")


def euro(bedrag: Bedrag, *, spatie: str = " ") -> str:
    """The amount with cents and a thousands dot.

    >>> euro(Decimal("1234.5"))
    '€ 1.234,50'
    >>> euro(-1234.56, spatie=NBSP)
    '€\\xa0-1.234,56'
    """
    _controleer(bedrag)
    return f"€{spatie}{_dutch(f'{bedrag:,.2f}')}"


def _hele_euros(bedrag: Bedrag) -> int:
    if isinstance(bedrag, Decimal):
        return int(bedrag.quantize(Decimal("1")))
    return round(bedrag)


def euro_kort(bedrag: Bedrag, *, spatie: str = " ") -> str:
    """Whole euros with a thousands dot, for the labels of a chart (as on a bank statement).

    >>> euro_kort(Decimal("1234.56"))
    '€ 1.235'
    >>> euro_kort(2500)
    '€ 2.500'
    """
    _controleer(bedrag)
    return f"€{spatie}{_dutch(f'{_hele_euros(bedrag):,}')}"
