"""Payment status reports (pain.002.001.03 up to .14): accepted or rejected, per payment."""

from __future__ import annotations

import re
from typing import BinaryIO

from lxml import etree

from ._util import clean_text, open_input
from ._xml import SAFE_OPTIONS, parse_datetime, read_root, refuse_dtd_in, syntax_refusal
from .errors import BankbestandGeweigerd, Weigercode
from .types import Betaalstatus, Statusrapport

PAIN002_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.(\d{2})")
SUPPORTED_VERSIONS = range(3, 15)


def _reason(el: etree._Element | None, ns: dict) -> tuple[str | None, str | None]:
    """(reason code, additional info) from the first StsRsnInf under ``el``."""
    if el is None:
        return None, None
    info = el.find("p:StsRsnInf", ns)
    if info is None:
        return None, None
    code = info.findtext("p:Rsn/p:Cd", namespaces=ns) or info.findtext("p:Rsn/p:Prtry", namespaces=ns)
    extra = " ".join((t.text or "").strip() for t in info.findall("p:AddtlInf", ns)) or None
    return (code.strip() if code else None), clean_text(extra)


def parse_status_report(data: bytes | BinaryIO) -> Statusrapport:
    """Read a pain.002 customer payment status report.

    Each transaction gets the status of its own ``TxSts``, or else of its payment
    information block, or else of the group. Refuses files that are not pain.002
    (``onbekend_formaat``), unsafe XML and broken files.
    """
    head, stream = open_input(data)
    root = read_root(head)
    match = PAIN002_RE.fullmatch(root.namespace or "")
    if match is None or root.localname != "Document":
        raise BankbestandGeweigerd(
            Weigercode.ONBEKEND_FORMAAT,
            "Dit bestand is geen statusrapport van de bank (pain.002).",
            plaats="/" + root.localname,
        )
    version_number = int(match.group(1))
    if version_number not in SUPPORTED_VERSIONS:
        raise BankbestandGeweigerd(
            Weigercode.NIET_ONDERSTEUNDE_VERSIE,
            f"Dit statusrapport heeft versie {version_number:02d}. Wij lezen versie 03 tot en met 14.",
            plaats="/Document/@xmlns",
        )
    try:
        document = etree.fromstring(stream.read(), etree.XMLParser(**SAFE_OPTIONS))
    except etree.XMLSyntaxError as error:
        raise syntax_refusal(error) from None
    refuse_dtd_in(document)
    ns = {"p": root.namespace}
    report = document.find("p:CstmrPmtStsRpt", ns)
    if report is None:
        raise BankbestandGeweigerd(
            Weigercode.KAPOT_BESTAND, "Het statusrapport mist CstmrPmtStsRpt.", plaats="/Document"
        )
    message_id = report.findtext("p:GrpHdr/p:MsgId", namespaces=ns)
    group = report.find("p:OrgnlGrpInfAndSts", ns)
    original_message_id = group.findtext("p:OrgnlMsgId", namespaces=ns) if group is not None else None
    if not message_id or not original_message_id:
        raise BankbestandGeweigerd(
            Weigercode.ONTBREKENDE_REFERENTIE,
            "In het statusrapport staat niet over welk betaalbestand het gaat (OrgnlMsgId).",
            plaats="/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgId",
        )
    group_status = (group.findtext("p:GrpSts", namespaces=ns) or "").strip() or None
    group_reason, _ = _reason(group, ns)
    infos: list[tuple[str, str | None, str | None]] = []
    transactions: list[Betaalstatus] = []
    for block_no, block in enumerate(report.findall("p:OrgnlPmtInfAndSts", ns), 1):
        info_id = (block.findtext("p:OrgnlPmtInfId", namespaces=ns) or "").strip()
        info_status = (block.findtext("p:PmtInfSts", namespaces=ns) or "").strip() or None
        info_reason, _ = _reason(block, ns)
        infos.append((info_id, info_status, info_reason))
        for tx_no, tx in enumerate(block.findall("p:TxInfAndSts", ns), 1):
            status = (tx.findtext("p:TxSts", namespaces=ns) or "").strip() or info_status or group_status
            if not status:
                raise BankbestandGeweigerd(
                    Weigercode.KAPOT_BESTAND,
                    "Bij een betaling in het statusrapport staat geen status.",
                    plaats=f"OrgnlPmtInfAndSts[{block_no}]/TxInfAndSts[{tx_no}]",
                )
            code, extra = _reason(tx, ns)
            transactions.append(
                Betaalstatus(
                    end_to_end_id=clean_text(tx.findtext("p:OrgnlEndToEndId", namespaces=ns)),
                    original_instruction_id=clean_text(tx.findtext("p:OrgnlInstrId", namespaces=ns)),
                    original_payment_information_id=info_id or None,
                    status=status,
                    reason_code=code or info_reason or group_reason,
                    additional_info=extra,
                )
            )
    return Statusrapport(
        version=f"pain.002.001.{version_number:02d}",
        message_id=message_id.strip(),
        created_at=parse_datetime(report.findtext("p:GrpHdr/p:CreDtTm", namespaces=ns)),
        original_message_id=original_message_id.strip(),
        original_message_type=clean_text(group.findtext("p:OrgnlMsgNmId", namespaces=ns)),
        group_status=group_status,
        group_reason_code=group_reason,
        payment_information_statuses=tuple(infos),
        transactions=tuple(transactions),
    )
