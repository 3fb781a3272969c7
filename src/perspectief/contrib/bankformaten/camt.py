"""Streaming reader for ISO 20022 bank-to-customer messages: camt.053, camt.052, camt.054.

The file is read with lxml ``iterparse`` and only ``Ntry``, statement and header end
events reach Python; each entry is read and then removed from the tree, so memory stays
flat whatever the size. A DOCTYPE is refused before parsing starts, entities are never
expanded and nothing is fetched from the network.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from ._util import (
    CENT,
    Fingerprinter,
    clean_reference,
    compact,
    parse_amount,
    parse_iso_date,
    same_account,
    valid_bic,
    valid_iban,
)
from ._xml import SAFE_OPTIONS, Root, parse_datetime, refuse_dtd_in, syntax_refusal
from .errors import BankbestandGeweigerd, Weigercode
from .types import Afschrift, Bankbestand, Boeking, Richting, Saldo, Transactiedetail

NAMESPACE_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.(\d{2})")
SUPPORTED_VERSIONS = range(2, 14)  # .001.02 up to and including .001.13

# message type -> (message element, statement element)
MESSAGES = {
    "camt.053": ("BkToCstmrStmt", "Stmt"),
    "camt.052": ("BkToCstmrAcctRpt", "Rpt"),
    "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
OPENING_CODES = ("OPBD", "PRCD", "OPAV", "ITBD")
CLOSING_CODES = ("CLBD", "CLAV", "ITBD", "ITAV")
_FAST_AMOUNT = re.compile(r"\d{1,18}(?:\.\d{1,2})?").fullmatch  # anything else: parse_amount


def camt_version(root: Root) -> tuple[str, str]:
    """Message type and full version of a CAMT root, or a refusal."""
    match = NAMESPACE_RE.fullmatch(root.namespace or "")
    if root.localname != "Document" or match is None:
        raise BankbestandGeweigerd(
            Weigercode.ONBEKEND_FORMAAT,
            "Dit XML-bestand is geen rekeningafschrift (CAMT.053, CAMT.052 of CAMT.054).",
            plaats="/" + root.localname,
        )
    message_type, version = match.group(1), int(match.group(2))
    if version not in SUPPORTED_VERSIONS:
        raise BankbestandGeweigerd(
            Weigercode.NIET_ONDERSTEUNDE_VERSIE,
            f"Dit is een {message_type}-bestand van versie {version:02d}. "
            f"Wij lezen versie {SUPPORTED_VERSIONS.start:02d} tot en met {SUPPORTED_VERSIONS.stop - 1:02d}.",
            plaats="/Document/@xmlns",
        )
    return message_type, f"{message_type}.001.{version:02d}"



class _Tags:
    """Namespaced tag names for one namespace (attributes such as ``AMT`` for the hot path)."""

    def __init__(self, ns: str) -> None:
        t = self.t = lambda name: f"{{{ns}}}{name}"
        self.ns = ns
        self.ntry = t("Ntry")
        self.grp_hdr = t("GrpHdr")
        self.txdtls = t("TxDtls")
        for attribute, name in {
            "AMT": "Amt", "CDI": "CdtDbtInd", "BOOKG": "BookgDt", "VALDT": "ValDt", "NTRYDTLS": "NtryDtls",
            "REF": "AcctSvcrRef", "STS": "Sts", "ADDTL": "AddtlNtryInf", "BKTXCD": "BkTxCd", "RVSL": "RvslInd",
            "DOMN": "Domn", "CD": "Cd", "FMLY": "Fmly", "PRTRY": "Prtry", "RLTDPTIES": "RltdPties",
            "DBTR": "Dbtr", "CDTR": "Cdtr", "DBTRACCT": "DbtrAcct", "CDTRACCT": "CdtrAcct", "REFS": "Refs",
            "E2E": "EndToEndId", "MNDT": "MndtId", "INSTR": "InstrId", "RMTINF": "RmtInf", "USTRD": "Ustrd",
            "STRD": "Strd", "CDTRREFINF": "CdtrRefInf", "REF_": "Ref", "ADDTLRMTINF": "AddtlRmtInf",
            "RLTDAGTS": "RltdAgts", "BIC": "BIC", "BICFI": "BICFI", "DBTRAGT": "DbtrAgt", "CDTRAGT": "CdtrAgt",
            "RTRINF": "RtrInf", "RSN": "Rsn", "AMTDTLS": "AmtDtls", "TXAMT": "TxAmt", "INSTDAMT": "InstdAmt",
            "NM": "Nm", "PTY": "Pty", "ID": "Id", "IBAN": "IBAN", "OTHR": "Othr", "TXDTLS": "TxDtls",
        }.items():
            setattr(self, attribute, t(name))
        self.names = {n: t(n) for n in (
            "Dt", "DtTm", "Nm", "Pty", "Id", "IBAN", "Othr", "EndToEndId", "InstrId", "MndtId",
            "AcctSvcrRef", "TxAmt", "InstdAmt", "Amt", "Ustrd", "Strd", "CdtrRefInf", "Ref",
            "Rsn", "Cd", "Prtry", "DbtrAgt", "CdtrAgt", "FinInstnId", "BIC", "BICFI", "Domn",
            "Fmly", "SubFmlyCd", "MsgId", "CreDtTm", "ElctrncSeqNb", "LglSeqNb", "Acct",
            "Ccy", "Bal", "Tp", "CdOrPrtry", "CdtDbtInd", "AddtlRmtInf",
        )}


def _child(el: etree._Element, tag: str) -> etree._Element | None:
    for c in el:
        if c.tag == tag:
            return c
    return None


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = el.text
    if text is None:
        return None
    text = text.strip()
    return text or None


class CamtReader:
    def __init__(
        self,
        *,
        namespace: str,
        message_type: str,
        version: str,
        expected_iban: str | None,
        allow_empty: bool,
    ) -> None:
        self.tags = _Tags(namespace)
        self.message_type = message_type
        self.version = version
        self.expected_iban = expected_iban
        self.allow_empty = allow_empty
        message_el, statement_el = MESSAGES[message_type]
        self.message_tag = self.tags.t(message_el)
        self.statement_tag = self.tags.t(statement_el)
        self.statement_name = statement_el
        self.root_path = f"/Document/{message_el}"
        self.fingerprint = Fingerprinter.new()

    # --- driver -------------------------------------------------------------------------

    def read(self, stream: BinaryIO, sha256) -> Bankbestand:
        """The whole file: :meth:`items` collected into statements."""
        statements: list[Afschrift] = []
        entries: list[Boeking] = []
        for kind, value in self.items(stream):
            if kind == "entry":
                entries.append(value)
            elif kind == "header":
                entries = []
            elif kind == "end":
                statements.append(self._statement(value, entries))
                entries = []
        return Bankbestand(
            format=self.version,
            message_type=self.message_type,
            message_id=self.message_id,
            created_at=self.created_at,
            sha256=sha256(),
            statements=tuple(statements),
        )

    def items(self, stream: BinaryIO) -> Iterator[tuple[str, object]]:
        """The file as it is read: ("header", header) when a statement's header is known
        (at its first entry, or at its end when it has none), ("entry", Boeking) per
        entry, ("end", header) at the end of each statement. Refusals are raised where
        they are found; those that need the whole file (no statement, no entries) at the
        end. ``message_id`` and ``created_at`` are set once the group header is read.
        :meth:`read` and :func:`iter_statement` both use this, so they cannot disagree."""
        tags = self.tags
        context = etree.iterparse(
            stream,
            events=("start", "end"),
            tag=(tags.t("Document"), tags.grp_hdr, self.statement_tag, tags.ntry),
            **SAFE_OPTIONS,
        )
        self.message_id = self.created_at = None
        header: dict | None = None
        number = 0
        stmt_no = 0
        statements = 0
        any_entries = False
        seen_message = False
        try:
            for event, el in context:
                tag = el.tag
                if tag == tags.ntry:
                    if event == "start":
                        continue
                    if header is None:
                        header = self._header(el.getparent(), stmt_no)
                        yield "header", header
                    number += 1
                    entry = self._finish(number, self._entry_raw(el, header, stmt_no, number), header)
                    # Free what has been read: this entry and everything before it.
                    el.clear()
                    parent = el.getparent()
                    while el.getprevious() is not None:
                        del parent[0]
                    any_entries = True
                    yield "entry", entry
                elif tag == self.statement_tag:
                    if event == "start":
                        stmt_no += 1
                        header = None
                        number = 0
                        continue
                    if header is None:
                        header = self._header(el, stmt_no)
                        yield "header", header
                    el.clear()
                    statements += 1
                    yield "end", header
                    header = None
                elif tag == tags.grp_hdr:
                    if event == "end":
                        self.message_id = _text(_child(el, tags.names["MsgId"]))
                        self.created_at = parse_datetime(_text(_child(el, tags.names["CreDtTm"])))
                        el.clear()
                else:  # Document
                    if event == "start":
                        refuse_dtd_in(el)
                        seen_message = True
        except etree.XMLSyntaxError as error:
            raise syntax_refusal(error) from None
        if not seen_message or not statements:
            raise BankbestandGeweigerd(
                Weigercode.KAPOT_BESTAND,
                f"Het bestand bevat geen afschrift ({self.statement_name}).",
                plaats=self.root_path,
            )
        if not self.allow_empty and not any_entries:
            raise BankbestandGeweigerd(
                Weigercode.GEEN_BOEKINGEN,
                "Het afschrift bevat geen boekingen. Er is niets om in te lezen.",
                plaats=f"{self.root_path}/{self.statement_name}",
            )

    # --- statement header ---------------------------------------------------------------

    def _where(self, stmt_no: int, rest: str = "", el: etree._Element | None = None) -> str:
        path = f"{self.root_path}/{self.statement_name}[{stmt_no}]{rest}"
        line = el.sourceline if el is not None else None
        return f"regel {line}, {path}" if line else path

    def _header(self, stmt: etree._Element, stmt_no: int) -> dict:
        n = self.tags.names
        statement_id = account_id = currency = None
        sequence = legal_sequence = None
        created_at = None
        balances: list[Saldo] = []
        acct_el = None
        for c in stmt:
            tag = c.tag
            if tag == n["Id"]:
                statement_id = _text(c)
            elif tag == n["ElctrncSeqNb"]:
                sequence = _text(c)
            elif tag == n["LglSeqNb"]:
                legal_sequence = _text(c)
            elif tag == n["CreDtTm"]:
                created_at = parse_datetime(_text(c))
            elif tag == n["Acct"]:
                acct_el = c
                account_id = self._account_id(c)
                currency = _text(_child(c, n["Ccy"]))
            elif tag == n["Bal"]:
                balance = self._balance(c, stmt_no, len(balances) + 1)
                if balance is not None:
                    balances.append(balance)
        if not statement_id:
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKENDE_REFERENTIE,
                "Het afschrift heeft geen kenmerk (Id). Zo kunnen wij het niet herkennen.",
                plaats=self._where(stmt_no, "/Id", stmt),
            )
        if not account_id:
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKEND_REKENINGNUMMER,
                "In het afschrift staat niet van welke rekening het is.",
                plaats=self._where(stmt_no, "/Acct/Id", acct_el if acct_el is not None else stmt),
            )
        account_iban = valid_iban(account_id)
        if self.expected_iban is not None and not same_account(
            account_id, account_iban, self.expected_iban
        ):
            raise BankbestandGeweigerd(
                Weigercode.ANDER_REKENINGNUMMER,
                "Dit afschrift is van een andere bankrekening dan de rekening van het "
                "huishoudboekje. Wij lezen het niet in.",
                plaats=self._where(stmt_no, "/Acct/Id", acct_el),
            )
        if currency is None:
            currency = balances[0].currency if balances else "EUR"
        opening = next((b for code in OPENING_CODES for b in balances if b.type_code == code), None)
        closing = next((b for code in CLOSING_CODES for b in balances if b.type_code == code), None)
        return {
            "statement_id": statement_id,
            "sequence": sequence or legal_sequence,
            "account_id": account_id,
            "account_iban": account_iban,
            "account_key": account_iban or compact(account_id),
            "currency": currency,
            "created_at": created_at,
            "opening": opening,
            "closing": closing,
        }

    def _account_id(self, acct: etree._Element) -> str | None:
        T = self.tags
        for id_el in acct:
            if id_el.tag == T.ID:
                for c in id_el:
                    if c.tag == T.IBAN:
                        return compact(c.text) or None if c.text else None
                    if c.tag == T.OTHR:
                        for d in c:
                            if d.tag == T.ID:
                                return compact(d.text) or None if d.text else None
                return None
        return None

    def _balance(self, bal: etree._Element, stmt_no: int, bal_no: int) -> Saldo | None:
        n = self.tags.names
        code = None
        tp = _child(bal, n["Tp"])
        if tp is not None:
            cd_or = _child(tp, n["CdOrPrtry"])
            if cd_or is not None:
                code = _text(_child(cd_or, n["Cd"])) or _text(_child(cd_or, n["Prtry"]))
        amt_el = _child(bal, n["Amt"])
        if code is None or amt_el is None:
            return None
        where = self._where(stmt_no, f"/Bal[{bal_no}]/Amt", amt_el)
        amount = parse_amount(amt_el.text, plaats=where)
        indicator = _text(_child(bal, n["CdtDbtInd"]))
        if indicator == "DBIT":
            amount = -amount
        day = None
        dt = _child(bal, n["Dt"])
        if dt is not None:
            inner = _child(dt, n["Dt"])
            if inner is None:
                inner = _child(dt, n["DtTm"])
            if inner is not None and _text(inner):
                day = parse_iso_date(inner.text, plaats=self._where(stmt_no, f"/Bal[{bal_no}]/Dt", dt))
        return Saldo(type_code=code, amount=amount, currency=amt_el.get("Ccy") or "EUR", date=day)

    def _statement(self, header: dict, entries: list[Boeking]) -> Afschrift:
        return Afschrift(
            statement_id=header["statement_id"],
            sequence_number=header["sequence"],
            account_id=header["account_id"],
            account_iban=header["account_iban"],
            currency=header["currency"],
            created_at=header["created_at"],
            opening_balance=header["opening"],
            closing_balance=header["closing"],
            entries=tuple(entries),
        )

    # --- entries ------------------------------------------------------------------------
    # This is the hot path (100,000 entries in a large file): no helper calls per element,
    # locations are only formatted when something is refused.

    def _refuse_entry(self, code: Weigercode, message: str, stmt_no: int, ntry_no: int, rest: str, el) -> None:
        raise BankbestandGeweigerd(code, message, plaats=self._where(stmt_no, f"/Ntry[{ntry_no}]{rest}", el))

    def _entry_raw(self, ntry: etree._Element, header: dict, stmt_no: int, ntry_no: int) -> tuple:
        """Read and check one Ntry element into raw values (no objects built yet)."""
        T = self.tags
        amt_el = cdi = rvsl = sts = bookg = valdt = ref = bktx = addtl = None
        dtls = None
        for c in ntry:
            tag = c.tag
            if tag == T.AMT:
                amt_el = c
            elif tag == T.CDI:
                cdi = c.text
            elif tag == T.BOOKG:
                bookg = c
            elif tag == T.VALDT:
                valdt = c
            elif tag == T.NTRYDTLS:
                for tx in c.iterchildren(T.TXDTLS):
                    if dtls is None:
                        dtls = [tx]
                    else:
                        dtls.append(tx)
            elif tag == T.REF:
                ref = c.text
            elif tag == T.STS:
                sts = c.text if len(c) == 0 else c[0].text
            elif tag == T.ADDTL:
                addtl = c.text
            elif tag == T.BKTXCD:
                bktx = c
            elif tag == T.RVSL:
                rvsl = c.text
        if amt_el is None:
            self._refuse_entry(
                Weigercode.ONTBREKEND_BEDRAG, f"Boeking {ntry_no} heeft geen bedrag (Ntry/Amt).",
                stmt_no, ntry_no, "/Amt", ntry,
            )
        text = amt_el.text
        if text is not None and _FAST_AMOUNT(text):
            amount = Decimal(text).quantize(CENT)
        else:
            amount = parse_amount(text, plaats=self._where(stmt_no, f"/Ntry[{ntry_no}]/Amt", amt_el))
        currency = amt_el.get("Ccy") or header["currency"]
        if currency != "EUR":
            self._refuse_entry(
                Weigercode.ANDERE_VALUTA, f"Boeking {ntry_no} is niet in euro. Wij lezen alleen euro-bedragen.",
                stmt_no, ntry_no, "/Amt/@Ccy", amt_el,
            )
        if cdi == "CRDT":
            direction = Richting.CREDIT
        elif cdi == "DBIT":
            direction = Richting.DEBIT
        elif cdi is not None and cdi.strip() in ("CRDT", "DBIT"):
            direction = Richting.CREDIT if cdi.strip() == "CRDT" else Richting.DEBIT
        else:
            self._refuse_entry(
                Weigercode.ONTBREKENDE_RICHTING,
                f"Bij boeking {ntry_no} staat niet of het geld binnenkwam of wegging (CdtDbtInd).",
                stmt_no, ntry_no, "/CdtDbtInd", ntry,
            )
        booking_date = self._date(bookg, stmt_no, ntry_no, "/BookgDt") if bookg is not None else None
        value_date = self._date(valdt, stmt_no, ntry_no, "/ValDt") if valdt is not None else None
        if booking_date is None:
            booking_date = value_date
            if booking_date is None:
                self._refuse_entry(
                    Weigercode.ONTBREKENDE_DATUM, f"Boeking {ntry_no} heeft geen boekdatum en geen valutadatum.",
                    stmt_no, ntry_no, "/BookgDt", ntry,
                )
        with_amount = dtls is not None and len(dtls) > 1
        return (
            booking_date,
            value_date,
            amount,
            currency,
            direction,
            sts.strip() if sts else "BOOK",
            rvsl is not None and rvsl.strip() in ("true", "1"),
            clean_reference(ref) if ref is not None else None,
            " ".join(addtl.split()) or None if addtl is not None else None,
            self._bank_code(bktx) if bktx is not None else None,
            [self._detail(tx, direction, header, with_amount=with_amount) for tx in dtls or ()],
        )

    def _finish(self, ntry_no: int, raw: tuple, header: dict) -> Boeking:
        """Build the entry and its fingerprint from checked raw values, in file order."""
        (booking_date, value_date, amount, currency, direction, status, reversal, bank_reference,
         additional_info, bank_code, detail_rows) = raw
        if len(detail_rows) == 1:
            e2e, instr, mandate, name, account, bic, remittance, kenmerk, reason, _ = detail_rows[0]
            details: tuple[Transactiedetail, ...] = ()
        else:
            e2e = instr = mandate = name = account = bic = remittance = kenmerk = reason = None
            details = tuple(
                Transactiedetail(
                    amount=d[9],
                    end_to_end_id=d[0],
                    instruction_id=d[1],
                    mandate_id=d[2],
                    counterparty_name=d[3],
                    counterparty_iban=valid_iban(d[4]),
                    counterparty_account=d[4],
                    counterparty_bic=valid_bic(d[5]),
                    remittance_unstructured=d[6],
                    betalingskenmerk=d[7],
                    return_reason_code=d[8],
                )
                for d in detail_rows
            )
        if remittance and additional_info:
            description = f"{remittance} {additional_info}"
        else:
            description = remittance or additional_info or ""
        return Boeking(
            index=ntry_no,
            booking_date=booking_date,
            value_date=value_date,
            amount=amount,
            currency=currency,
            direction=direction,
            status=status,
            reversal=reversal,
            counterparty_name=name,
            counterparty_iban=valid_iban(account),
            counterparty_account=account,
            counterparty_bic=valid_bic(bic),
            remittance_unstructured=remittance,
            betalingskenmerk=kenmerk,
            end_to_end_id=e2e,
            instruction_id=instr,
            bank_reference=bank_reference,
            customer_reference=None,
            mandate_id=mandate,
            return_reason_code=reason,
            bank_transaction_code=bank_code,
            additional_info=additional_info,
            details=details,
            fingerprint=self.fingerprint(
                account=header["account_key"],
                booking_date=booking_date,
                value_date=value_date,
                direction=direction.value,
                amount=amount,
                currency=currency,
                bank_reference=bank_reference,
                end_to_end_id=e2e,
                counterparty_account=account,
                description=description,
            ),
        )

    def _date(self, el: etree._Element, stmt_no: int, ntry_no: int, rest: str) -> date:
        inner = el[0] if len(el) else None
        text = inner.text if inner is not None else None
        if text is None or not text.strip():
            self._refuse_entry(
                Weigercode.ONTBREKENDE_DATUM, f"Bij boeking {ntry_no} is een datumveld leeg.",
                stmt_no, ntry_no, rest, el,
            )
        text = text.strip()
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                pass
        return parse_iso_date(text, plaats=self._where(stmt_no, f"/Ntry[{ntry_no}]{rest}", inner))

    def _bank_code(self, bktx: etree._Element) -> str | None:
        T = self.tags
        for c in bktx:
            if c.tag == T.DOMN:
                parts = []
                for d in c:
                    if d.tag == T.CD:
                        parts.append(d.text)
                    elif d.tag == T.FMLY:
                        for f in d:
                            parts.append(f.text)
                return "-".join(p.strip() for p in parts if p and p.strip()) or None
        for c in bktx:
            if c.tag == T.PRTRY:
                for d in c:
                    if d.tag == T.CD:
                        return d.text.strip() if d.text else None
        return None

    def _detail(self, tx: etree._Element, direction: Richting, header: dict, *, with_amount: bool) -> tuple:
        """(e2e, instruction, mandate, name, account, bic, remittance, kenmerk, reason, amount)."""
        T = self.tags
        amount = e2e = instr = mandate = None
        dbtr = dbtr_acct = cdtr = cdtr_acct = None
        dbtr_bic = cdtr_bic = None
        ustrd = None
        kenmerk = None
        reason = None
        for c in tx:
            tag = c.tag
            if tag == T.RLTDPTIES:
                for p in c:
                    ptag = p.tag
                    if ptag == T.DBTR:
                        dbtr = self._party_name(p)
                    elif ptag == T.CDTR:
                        cdtr = self._party_name(p)
                    elif ptag == T.DBTRACCT:
                        dbtr_acct = self._account_id(p)
                    elif ptag == T.CDTRACCT:
                        cdtr_acct = self._account_id(p)
            elif tag == T.REFS:
                for r in c:
                    rtag = r.tag
                    if rtag == T.E2E:
                        e2e = r.text
                    elif rtag == T.MNDT:
                        mandate = r.text
                    elif rtag == T.INSTR:
                        instr = r.text
            elif tag == T.RMTINF:
                for r in c:
                    if r.tag == T.USTRD:
                        if r.text:
                            ustrd = r.text if ustrd is None else f"{ustrd} {r.text}"
                    elif r.tag == T.STRD:
                        for st in r:
                            if st.tag == T.CDTRREFINF and kenmerk is None:
                                for x in st:
                                    if x.tag == T.REF_:
                                        kenmerk = x.text
                            elif st.tag == T.ADDTLRMTINF and st.text:
                                ustrd = st.text if ustrd is None else f"{ustrd} {st.text}"
            elif tag == T.RLTDAGTS:
                for agent in c:
                    fin = agent[0] if len(agent) else None
                    if fin is None:
                        continue
                    bic = None
                    for b in fin:
                        if b.tag == T.BIC or b.tag == T.BICFI:
                            bic = b.text
                    if agent.tag == T.DBTRAGT:
                        dbtr_bic = bic
                    elif agent.tag == T.CDTRAGT:
                        cdtr_bic = bic
            elif tag == T.RTRINF:
                for r in c:
                    if r.tag == T.RSN:
                        for x in r:
                            if x.tag == T.CD or x.tag == T.PRTRY:
                                reason = x.text.strip() if x.text else None
                                break
            elif tag == T.AMTDTLS and with_amount:
                for holder in c:
                    if holder.tag == T.TXAMT or holder.tag == T.INSTDAMT:
                        for a in holder:
                            if a.tag == T.AMT and a.text:
                                try:
                                    amount = parse_amount(a.text, plaats="TxDtls/AmtDtls")
                                except BankbestandGeweigerd:
                                    amount = None
                        if amount is not None:
                            break
            elif tag == T.DBTRACCT and dbtr_acct is None:  # directly under TxDtls (lenient)
                dbtr_acct = self._account_id(c)
            elif tag == T.CDTRACCT and cdtr_acct is None:  # directly under TxDtls (lenient)
                cdtr_acct = self._account_id(c)
        return _detail_result(
            direction, header["account_key"], e2e, instr, mandate, dbtr, dbtr_acct, cdtr, cdtr_acct,
            dbtr_bic, cdtr_bic, ustrd, kenmerk, reason, amount,
        )

    def _party_name(self, party: etree._Element) -> str | None:
        T = self.tags
        for c in party:
            if c.tag == T.NM:
                return c.text
            if c.tag == T.PTY:  # camt.053.001.08 and later
                for d in c:
                    if d.tag == T.NM:
                        return d.text
        return None


def _detail_result(
    direction, own_account, e2e, instr, mandate, dbtr, dbtr_acct, cdtr, cdtr_acct,
    dbtr_bic, cdtr_bic, ustrd, kenmerk, reason, amount,
) -> tuple:
    """Pick the counterparty side by direction and clean the values of one TxDtls.

    The counterparty is the debtor of money that came in and the creditor of money that
    went out; when that side has no account, the other side's account is used unless it
    is the statement's own account.
    """
    if direction is Richting.CREDIT:
        name, account, bic = dbtr, dbtr_acct, dbtr_bic
        other_name, other_account, other_bic = cdtr, cdtr_acct, cdtr_bic
    else:
        name, account, bic = cdtr, cdtr_acct, cdtr_bic
        other_name, other_account, other_bic = dbtr, dbtr_acct, dbtr_bic
    if account is None and other_account is not None and other_account != own_account:
        account, bic = other_account, bic or other_bic
    if name is None:
        name = other_name
    return (
        clean_reference(e2e) if e2e is not None else None,
        clean_reference(instr) if instr is not None else None,
        clean_reference(mandate) if mandate is not None else None,
        " ".join(name.split()) or None if name is not None else None,
        account,
        bic,
        " ".join(ustrd.split()) or None if ustrd is not None else None,
        compact(kenmerk) or None if kenmerk is not None else None,
        reason,
        amount,
    )


def read_camt(
    stream: BinaryIO,
    *,
    root: Root,
    expected_iban: str | None,
    allow_empty: bool,
    sha256,
) -> Bankbestand:
    return camt_reader(root=root, expected_iban=expected_iban, allow_empty=allow_empty).read(
        stream, sha256
    )


def camt_reader(*, root: Root, expected_iban: str | None, allow_empty: bool) -> CamtReader:
    """The reader for a file whose root element is ``root`` (refuses a wrong message)."""
    message_type, version = camt_version(root)
    expected_element = MESSAGES[message_type][0]
    if root.first_child is not None and root.first_child != expected_element:
        raise BankbestandGeweigerd(
            Weigercode.KAPOT_BESTAND,
            f"Een {message_type}-bestand begint met {expected_element}, dit bestand niet.",
            plaats=f"/Document/{root.first_child}",
        )
    return CamtReader(
        namespace=root.namespace or "",
        message_type=message_type,
        version=version,
        expected_iban=expected_iban,
        allow_empty=allow_empty,
    )


__all__ = ["read_camt", "camt_reader", "camt_version", "SUPPORTED_VERSIONS"]
