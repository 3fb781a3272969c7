"""Bank file formats for the huishoudboekje, free of Django.

Statements in: :func:`parse_statement` (or :func:`iter_statement`, entry by entry) reads CAMT.053/.052/.054 (streaming, safe XML)
and MT940 (ABN AMRO, ING, Rabobank, BNG Bank) into frozen dataclasses.
Payments out: :func:`build_credit_transfer` writes SEPA pain.001.001.09 or .03 and
validates it against the official XSD; :func:`read_credit_transfer` reads one back.
Status back: :func:`parse_status_report` reads pain.002.
Dates: :func:`next_execution_date` skips weekends and TARGET2 closing days.

Every refusal is a :class:`BankbestandGeweigerd` with a :class:`Weigercode` and a Dutch
message. See docs/bankformaten.md.
"""

from ._util import betalingskenmerk_is_valid, make_betalingskenmerk
from .errors import BankbestandGeweigerd, Weigercode
from .execution_dates import is_execution_day, next_execution_date
from .pain001 import build_credit_transfer, read_credit_transfer
from .pain002 import parse_status_report
from .statement import iter_statement, parse_statement
from .types import (
    Afschrift,
    Bankbestand,
    Bestandskop,
    Betaalbestand,
    Betaalopdracht,
    Betaalstatus,
    Boeking,
    Opdrachtgever,
    Richting,
    Saldo,
    Statusrapport,
    Transactiedetail,
)

__all__ = [
    "Afschrift",
    "Bankbestand",
    "BankbestandGeweigerd",
    "Bestandskop",
    "Betaalbestand",
    "Betaalopdracht",
    "Betaalstatus",
    "Boeking",
    "Opdrachtgever",
    "Richting",
    "Saldo",
    "Statusrapport",
    "Transactiedetail",
    "Weigercode",
    "betalingskenmerk_is_valid",
    "build_credit_transfer",
    "is_execution_day",
    "iter_statement",
    "make_betalingskenmerk",
    "next_execution_date",
    "parse_statement",
    "parse_status_report",
    "read_credit_transfer",
]
