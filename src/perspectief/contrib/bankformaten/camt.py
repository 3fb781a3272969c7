"""Streaming reader for ISO 20022 bank-to-customer messages: camt.053, camt.052, camt.054.

The file is read with lxml ``iterparse`` and only ``Ntry``, statement and header end
events reach Python; each entry is read and then removed from the tree, so memory stays
flat whatever the size. A DOCTYPE is refused before parsing starts, entities are never
expanded and nothing is fetched from the network.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from lxml import etree

from ._util import (
    Fingerprinter,
    clean_reference,
    clean_text,
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
NOT_PROVIDED = {"NOTPROVIDED", "NOT PROVIDED"}


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
    """Namespaced tag names and child lookup tables for one namespace."""

    def __init__(self, ns: str) -> None:
        t = self.t = lambda name: f"{{{ns}}}{name}"
        self.ns = ns
        self.ntry = t("Ntry")
        self.grp_hdr = t("GrpHdr")
        self.ntry_children = {
            t(n): i
            for i, n in enumerate(
                ("Amt", "CdtDbtInd", "RvslInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef",
                 "BkTxCd", "NtryDtls", "AddtlNtryInf")
            )
        }
        self.tx_children = {
            t(n): i
            for i, n in enumerate(
                ("Refs", "AmtDtls", "RltdPties", "RltdAgts", "RmtInf", "RtrInf", "AddtlTxInf",
                 "DbtrAcct", "CdtrAcct", "Amt")
            )
        }
        self.txdtls = t("TxDtls")
        self.party_children = {
            t(n): i for i, n in enumerate(("Dbtr", "DbtrAcct", "Cdtr", "CdtrAcct"))
        }
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
        tags = self.tags
        context = etree.iterparse(
            stream,
            events=("start", "end"),
            tag=(tags.t("Document"), tags.grp_hdr, self.statement_tag, tags.ntry),
            **SAFE_OPTIONS,
        )
        message_id = created_at = None
        statements: list[Afschrift] = []
        header: dict | None = None
        entries: list[Boeking] = []
        stmt_no = 0
        ntry_no = 0
        seen_message = False
        try:
            for event, el in context:
                tag = el.tag
                if tag == tags.ntry:
                    if event == "start":
                        continue
                    ntry_no += 1
                    if header is None:
                        header = self._header(el.getparent(), stmt_no)
                    entries.append(self._entry(el, header, stmt_no, ntry_no))
                    el.clear()
                    parent = el.getparent()
                    while el.getprevious() is not None:
                        del parent[0]
                elif tag == self.statement_tag:
                    if event == "start":
                        stmt_no += 1
                        ntry_no = 0
                        header = None
                        entries = []
                        continue
                    if header is None:
                        header = self._header(el, stmt_no)
                    statements.append(self._statement(header, entries))
                    el.clear()
                    header = None
                elif tag == tags.grp_hdr:
                    if event == "end":
                        message_id = _text(_child(el, tags.names["MsgId"]))
                        created_at = parse_datetime(_text(_child(el, tags.names["CreDtTm"])))
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
        if not self.allow_empty and not any(s.entries for s in statements):
            raise BankbestandGeweigerd(
                Weigercode.GEEN_BOEKINGEN,
                "Het afschrift bevat geen boekingen. Er is niets om in te lezen.",
                plaats=f"{self.root_path}/{self.statement_name}",
            )
        return Bankbestand(
            format=self.version,
            message_type=self.message_type,
            message_id=message_id,
            created_at=created_at,
            sha256=sha256(),
            statements=tuple(statements),
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
        n = self.tags.names
        id_el = _child(acct, n["Id"])
        if id_el is None:
            return None
        iban = _text(_child(id_el, n["IBAN"]))
        if iban:
            return compact(iban)
        othr = _child(id_el, n["Othr"])
        if othr is not None:
            value = _text(_child(othr, n["Id"]))
            return compact(value) if value else None
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

    def _entry(self, ntry: etree._Element, header: dict, stmt_no: int, ntry_no: int) -> Boeking:
        tags = self.tags
        n = tags.names
        kids = tags.ntry_children
        amt_el = cdi = rvsl = sts = bookg = valdt = ref = bktx = addtl = None
        dtls: list[etree._Element] = []
        for c in ntry:
            k = kids.get(c.tag)
            if k is None:
                continue
            if k == 0:
                amt_el = c
            elif k == 1:
                cdi = c.text
            elif k == 2:
                rvsl = c.text
            elif k == 3:
                sts = c.text if len(c) == 0 else _text(c[0])
            elif k == 4:
                bookg = c
            elif k == 5:
                valdt = c
            elif k == 6:
                ref = c.text
            elif k == 7:
                bktx = c
            elif k == 8:
                dtls.extend(c.iterchildren(tags.txdtls))
            else:
                addtl = c.text
        rest = f"/Ntry[{ntry_no}]"
        if amt_el is None:
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKEND_BEDRAG,
                f"Boeking {ntry_no} heeft geen bedrag (Ntry/Amt).",
                plaats=self._where(stmt_no, rest + "/Amt", ntry),
            )
        amount = parse_amount(amt_el.text, plaats=self._where(stmt_no, rest + "/Amt", amt_el))
        currency = amt_el.get("Ccy") or header["currency"]
        if currency != "EUR":
            raise BankbestandGeweigerd(
                Weigercode.ANDERE_VALUTA,
                f"Boeking {ntry_no} is niet in euro. Wij lezen alleen euro-bedragen.",
                plaats=self._where(stmt_no, rest + "/Amt/@Ccy", amt_el),
            )
        indicator = cdi.strip() if cdi else None
        if indicator == "CRDT":
            direction = Richting.CREDIT
        elif indicator == "DBIT":
            direction = Richting.DEBIT
        else:
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKENDE_RICHTING,
                f"Bij boeking {ntry_no} staat niet of het geld binnenkwam of wegging (CdtDbtInd).",
                plaats=self._where(stmt_no, rest + "/CdtDbtInd", ntry),
            )
        booking_date = self._date(bookg, stmt_no, rest + "/BookgDt", ntry_no)
        value_date = self._date(valdt, stmt_no, rest + "/ValDt", ntry_no)
        if booking_date is None:
            booking_date = value_date
        if booking_date is None:
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKENDE_DATUM,
                f"Boeking {ntry_no} heeft geen boekdatum en geen valutadatum.",
                plaats=self._where(stmt_no, rest + "/BookgDt", ntry),
            )
        details = [self._detail(tx, direction, header) for tx in dtls]
        single = details[0] if len(details) == 1 else None
        bank_reference = clean_reference(ref)
        additional_info = clean_text(addtl)
        end_to_end_id = single.end_to_end_id if single else None
        counterparty_account = single.counterparty_account if single else None
        remittance = single.remittance_unstructured if single else None
        description = " ".join(p for p in (remittance, additional_info) if p)
        return Boeking(
            index=ntry_no,
            booking_date=booking_date,
            value_date=value_date,
            amount=amount,
            currency=currency,
            direction=direction,
            status=(sts or "BOOK").strip(),
            reversal=(rvsl or "").strip() in ("true", "1"),
            counterparty_name=single.counterparty_name if single else None,
            counterparty_iban=single.counterparty_iban if single else None,
            counterparty_account=counterparty_account,
            counterparty_bic=single.counterparty_bic if single else None,
            remittance_unstructured=remittance,
            betalingskenmerk=single.betalingskenmerk if single else None,
            end_to_end_id=end_to_end_id,
            instruction_id=single.instruction_id if single else None,
            bank_reference=bank_reference,
            customer_reference=None,
            mandate_id=single.mandate_id if single else None,
            return_reason_code=single.return_reason_code if single else None,
            bank_transaction_code=self._bank_code(bktx) if bktx is not None else None,
            additional_info=additional_info,
            details=() if single else tuple(details),
            fingerprint=self.fingerprint(
                account=header["account_key"],
                booking_date=booking_date,
                value_date=value_date,
                direction=direction.value,
                amount=amount,
                currency=currency,
                bank_reference=bank_reference,
                end_to_end_id=end_to_end_id,
                counterparty_account=counterparty_account,
                description=description,
            ),
        )

    def _date(self, el, stmt_no: int, rest: str, ntry_no: int):
        if el is None:
            return None
        n = self.tags.names
        inner = _child(el, n["Dt"])
        if inner is None:
            inner = _child(el, n["DtTm"])
        if inner is None or not _text(inner):
            raise BankbestandGeweigerd(
                Weigercode.ONTBREKENDE_DATUM,
                f"Bij boeking {ntry_no} is een datumveld leeg.",
                plaats=self._where(stmt_no, rest, el),
            )
        return parse_iso_date(inner.text, plaats=self._where(stmt_no, rest, inner))

    def _bank_code(self, bktx: etree._Element) -> str | None:
        n = self.tags.names
        domn = _child(bktx, n["Domn"])
        if domn is not None:
            parts = [_text(_child(domn, n["Cd"]))]
            fmly = _child(domn, n["Fmly"])
            if fmly is not None:
                parts += [_text(_child(fmly, n["Cd"])), _text(_child(fmly, n["SubFmlyCd"]))]
            return "-".join(p for p in parts if p) or None
        prtry = _child(bktx, n["Prtry"])
        if prtry is not None:
            return _text(_child(prtry, n["Cd"]))
        return None

    def _detail(self, tx: etree._Element, direction: Richting, header: dict) -> Transactiedetail:
        tags = self.tags
        n = tags.names
        amount = None
        e2e = instr = mandate = None
        dbtr = dbtr_acct = cdtr = cdtr_acct = None
        dbtr_bic = cdtr_bic = None
        ustrd: list[str] = []
        kenmerk = None
        reason = None
        for c in tx:
            k = tags.tx_children.get(c.tag)
            if k is None:
                continue
            if k == 0:  # Refs
                for r in c:
                    if r.tag == n["EndToEndId"]:
                        e2e = r.text
                    elif r.tag == n["InstrId"]:
                        instr = r.text
                    elif r.tag == n["MndtId"]:
                        mandate = r.text
            elif k == 1:  # AmtDtls
                for kind in ("TxAmt", "InstdAmt"):
                    holder = _child(c, n[kind])
                    amt = _child(holder, n["Amt"]) if holder is not None else None
                    if amt is not None and _text(amt):
                        try:
                            amount = parse_amount(amt.text, plaats="TxDtls/AmtDtls")
                        except BankbestandGeweigerd:
                            amount = None
                        break
            elif k == 2:  # RltdPties
                for p in c:
                    pk = tags.party_children.get(p.tag)
                    if pk == 0:
                        dbtr = self._party_name(p)
                    elif pk == 1:
                        dbtr_acct = self._account_id(p)
                    elif pk == 2:
                        cdtr = self._party_name(p)
                    elif pk == 3:
                        cdtr_acct = self._account_id(p)
            elif k == 3:  # RltdAgts
                for side in ("DbtrAgt", "CdtrAgt"):
                    agent = _child(c, n[side])
                    fin = _child(agent, n["FinInstnId"]) if agent is not None else None
                    if fin is not None:
                        bic = _text(_child(fin, n["BIC"])) or _text(_child(fin, n["BICFI"]))
                        if side == "DbtrAgt":
                            dbtr_bic = bic
                        else:
                            cdtr_bic = bic
            elif k == 4:  # RmtInf
                for r in c:
                    if r.tag == n["Ustrd"]:
                        if r.text and r.text.strip():
                            ustrd.append(r.text.strip())
                    elif r.tag == n["Strd"]:
                        for s in r:
                            if s.tag == n["CdtrRefInf"] and kenmerk is None:
                                kenmerk = _text(_child(s, n["Ref"]))
                            elif s.tag == n["AddtlRmtInf"] and s.text and s.text.strip():
                                ustrd.append(s.text.strip())
            elif k == 5:  # RtrInf
                rsn = _child(c, n["Rsn"])
                if rsn is not None:
                    reason = _text(_child(rsn, n["Cd"])) or _text(_child(rsn, n["Prtry"]))
            elif k == 7 and dbtr_acct is None:  # DbtrAcct directly under TxDtls (lenient)
                dbtr_acct = self._account_id(c)
            elif k == 8 and cdtr_acct is None:  # CdtrAcct directly under TxDtls (lenient)
                cdtr_acct = self._account_id(c)
        if direction is Richting.CREDIT:
            name, account, bic = dbtr, dbtr_acct, dbtr_bic
            other_name, other_account, other_bic = cdtr, cdtr_acct, cdtr_bic
        else:
            name, account, bic = cdtr, cdtr_acct, cdtr_bic
            other_name, other_account, other_bic = dbtr, dbtr_acct, dbtr_bic
        own = header["account_key"]
        if account is None and other_account is not None and compact(other_account) != own:
            account, bic = other_account, bic or other_bic
        if name is None:
            name = other_name
        e2e = clean_reference(e2e)
        return Transactiedetail(
            amount=amount,
            end_to_end_id=e2e,
            instruction_id=clean_reference(instr),
            mandate_id=clean_reference(mandate),
            counterparty_name=clean_text(name),
            counterparty_iban=valid_iban(account),
            counterparty_account=account,
            counterparty_bic=valid_bic(bic),
            remittance_unstructured=clean_text(" ".join(ustrd)) if ustrd else None,
            betalingskenmerk=compact(kenmerk) if kenmerk else None,
            return_reason_code=reason,
        )

    def _party_name(self, party: etree._Element) -> str | None:
        n = self.tags.names
        name = _text(_child(party, n["Nm"]))
        if name is None:
            pty = _child(party, n["Pty"])  # camt.053.001.08 and later
            if pty is not None:
                name = _text(_child(pty, n["Nm"]))
        return name


def read_camt(
    stream: BinaryIO,
    *,
    root: Root,
    expected_iban: str | None,
    allow_empty: bool,
    sha256,
) -> Bankbestand:
    message_type, version = camt_version(root)
    expected_element = MESSAGES[message_type][0]
    if root.first_child is not None and root.first_child != expected_element:
        raise BankbestandGeweigerd(
            Weigercode.KAPOT_BESTAND,
            f"Een {message_type}-bestand begint met {expected_element}, dit bestand niet.",
            plaats=f"/Document/{root.first_child}",
        )
    reader = CamtReader(
        namespace=root.namespace or "",
        message_type=message_type,
        version=version,
        expected_iban=expected_iban,
        allow_empty=allow_empty,
    )
    return reader.read(stream, sha256)


__all__ = ["read_camt", "camt_version", "SUPPORTED_VERSIONS"]
