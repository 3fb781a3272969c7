"""Every bank statement file in shared/fixtures/huishoudboekje-utrecht/ through
``bankbestand_inlezen``: imported with the right number of lines and amounts, or refused
with the right reason and nothing booked.

The expected values are the bank-format library's table (tests/contrib/bankformaten/
test_fixtures.py, which derives them from the files without our parser); this test reuses
that table. The tussenrekening of each import is the file's own account (the row's
account when the table gives one, else the account named in the file), so a refusal is
for the reason in the table and not for "another account".
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from lxml import etree
from schwifty import IBAN

from perspectief.huishoudboekje import grootboek
from perspectief.huishoudboekje.constants import BestandStatus, Richting
from perspectief.huishoudboekje.inlezen import bankbestand_inlezen
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Journaalpost, Mutatie

from ..contrib.bankformaten.conftest import read_fixture
from ..contrib.bankformaten.test_fixtures import TABLE, Parsed
from .factories import BudgetbeheerderFactory, TussenrekeningFactory

_IBAN_IN_ACCT = re.compile(rb"<Acct>\s*<Id>\s*<IBAN>\s*([A-Z0-9]+)\s*</IBAN>", re.DOTALL)
_OTHR_IN_ACCT = re.compile(rb"<Acct>\s*<Id>\s*<Othr>\s*<Id>\s*([0-9]+)\s*</Id>", re.DOTALL)
_MT940_25 = re.compile(rb"^:25:\s*([A-Z0-9]+)", re.MULTILINE)


def rekening_van_bestand(data: bytes, gegeven: str | None) -> str:
    """The IBAN to give the tussenrekening: the table's account, else the one in the file
    (an old Dutch account number as its ABN AMRO IBAN; the parser compares the last ten
    digits), else the factory's account (files that name none)."""
    if gegeven:
        return gegeven
    for pattern in (_IBAN_IN_ACCT, _MT940_25, _OTHR_IN_ACCT):
        found = pattern.search(data)
        if found:
            value = found.group(1).decode()
            if value[:2].isalpha():
                return value.split("EUR")[0] if not value.endswith("EUR") else value[:-3]
            return str(IBAN.generate("NL", bank_code="ABNA", account_code=value.zfill(10)))
    return "NL36ABNA5632579034"


def gesplitste_extra(data: bytes) -> int:
    """How many lines more than entries the import stores: a batch entry (several TxDtls)
    whose transaction amounts add up to the entry becomes one line per transaction. Read
    with a plain lxml tree walk, not with the parser."""
    if not data.lstrip().startswith(b"<"):
        return 0
    root = etree.fromstring(data)
    extra = 0
    for ntry in root.iter("{*}Ntry"):
        txs = ntry.findall("{*}NtryDtls/{*}TxDtls")
        if len(txs) < 2:
            continue
        amounts = []
        for tx in txs:
            amt = tx.find("{*}AmtDtls/{*}TxAmt/{*}Amt")
            if amt is None:
                amt = tx.find("{*}AmtDtls/{*}InstdAmt/{*}Amt")
            amounts.append(Decimal(amt.text) if amt is not None else None)
        if all(amounts) and sum(amounts) == Decimal(ntry.find("{*}Amt").text):
            extra += len(txs) - 1
    return extra


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("relative", "expected_iban", "outcome"), TABLE, ids=[row[0] for row in TABLE]
)
def test_fixture_through_the_import(relative: str, expected_iban: str | None, outcome) -> None:
    data = read_fixture(relative)
    tussenrekening = TussenrekeningFactory(iban=rekening_van_bestand(data, expected_iban))
    bb = bankbestand_inlezen(
        actor=BudgetbeheerderFactory(),
        tussenrekening=tussenrekening,
        bestandsnaam=relative.rsplit("/", 1)[-1],
        inhoud=data,
    )
    if not isinstance(outcome, Parsed):
        assert (bb.status, bb.weigercode) == (BestandStatus.GEWEIGERD, str(outcome))
        assert bb.melding
        assert Banktransactie.objects.count() == 0
        assert Journaalpost.objects.count() == 0
        return
    assert bb.status == BestandStatus.KLAAR, bb.melding
    regels = outcome.entries + gesplitste_extra(data)
    assert (bb.formaat, bb.aantal_boekingen, bb.nieuw, bb.al_bekend) == (
        outcome.format,
        regels,
        regels,
        0,
    )
    lines = Banktransactie.objects.filter(bankbestand=bb)
    credit = sum((t.bedrag for t in lines if t.richting == Richting.INKOMEN), Decimal("0.00"))
    debit = sum((t.bedrag for t in lines if t.richting == Richting.UITGAVE), Decimal("0.00"))
    assert (lines.count(), credit, debit) == (regels, outcome.credit, outcome.debit)
    bank, onverdeeld = grootboek.systeemrekeningen(tussenrekening)
    bank.refresh_from_db()
    onverdeeld.refresh_from_db()
    # No afspraken: every line is open, on ONVERDEELD.
    assert bank.tegoed == credit - debit
    assert onverdeeld.tegoed == credit - debit
    assert Mutatie.objects.filter(banktransactie__isnull=False).count() == 0
    assert grootboek.controleren() == []


@pytest.mark.django_db
def test_table_is_the_libraries_table() -> None:
    # 70 read + 19 refused (docs/bankformaten.md, "Fixture results").
    assert (len(TABLE), sum(isinstance(row[2], Parsed) for row in TABLE)) == (89, 70)
    assert Bankbestand.objects.count() == 0
