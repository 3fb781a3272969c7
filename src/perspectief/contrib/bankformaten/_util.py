"""Small shared helpers: reading input, amounts, IBANs, references, fingerprints."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import BinaryIO

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from .errors import BankbestandGeweigerd, Weigercode

CENT = Decimal("0.01")
HEAD_SIZE = 64 * 1024


class PeekedStream(io.RawIOBase):
    """A binary stream that replays the bytes already read for format detection."""

    def __init__(self, head: bytes, rest: BinaryIO | None) -> None:
        self._head = memoryview(head)
        self._pos = 0
        self._rest = rest
        self.hasher = hashlib.sha256(head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._pos < len(self._head):
            n = min(len(buffer), len(self._head) - self._pos)
            buffer[:n] = self._head[self._pos : self._pos + n]
            self._pos += n
            return n
        if self._rest is None:
            return 0
        chunk = self._rest.read(len(buffer))
        if not chunk:
            return 0
        self.hasher.update(chunk)
        n = len(chunk)
        buffer[:n] = chunk
        return n

    def read(self, size: int = -1) -> bytes:  # lxml calls read(n)
        if size is None or size < 0:
            parts = []
            while True:
                b = self.read(1 << 20)
                if not b:
                    return b"".join(parts)
                parts.append(b)
        buf = bytearray(size)
        n = self.readinto(buf)
        return bytes(buf[:n])


def open_input(data: bytes | bytearray | memoryview | BinaryIO) -> tuple[bytes, PeekedStream]:
    """Return the first bytes (for detection) and a stream that yields the whole input.

    Refuses an empty file (only whitespace counts as empty too) with ``leeg_bestand``.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        head, stream = raw[:HEAD_SIZE], PeekedStream(raw, None)
    elif isinstance(data, str):
        raise TypeError("expected bytes or a binary file, not str")
    else:
        head = data.read(HEAD_SIZE)
        if isinstance(head, str):
            raise TypeError("open the file in binary mode ('rb')")
        head = bytes(head)
        stream = PeekedStream(head, data)
    if not head.strip():
        raise BankbestandGeweigerd(Weigercode.LEEG_BESTAND, "Het bestand is leeg.", plaats=None)
    return head, stream


# --- amounts ---------------------------------------------------------------------------

_AMOUNT_RE = re.compile(r"\d{1,18}(?:\.\d{1,5})?")


def parse_amount(text: str | None, *, plaats: str, allow_negative: bool = False) -> Decimal:
    """An ISO 20022 amount with at most two significant decimals (euro cents)."""
    if text is None or not text.strip():
        raise BankbestandGeweigerd(
            Weigercode.ONTBREKEND_BEDRAG, "Bij een boeking staat geen bedrag.", plaats=plaats
        )
    value = text.strip()
    negative = False
    if allow_negative and value.startswith("-"):
        negative, value = True, value[1:]
    if not _AMOUNT_RE.fullmatch(value):
        raise BankbestandGeweigerd(
            Weigercode.ONGELDIG_BEDRAG,
            "Een bedrag is geen geldig getal of is negatief.",
            plaats=plaats,
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise BankbestandGeweigerd(Weigercode.ONGELDIG_BEDRAG, "Een bedrag is ongeldig.", plaats=plaats)
    rounded = amount.quantize(CENT)
    if rounded != amount:
        raise BankbestandGeweigerd(
            Weigercode.ONGELDIG_BEDRAG, "Een bedrag heeft meer dan twee decimalen.", plaats=plaats
        )
    return -rounded if negative else rounded


def parse_iso_date(text: str | None, *, plaats: str) -> date:
    """A date from ``YYYY-MM-DD`` or the date part of an ISO date-time."""
    if text is None or not text.strip():
        raise BankbestandGeweigerd(
            Weigercode.ONTBREKENDE_DATUM, "Bij een boeking staat geen datum.", plaats=plaats
        )
    value = text.strip()[:10]
    try:
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError(value)
        return date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        raise BankbestandGeweigerd(
            Weigercode.ONGELDIGE_DATUM, "Een datum in het bestand bestaat niet.", plaats=plaats
        ) from None


# --- accounts --------------------------------------------------------------------------


def compact(value: str) -> str:
    return "".join(value.split()).upper()


@lru_cache(maxsize=65536)
def valid_iban(value: str | None) -> str | None:
    """The IBAN in compact form when it is valid (checksum, length, format), else None."""
    if not value:
        return None
    candidate = compact(value)
    if len(candidate) < 15 or not candidate[:2].isalpha():
        return None
    try:
        return str(IBAN(candidate).compact)
    except (SchwiftyException, ValueError):
        return None


@lru_cache(maxsize=4096)
def valid_bic(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(BIC(compact(value)).compact)
    except (SchwiftyException, ValueError):
        return None


def same_account(account_id: str, account_iban: str | None, expected_iban: str) -> bool:
    """Does the statement's account equal the expected IBAN?

    A Dutch statement may name the old 10-digit account number instead of the IBAN
    (MT940 ``:25:`` at BNG Bank); that number is the last ten characters of the IBAN.
    """
    if account_iban is not None:
        return account_iban == expected_iban
    digits = compact(account_id)
    if expected_iban.startswith("NL") and digits.isdigit() and len(digits) <= 10:
        return expected_iban[8:] == digits.zfill(10)
    return False


# --- betalingskenmerk ------------------------------------------------------------------

_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
_LENGTH_CODE = {9: "7", 10: "8", 11: "9", 12: "0", 13: "1", 14: "2"}


def _mod11_check_digit(digits: str) -> int:
    total = sum(int(d) * _WEIGHTS[i % 10] for i, d in enumerate(reversed(digits)))
    check = 11 - total % 11
    return {10: 1, 11: 0}.get(check, check)


def betalingskenmerk_is_valid(value: str) -> bool:
    """Dutch payment reference (Betaalvereniging specification) or ISO 11649 RF reference.

    NL: 7 digits without check digit; 16 digits = check digit + 15; 9 to 14 digits =
    check digit + length code + 7 to 12 digits. The check digit is a weighted
    modulus 11 over the digits after it (weights 2,4,8,5,10,9,7,3,6,1 from the right).
    """
    ref = compact(value)
    if ref.startswith("RF"):
        from stdnum import iso11649

        return bool(iso11649.is_valid(ref))
    if not ref.isdigit():
        return False
    if len(ref) == 7:
        return True
    if len(ref) == 16 or len(ref) in _LENGTH_CODE:
        if len(ref) in _LENGTH_CODE and ref[1] != _LENGTH_CODE[len(ref)]:
            return False
        return int(ref[0]) == _mod11_check_digit(ref[1:])
    return False


def make_betalingskenmerk(number: int) -> str:
    """A 16-digit betalingskenmerk for a number below 10**15 (check digit in front)."""
    if not 0 <= number < 10**15:
        raise ValueError("number must be between 0 and 10**15 - 1")
    body = f"{number:015d}"
    return f"{_mod11_check_digit(body)}{body}"


# --- text ------------------------------------------------------------------------------


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace; empty becomes None."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


def clean_reference(value: str | None) -> str | None:
    text = clean_text(value)
    if text is None or text.upper() in {"NOTPROVIDED", "NONREF", "NOT PROVIDED"}:
        return None
    return text


# --- fingerprints ----------------------------------------------------------------------


@dataclass(slots=True)
class Fingerprinter:
    """Gives each entry of one file a stable fingerprint (see :class:`Boeking`).

    The fingerprint is the SHA-256 (hex) of the entry's key; the second and later entries
    with an identical key in the same file get the SHA-256 of key + occurrence number.
    """

    seen: dict[str, int]

    @classmethod
    def new(cls) -> "Fingerprinter":
        return cls(seen={})

    def __call__(
        self,
        *,
        account: str,
        booking_date: date,
        value_date: date | None,
        direction: str,
        amount: Decimal,
        currency: str,
        bank_reference: str | None,
        end_to_end_id: str | None,
        counterparty_account: str | None,
        description: str,
    ) -> str:
        # amount always has exactly two decimals here; accounts are already compact
        key = "\x1f".join(
            (
                account,
                booking_date.isoformat(),
                value_date.isoformat() if value_date else "",
                direction,
                str(amount),
                currency,
                bank_reference or "",
                end_to_end_id or "",
                counterparty_account or "",
                " ".join(description.split()).casefold(),
            )
        ).encode()
        digest = hashlib.sha256(key).hexdigest()
        occurrence = self.seen.get(digest, 0) + 1
        self.seen[digest] = occurrence
        if occurrence == 1:
            return digest
        return hashlib.sha256(key + f"\x1f{occurrence}".encode()).hexdigest()
