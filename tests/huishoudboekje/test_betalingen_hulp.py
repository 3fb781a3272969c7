"""Helpers for the payment tests: a fixed 'today', a pain.002 writer, the fixture XSD.
(No tests here; the name keeps it with the payment tests.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

# Monday 23 November 2026: the date the payment tests plan from.
VANDAAG = date(2026, 11, 23)

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "huishoudboekje-utrecht"


@pytest.fixture
def vast_vandaag(monkeypatch):
    """timezone.localdate() is VANDAAG (batch dates may not lie in the past)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: VANDAAG)
    return VANDAAG


def fixture_xsd(naam: str) -> Path:
    pad = FIXTURES / "huishoudboekje_services/FileServices.Tests/Services/PaymentInstructionServices" / naam
    if not pad.is_file():
        pytest.skip(f"fixture {naam} is not here (it sits beside the repository in CI)")
    return pad


def pain002(
    bericht: str,
    transacties: list[tuple[str, str, str | None]],
    *,
    groep: str = "PART",
    groep_reden: str | None = None,
) -> bytes:
    """A pain.002.001.10 report on message ``bericht``: (end-to-end id, status, reason)."""
    regels = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
        + (f"<StsRsnInf><Rsn><Cd>{reden}</Cd></Rsn></StsRsnInf>" if reden else "")
        + "</TxInfAndSts>"
        for e2e, status, reden in transacties
    )
    groep_rsn = f"<StsRsnInf><Rsn><Cd>{groep_reden}</Cd></Rsn></StsRsnInf>" if groep_reden else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STATUS-1</MsgId><CreDtTm>2026-12-01T07:00:00+01:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>{bericht}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <GrpSts>{groep}</GrpSts>{groep_rsn}
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts><OrgnlPmtInfId>{bericht}-1</OrgnlPmtInfId>{regels}</OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>""".encode()
