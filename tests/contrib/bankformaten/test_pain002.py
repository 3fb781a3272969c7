"""pain.002 payment status reports: accepted and rejected per end-to-end id."""

from __future__ import annotations

import pytest

from perspectief.contrib.bankformaten import BankbestandGeweigerd, Weigercode, parse_status_report


def report(version: str = "03", transactions: str = "", group: str = "<GrpSts>PART</GrpSts>") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.{version}">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STATUS-1</MsgId><CreDtTm>2026-12-24T07:00:00+01:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>HHB-20261223-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>{group}
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>HHB-20261223-1-1</OrgnlPmtInfId>
      {transactions}
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>""".encode()


TRANSACTIONS = """
      <TxInfAndSts><OrgnlEndToEndId>HHB-1</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>
      <TxInfAndSts>
        <OrgnlInstrId>I-2</OrgnlInstrId><OrgnlEndToEndId>HHB-2</OrgnlEndToEndId><TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Rekening opgeheven</AddtlInf></StsRsnInf>
      </TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>HHB-3</OrgnlEndToEndId><TxSts>PDNG</TxSts></TxInfAndSts>
"""


@pytest.mark.parametrize("version", ["03", "10", "14"])
def test_status_per_end_to_end_id(version: str) -> None:
    result = parse_status_report(report(version, TRANSACTIONS))
    assert result.version == f"pain.002.001.{version}"
    assert (result.message_id, result.original_message_id) == ("STATUS-1", "HHB-20261223-1")
    assert result.original_message_type == "pain.001.001.09"
    assert result.group_status == "PART"
    by_id = {t.end_to_end_id: t for t in result.transactions}
    assert [by_id[e].accepted for e in ("HHB-1", "HHB-2", "HHB-3")] == [True, False, None]
    assert by_id["HHB-2"].reason_code == "AC04"
    assert by_id["HHB-2"].additional_info == "Rekening opgeheven"
    assert by_id["HHB-2"].original_instruction_id == "I-2"
    assert by_id["HHB-2"].original_payment_information_id == "HHB-20261223-1-1"


def test_whole_file_rejected_without_transactions() -> None:
    group = "<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf>"
    result = parse_status_report(report(group=group))
    assert result.group_accepted is False
    assert result.group_reason_code == "FF01"
    assert result.transactions == ()
    assert result.payment_information_statuses == (("HHB-20261223-1-1", None, None),)


def test_transaction_inherits_the_block_status() -> None:
    data = report(group="", transactions="<PmtInfSts>RJCT</PmtInfSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf>"
                  "<TxInfAndSts><OrgnlEndToEndId>HHB-9</OrgnlEndToEndId></TxInfAndSts>")
    (only,) = parse_status_report(data).transactions
    assert (only.status, only.accepted, only.reason_code) == ("RJCT", False, "AM04")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Weigercode.LEEG_BESTAND),
        (report().replace(b"pain.002.001.03", b"pain.001.001.03"), Weigercode.ONBEKEND_FORMAAT),
        (report().replace(b"pain.002.001.03", b"pain.002.001.02"), Weigercode.NIET_ONDERSTEUNDE_VERSIE),
        (report().replace(b"<OrgnlMsgId>HHB-20261223-1</OrgnlMsgId>", b""), Weigercode.ONTBREKENDE_REFERENTIE),
        (report(transactions="<TxInfAndSts><OrgnlEndToEndId>X</OrgnlEndToEndId></TxInfAndSts>", group=""),
         Weigercode.KAPOT_BESTAND),
        (report()[:-40], Weigercode.KAPOT_BESTAND),
        (b"<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>" + report()[39:], Weigercode.ONVEILIGE_XML),
    ],
)
def test_refusals(data: bytes, code: Weigercode) -> None:
    with pytest.raises(BankbestandGeweigerd) as caught:
        parse_status_report(data)
    assert caught.value.code is code
