"""Small CAMT documents for tests (the benchmark has its own large-file writer)."""

from __future__ import annotations

from xml.sax.saxutils import escape

ACCOUNT = "NL36ABNA5632579034"


def camt_entry(
    amount: str = "12.34",
    indicator: str = "CRDT",
    booking_date: str = "2026-01-05",
    *,
    name: str = "Werkgever B.V.",
    iban: str = "NL91ABNA0417164300",
    remittance: str = "Loon januari",
    end_to_end_id: str = "E2E-1",
    reference: str = "REF-1",
    party_v08: bool = False,
) -> str:
    side = "Dbtr" if indicator == "CRDT" else "Cdtr"
    party = f"<Pty><Nm>{escape(name)}</Nm></Pty>" if party_v08 else f"<Nm>{escape(name)}</Nm>"
    return (
        f"<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{booking_date}</Dt></BookgDt><ValDt><Dt>{booking_date}</Dt></ValDt>"
        f"<AcctSvcrRef>{reference}</AcctSvcrRef>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{end_to_end_id}</EndToEndId></Refs>"
        f"<RltdPties><{side}>{party}</{side}><{side}Acct><Id><IBAN>{iban}</IBAN></Id></{side}Acct></RltdPties>"
        f"<RmtInf><Ustrd>{escape(remittance)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )


def camt_document(
    entries: list[str],
    *,
    message: str = "camt.053",
    version: str = "02",
    account: str = ACCOUNT,
    statement_id: str = "STMT-1",
    message_id: str = "MSG-1",
) -> bytes:
    element, statement = {
        "camt.053": ("BkToCstmrStmt", "Stmt"),
        "camt.052": ("BkToCstmrAcctRpt", "Rpt"),
        "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
    }[message]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{message}.001.{version}">'
        f"<{element}><GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>2026-01-05T10:00:00</CreDtTm></GrpHdr>"
        f"<{statement}><Id>{statement_id}</Id><ElctrncSeqNb>7</ElctrncSeqNb>"
        f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f'<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt>'
        f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-04</Dt></Dt></Bal>"
        + "".join(entries)
        + f"</{statement}></{element}></Document>"
    ).encode()
