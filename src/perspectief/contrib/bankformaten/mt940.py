"""Reader for SWIFT MT940 customer statements as Dutch banks send them.

Supported flavours (see the fixtures in the tests): ABN AMRO (structured ``:86:``
with /TRTP/ /IBAN/ /BIC/ /NAME/ /REMI/ /EREF/, wrapped at 65 characters), ING and
Rabobank (``{1:}{2:}{4:`` blocks, ``/EREF/ /CNTP/ /REMI/USTD// /REMI/STRD/CUR/ /RTRN/
/MARF/ /CSID/ /PREF/``), and BNG Bank (``0200``/``940 02`` file header, ``:86:`` that
starts with the counterparty account followed by free text).

We wrote our own small parser instead of using the ``mt-940`` package: that package
returns an empty result for any text that is not MT940 (so a wrong file would not be
refused), gives no line numbers, and misses the statement line in BNG's sample that
starts in the middle of a line, which the closing balance shows is a real entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ._util import (
    Fingerprinter,
    clean_reference,
    clean_text,
    compact,
    same_account,
    valid_bic,
    valid_iban,
)
from .errors import BankbestandGeweigerd, Weigercode
from .types import Afschrift, Bankbestand, Boeking, Richting, Saldo

TAG_RE = re.compile(r":(\d{2}[A-Z]?|NS):")
# A statement line that starts in the middle of a line, after white space (BNG sample).
INLINE_61_RE = re.compile(r"(?<=\s):61:(?=\d{6}(?:\d{4})?R?[CD][A-Z]?\d)")
END_MARKER_RE = re.compile(r"[-\u00ad\s]*\}?\s*")
BALANCE_RE = re.compile(r"(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d{1,15}(?:,\d*)?)")
STATEMENT_LINE_RE = re.compile(
    r"(?P<value_date>\d{6})(?P<entry_date>\d{4})?(?P<mark>RC|RD|EC|ED|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d{1,15},\d*)?(?P<type>[NSF][A-Z0-9]{3})?(?P<rest>.*)",
    re.S,
)
HEADER_LINE_RE = re.compile(r"(\{\d:.*|0200 .*|940 ?\d*|:940:)\s*")

STRUCTURED_KEYS = (
    "TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "CNTP", "RTRN", "PREF",
    "ORDP", "BENM", "ULTC", "ULTD", "ULTB", "PURP", "SUM", "ISDT", "ADDR", "SVCL", "IREF",
    "KREF", "OCMT", "BUSP", "CHGS", "EXCH", "RTYP", "TRCD",
)
STRUCTURED_RE = re.compile(r"/(" + "|".join(STRUCTURED_KEYS) + r")/")
BIC_RE = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
OLD_ACCOUNT_RE = re.compile(r"P?\d{5,10}")


def looks_like_mt940(head: bytes) -> bool:
    """A ``:20:`` field at the start of a line, and an account, balance or entry field."""
    text = head.decode("latin-1")
    return (
        re.search(r"(?m)^\s*:20:", text) is not None
        and re.search(r"(?m)^\s*:(25|28C?|60[FM]|61):", text) is not None
    )


@dataclass
class _Field:
    tag: str
    lines: list[str]
    line_no: int


@dataclass
class _Message:
    fields: list[_Field] = field(default_factory=list)
    line_no: int = 0


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.startswith(":86:") and INLINE_61_RE.search(line):
            first, *others = INLINE_61_RE.split(line)
            out.append((number, first.rstrip()))
            out.extend((number, ":61:" + part) for part in others)
        else:
            out.append((number, line))
    return out


def _messages(text: str) -> list[_Message]:
    messages: list[_Message] = []
    current: _Message | None = None
    last: _Field | None = None
    seen_tag = False
    for number, raw in _lines(text):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = TAG_RE.match(line)
        if match:
            seen_tag = True
            tag = match.group(1)
            value = line[match.end():]
            if tag == "20":
                current = _Message(line_no=number)
                messages.append(current)
            elif current is None:
                raise BankbestandGeweigerd(
                    Weigercode.KAPOT_BESTAND,
                    "Het MT940-bestand begint niet met een kenmerk (:20:).",
                    plaats=f"regel {number}",
                )
            last = _Field(tag=tag, lines=[value], line_no=number)
            current.fields.append(last)
            continue
        if END_MARKER_RE.fullmatch(line) or (not seen_tag and HEADER_LINE_RE.fullmatch(line)):
            last = None
            continue
        if HEADER_LINE_RE.fullmatch(line) and line.startswith("{"):
            last = None
            continue
        if last is None:
            raise BankbestandGeweigerd(
                Weigercode.KAPOT_BESTAND,
                "Het MT940-bestand bevat een regel die niet bij een veld hoort.",
                plaats=f"regel {number}",
            )
        last.lines.append(line)
    return messages


def _yymmdd(value: str, *, plaats: str) -> date:
    try:
        yy, mm, dd = int(value[0:2]), int(value[2:4]), int(value[4:6])
        return date(2000 + yy if yy < 80 else 1900 + yy, mm, dd)
    except ValueError:
        raise BankbestandGeweigerd(
            Weigercode.ONGELDIGE_DATUM, "Een datum in het bestand bestaat niet.", plaats=plaats
        ) from None


def _amount(value: str | None, *, plaats: str) -> Decimal:
    if not value:
        raise BankbestandGeweigerd(
            Weigercode.ONTBREKEND_BEDRAG, "Bij een boeking staat geen bedrag.", plaats=plaats
        )
    whole, _, cents = value.partition(",")
    if len(cents.rstrip("0")) > 2:
        raise BankbestandGeweigerd(
            Weigercode.ONGELDIG_BEDRAG, "Een bedrag heeft meer dan twee decimalen.", plaats=plaats
        )
    return Decimal(f"{int(whole)}.{(cents + '00')[:2]}")


def _balance(fld: _Field, *, required: str) -> Saldo:
    value = "".join(fld.lines).strip()
    match = BALANCE_RE.match(value)
    plaats = f"regel {fld.line_no}, :{fld.tag}:"
    if match is None:
        raise BankbestandGeweigerd(
            Weigercode.KAPOT_BESTAND, f"Het {required} (:{fld.tag}:) is onleesbaar.", plaats=plaats
        )
    amount = _amount(match.group("amount"), plaats=plaats)
    return Saldo(
        type_code=fld.tag,
        amount=-amount if match.group("mark") == "D" else amount,
        currency=match.group("currency"),
        date=_yymmdd(match.group("date"), plaats=plaats),
    )


def _account(value: str) -> tuple[str, str | None]:
    raw = compact(value)
    candidates = [raw]
    if len(raw) > 3 and raw[-3:].isalpha():
        candidates.append(raw[:-3])
    if "/" in raw:
        candidates.append(raw.rsplit("/", 1)[1])
    for candidate in candidates:
        iban = valid_iban(candidate)
        if iban:
            return iban, iban
    for candidate in candidates[1:]:
        if candidate.isdigit():
            return candidate, None
    return raw, None


@dataclass
class _Info:
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bic: str | None = None
    remittance: str | None = None
    betalingskenmerk: str | None = None
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    return_reason_code: str | None = None
    transaction_type: str | None = None
    additional_info: str | None = None


def parse_information(lines: list[str]) -> _Info:
    """Read the ``:86:`` information to the account owner in any supported flavour."""
    first = lines[0].lstrip() if lines else ""
    info = _Info()
    if STRUCTURED_RE.match(first):
        text = "".join(line.strip("\n") for line in lines)  # structured lines wrap mid-word
        info.additional_info = clean_text(text)
        matches = list(STRUCTURED_RE.finditer(text))
        values: dict[str, str] = {}
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            values.setdefault(m.group(1), text[m.end():end])
        for key, raw in values.items():
            value = raw.strip().rstrip("/")
            if key == "EREF":
                info.end_to_end_id = clean_reference(value)
            elif key == "MARF":
                info.mandate_id = clean_reference(value)
            elif key == "RTRN":
                info.return_reason_code = clean_text(value.split("/")[0])
            elif key == "TRTP":
                info.transaction_type = clean_text(value)
            elif key == "IBAN":
                info.counterparty_account = compact(value) or None
            elif key == "BIC":
                info.counterparty_bic = compact(value) or None
            elif key == "NAME":
                info.counterparty_name = clean_text(value)
            elif key == "CNTP":
                parts = (raw.strip() + "////").split("/")
                info.counterparty_account = compact(parts[0]) or None
                info.counterparty_bic = compact(parts[1]) or None
                info.counterparty_name = clean_text(parts[2])
            elif key == "REMI":
                if value.startswith("USTD"):
                    info.remittance = clean_text(value[4:].strip("/"))
                elif value.startswith("STRD"):
                    parts = [p for p in value.split("/") if p]
                    info.betalingskenmerk = compact(parts[-1]) if len(parts) >= 2 else None
                else:
                    info.remittance = clean_text(value)
        return info
    text = " ".join(line.strip() for line in lines)
    info.additional_info = clean_text(text)
    tokens = text.split()
    if tokens and (valid_iban(tokens[0]) or OLD_ACCOUNT_RE.fullmatch(tokens[0])):
        info.counterparty_account = compact(tokens.pop(0))
        if tokens and BIC_RE.fullmatch(tokens[0]) and valid_bic(tokens[0]):
            info.counterparty_bic = tokens.pop(0)
    info.remittance = clean_text(" ".join(tokens))
    return info


class Mt940Reader:
    def __init__(self, *, expected_iban: str | None, allow_empty: bool) -> None:
        self.expected_iban = expected_iban
        self.allow_empty = allow_empty
        self.fingerprint = Fingerprinter.new()

    def read(self, data: bytes, sha256: str) -> Bankbestand:
        messages = _messages(_decode(data))
        if not messages:
            raise BankbestandGeweigerd(
                Weigercode.KAPOT_BESTAND, "Het MT940-bestand bevat geen afschrift (:20:).", plaats="regel 1"
            )
        statements = tuple(self._statement(m, i) for i, m in enumerate(messages, 1))
        if not self.allow_empty and not any(s.entries for s in statements):
            raise BankbestandGeweigerd(
                Weigercode.GEEN_BOEKINGEN,
                "Het afschrift bevat geen boekingen. Er is niets om in te lezen.",
                plaats=f"regel {messages[0].line_no}",
            )
        return Bankbestand(
            format="mt940",
            message_type="mt940",
            message_id=None,
            created_at=None,
            sha256=sha256,
            statements=statements,
        )

    def _statement(self, message: _Message, number: int) -> Afschrift:
        by_tag: dict[str, _Field] = {}
        for fld in message.fields:
            by_tag.setdefault(fld.tag, fld)
        reference = clean_text(" ".join(by_tag["20"].lines))
        if not reference:
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKENDE_REFERENTIE,
                "Het afschrift heeft geen kenmerk (:20:).",
                plaats=f"regel {message.line_no}",
            )
        account_field = by_tag.get("25")
        if account_field is None or not "".join(account_field.lines).strip():
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKEND_REKENINGNUMMER,
                "In het afschrift staat niet van welke rekening het is (:25:).",
                plaats=f"regel {message.line_no}, afschrift {number}",
            )
        account_id, account_iban = _account("".join(account_field.lines))
        if self.expected_iban is not None and not same_account(account_id, account_iban, self.expected_iban):
            raise BankbestandGeweigerd(
                Weigercode.ANDER_REKENINGNUMMER,
                "Dit afschrift is van een andere bankrekening dan de rekening van het "
                "huishoudboekje. Wij lezen het niet in.",
                plaats=f"regel {account_field.line_no}, :25:",
            )
        opening_field = by_tag.get("60F") or by_tag.get("60M")
        closing_field = by_tag.get("62F") or by_tag.get("62M")
        if opening_field is None:
            raise BankbestandGeweigerd(
                Weigercode.KAPOT_BESTAND,
                "Het beginsaldo (:60F:) ontbreekt. Het bestand is niet compleet.",
                plaats=f"regel {message.line_no}, afschrift {number}",
            )
        if closing_field is None:
            raise BankbestandGeweigerd(
                Weigercode.KAPOT_BESTAND,
                "Het eindsaldo (:62F:) ontbreekt. Het bestand is misschien afgebroken.",
                plaats=f"regel {message.line_no}, afschrift {number}",
            )
        opening = _balance(opening_field, required="beginsaldo")
        closing = _balance(closing_field, required="eindsaldo")
        if opening.currency != "EUR":
            raise BankbestandGeweigerd(
                Weigercode.ANDERE_VALUTA,
                "Dit afschrift is niet in euro. Wij lezen alleen euro-afschriften.",
                plaats=f"regel {opening_field.line_no}, :{opening_field.tag}:",
            )
        sequence = by_tag.get("28C") or by_tag.get("28")
        account_key = account_iban or account_id
        entries: list[Boeking] = []
        fields = message.fields
        for i, fld in enumerate(fields):
            if fld.tag != "61":
                continue
            info_lines = fields[i + 1].lines if i + 1 < len(fields) and fields[i + 1].tag == "86" else []
            entries.append(self._entry(fld, info_lines, len(entries) + 1, opening.currency, account_key))
        return Afschrift(
            statement_id=reference,
            sequence_number=clean_text(" ".join(sequence.lines)) if sequence else None,
            account_id=account_id,
            account_iban=account_iban,
            currency=opening.currency,
            created_at=None,
            opening_balance=opening,
            closing_balance=closing,
            entries=tuple(entries),
        )

    def _entry(self, fld: _Field, info_lines: list[str], index: int, currency: str, account_key: str) -> Boeking:
        plaats = f"regel {fld.line_no}, boeking {index} (:61:)"
        text = fld.lines[0].strip()
        supplementary = " ".join(line.strip() for line in fld.lines[1:]) or None
        match = STATEMENT_LINE_RE.fullmatch(text)
        if match is None:
            if re.match(r"\d{6}", text) is None:
                raise BankbestandGeweigerd(
                    Weigercode.ONTBREKENDE_DATUM, f"Boeking {index} heeft geen geldige datum.", plaats=plaats
                )
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKENDE_RICHTING,
                f"Bij boeking {index} staat niet of het geld binnenkwam of wegging (C of D).",
                plaats=plaats,
            )
        value_date = _yymmdd(match.group("value_date"), plaats=plaats)
        booking_date = value_date
        if match.group("entry_date"):
            month, day = int(match.group("entry_date")[:2]), int(match.group("entry_date")[2:])
            year = value_date.year
            if month == 12 and value_date.month == 1:
                year -= 1
            elif month == 1 and value_date.month == 12:
                year += 1
            try:
                booking_date = date(year, month, day)
            except ValueError:
                raise BankbestandGeweigerd(
                    Weigercode.ONGELDIGE_DATUM, "Een boekdatum in het bestand bestaat niet.", plaats=plaats
                ) from None
        mark = match.group("mark")
        amount = _amount(match.group("amount"), plaats=plaats)
        if match.group("type") is None:
            raise BankbestandGeweigerd(
                Weigercode.KAPOT_BESTAND,
                f"Boeking {index} heeft geen geldige transactiecode (zoals NTRF).",
                plaats=plaats,
            )
        direction = Richting.CREDIT if mark in ("C", "RD", "EC") else Richting.DEBIT
        rest = match.group("rest")
        customer_ref, _, after = rest.partition("//")
        bank_ref = re.match(r"[^/]{0,16}", after).group() if after else ""
        if after and len(after) > len(bank_ref):
            supplementary = " ".join(p for p in (after[len(bank_ref):], supplementary) if p)
        info = parse_information(info_lines) if info_lines else _Info()
        counterparty_account = info.counterparty_account
        bank_reference = clean_reference(bank_ref)
        description = " ".join(p for p in (info.remittance, info.additional_info) if p)
        return Boeking(
            index=index,
            booking_date=booking_date,
            value_date=value_date,
            amount=amount,
            currency=currency,
            direction=direction,
            status="BOOK",
            reversal=mark in ("RC", "RD"),
            counterparty_name=info.counterparty_name,
            counterparty_iban=valid_iban(counterparty_account),
            counterparty_account=counterparty_account,
            counterparty_bic=valid_bic(info.counterparty_bic),
            remittance_unstructured=info.remittance,
            betalingskenmerk=info.betalingskenmerk,
            end_to_end_id=info.end_to_end_id,
            instruction_id=None,
            bank_reference=bank_reference,
            customer_reference=clean_reference(customer_ref),
            mandate_id=info.mandate_id,
            return_reason_code=info.return_reason_code,
            bank_transaction_code=info.transaction_type or match.group("type"),
            additional_info=info.additional_info or clean_text(supplementary),
            details=(),
            fingerprint=self.fingerprint(
                account=account_key,
                booking_date=booking_date,
                value_date=value_date,
                direction=direction.value,
                amount=amount,
                currency=currency,
                bank_reference=bank_reference,
                end_to_end_id=info.end_to_end_id,
                counterparty_account=counterparty_account,
                description=description,
            ),
        )


def read_mt940(data: bytes, *, expected_iban: str | None, allow_empty: bool, sha256: str) -> Bankbestand:
    return Mt940Reader(expected_iban=expected_iban, allow_empty=allow_empty).read(data, sha256)
