"""Typed results of this package: statements, entries, payments and status reports.

All are frozen dataclasses. Money is ``Decimal`` with two decimals; amounts on entries
are positive and the direction says which way the money went (``signed_amount`` gives
the signed value from the account holder's point of view).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Richting(StrEnum):
    """Direction of an entry, seen from the account holder (the municipal account)."""

    CREDIT = "credit"  # money in (bijschrijving)
    DEBIT = "debit"  # money out (afschrijving)


@dataclass(frozen=True, slots=True)
class Saldo:
    """A balance as the bank reports it; ``amount`` is signed (negative = debit balance)."""

    type_code: str  # CAMT Bal/Tp code (OPBD, PRCD, CLBD, ...) or MT940 tag (60F, 62F, ...)
    amount: Decimal
    currency: str
    date: date | None


@dataclass(frozen=True, slots=True)
class Transactiedetail:
    """One underlying transaction of a batch entry (CAMT ``TxDtls``)."""

    amount: Decimal | None
    end_to_end_id: str | None
    instruction_id: str | None
    mandate_id: str | None
    counterparty_name: str | None
    counterparty_iban: str | None
    counterparty_account: str | None
    counterparty_bic: str | None
    remittance_unstructured: str | None
    betalingskenmerk: str | None
    return_reason_code: str | None


@dataclass(frozen=True, slots=True)
class Boeking:
    """One bank entry (CAMT ``Ntry``, MT940 ``:61:`` with its ``:86:``).

    For an entry with exactly one underlying transaction the counterparty, references
    and remittance fields come from that transaction and ``details`` is empty. For a
    batch entry (several ``TxDtls``) those fields are ``None`` and ``details`` holds
    one :class:`Transactiedetail` per transaction, so our own payments in a batch can
    still be recognised by end-to-end id.

    ``fingerprint`` identifies the entry across files (a camt.052 and the later
    camt.053 with the same entry give the same fingerprint): a SHA-256 over account,
    dates, direction, amount, currency, bank reference, end-to-end id, counterparty
    account and the normalised description; the second and later entries that are
    identical in all of these within one file also hash their occurrence number.
    """

    index: int  # 1-based position within its statement
    booking_date: date
    value_date: date | None
    amount: Decimal
    currency: str
    direction: Richting
    status: str  # BOOK, PDNG, INFO (CAMT ``Sts``); MT940 is always BOOK
    reversal: bool
    counterparty_name: str | None
    counterparty_iban: str | None  # only a valid IBAN (checksum and length)
    counterparty_account: str | None  # the account exactly as given (IBAN, Othr/Id, old number)
    counterparty_bic: str | None
    remittance_unstructured: str | None
    betalingskenmerk: str | None  # structured creditor reference (CdtrRefInf/Ref, /REMI/STRD/)
    end_to_end_id: str | None
    instruction_id: str | None
    bank_reference: str | None  # AcctSvcrRef, or the MT940 reference of the account servicer
    customer_reference: str | None  # MT940 reference for the account owner
    mandate_id: str | None
    return_reason_code: str | None
    bank_transaction_code: str | None
    additional_info: str | None  # AddtlNtryInf, or the whole MT940 :86: text
    details: tuple[Transactiedetail, ...]
    fingerprint: str

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.direction is Richting.CREDIT else -self.amount

    @property
    def description(self) -> str:
        """Remittance text and additional information, for search terms and people."""
        parts = [p for p in (self.remittance_unstructured, self.additional_info) if p]
        if len(parts) == 2 and parts[0] in parts[1]:
            return parts[1]
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Afschrift:
    """One statement (CAMT ``Stmt``/``Rpt``/``Ntfctn``, one MT940 message)."""

    statement_id: str
    sequence_number: str | None  # CAMT ElctrncSeqNb (or LglSeqNb), MT940 :28C:
    account_id: str  # as given: IBAN, Othr/Id or MT940 :25:
    account_iban: str | None
    currency: str
    created_at: datetime | None
    opening_balance: Saldo | None
    closing_balance: Saldo | None
    entries: tuple[Boeking, ...]

    @property
    def total_credit(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.direction is Richting.CREDIT), Decimal("0.00"))

    @property
    def total_debit(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.direction is Richting.DEBIT), Decimal("0.00"))

    @property
    def net_amount(self) -> Decimal:
        return self.total_credit - self.total_debit

    def balance_matches(self) -> bool | None:
        """Opening balance plus the entries equals the closing balance (None: not both known)."""
        if self.opening_balance is None or self.closing_balance is None:
            return None
        return self.opening_balance.amount + self.net_amount == self.closing_balance.amount


@dataclass(frozen=True, slots=True)
class Bankbestand:
    """A parsed bank statement file: its format and its statements."""

    format: str  # "camt.053.001.02", ..., "mt940"
    message_type: str  # "camt.053", "camt.052", "camt.054" or "mt940"
    message_id: str | None  # CAMT GrpHdr/MsgId; MT940 has none
    created_at: datetime | None
    sha256: str  # of the file's bytes, to recognise the same file uploaded twice
    statements: tuple[Afschrift, ...]

    @property
    def entries(self) -> tuple[Boeking, ...]:
        return tuple(e for s in self.statements for e in s.entries)


@dataclass(frozen=True, slots=True)
class Bestandskop:
    """What :func:`iter_statement` yields first: the file's format, known before any entry."""

    format: str  # as Bankbestand.format
    message_type: str  # as Bankbestand.message_type


# --- outgoing payments (pain.001) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opdrachtgever:
    """The debtor of a credit transfer file: the municipal account."""

    name: str
    iban: str
    bic: str | None = None


@dataclass(frozen=True, slots=True)
class Betaalopdracht:
    """One payment to make. Give either remittance text or a betalingskenmerk, not both."""

    end_to_end_id: str
    creditor_name: str
    creditor_iban: str
    amount: Decimal
    requested_execution_date: date
    remittance_information: str | None = None
    betalingskenmerk: str | None = None
    creditor_bic: str | None = None


@dataclass(frozen=True, slots=True)
class Betaalbestand:
    """A credit transfer file read back (pain.001), e.g. to check a generated file."""

    version: str  # "pain.001.001.09" or "pain.001.001.03"
    message_id: str
    created_at: datetime | None
    number_of_transactions: int
    control_sum: Decimal
    debtor: Opdrachtgever
    payments: tuple[Betaalopdracht, ...]


# --- payment status reports (pain.002) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Betaalstatus:
    """Status of one payment in a pain.002 report."""

    end_to_end_id: str | None
    original_instruction_id: str | None
    original_payment_information_id: str | None
    status: str  # ISO code: ACCP, ACSC, ACSP, ACTC, ACWC, PDNG, RJCT, ...
    reason_code: str | None  # e.g. AC01, AC04, MS03
    additional_info: str | None

    @property
    def accepted(self) -> bool | None:
        """True when accepted, False when rejected, None while pending or unknown."""
        return _status_accepted(self.status)


@dataclass(frozen=True, slots=True)
class Statusrapport:
    """A parsed pain.002 payment status report."""

    version: str
    message_id: str
    created_at: datetime | None
    original_message_id: str
    original_message_type: str | None
    group_status: str | None
    group_reason_code: str | None
    payment_information_statuses: tuple[tuple[str, str | None, str | None], ...]  # (id, status, reason)
    transactions: tuple[Betaalstatus, ...]

    @property
    def group_accepted(self) -> bool | None:
        return _status_accepted(self.group_status) if self.group_status else None


_ACCEPTED = frozenset({"ACCP", "ACSC", "ACSP", "ACTC", "ACWC", "ACCC", "ACWP"})
_REJECTED = frozenset({"RJCT", "CANC"})


def _status_accepted(status: str) -> bool | None:
    if status in _ACCEPTED:
        return True
    if status in _REJECTED:
        return False
    return None
