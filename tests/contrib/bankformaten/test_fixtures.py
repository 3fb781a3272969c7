"""Every bank statement file in shared/fixtures/huishoudboekje-utrecht/, table-driven.

Expected values come from reading the files themselves, two ways that do not use this
package: for MT940 the number of ``:61:`` fields and the sum of their amounts split by
C/D (a regular expression over the file, which also counts BNG's ``:61:`` that starts
mid-line, see below); for CAMT an lxml tree walk counting ``Ntry`` elements and summing
``Ntry/Amt`` by ``CdtDbtInd``. The MT940 figures also agree with the ``mt-940`` package
(5.1.1) except for BNG.txt, where it misses the mid-line entry; there opening balance
-20,000.00 + 213,000.00 - 22,400.00 = closing balance 170,600.00 proves 14 entries.
A refusal row names the reason; the comment says what is wrong in the file.

The test ``test_every_statement_file_is_in_the_table`` fails when a file is added to the
fixture folder without a row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from perspectief.contrib.bankformaten import BankbestandGeweigerd, Richting, Weigercode, parse_statement

from .conftest import read_fixture

UTRECHT = "NL36ABNA5632579034"  # the seeded tussenrekening in Utrecht's CAMT scenario files
BNG_PERSONA = "NL66BNGH0123456789"  # :25: of the MT940 persona files
OTHER_ACCOUNT = "NL93RABO0987654321"  # a valid IBAN that no fixture uses

# Files in the fixture folder that are not bank statements.
NOT_STATEMENTS = {
    "NOTICE.md",
    "sampleData/import.json",
    "services/grootboek_service/data/RGS-3.2-6-december-2019.csv",
    "huishoudboekje_services/FileServices.Tests/Services/PaymentInstructionServices/pain.001.001.03.xsd",
}


@dataclass(frozen=True)
class Parsed:
    format: str
    entries: int
    credit: Decimal
    debit: Decimal


def parsed(format: str, *, entries: int, credit: str, debit: str) -> Parsed:
    return Parsed(format, entries, Decimal(credit), Decimal(debit))


def refused(code: Weigercode) -> Weigercode:
    return code


CSM = "backend/tests/graphql/mutations/customer_statement_messages/"
CAMT_TESTS = "huishoudboekje_services/BankServices.Tests/CsmServicesTests/CamtTestFiles/"
VB = "voorbeeldbankafschriften/"
MT = "voorbeeldbankafschriften/MT940/"

TABLE = [
    (CSM + "ABN.txt", None, parsed("mt940", entries=1, credit="500.01", debit="0.00")),
    (
        CSM + "Anoniem.xml",
        None,
        parsed("camt.053.001.02", entries=23, credit="3071.75", debit="6801.56"),
    ),
    # one :61: starts mid-line after :86: text; balance proves 14
    (CSM + "BNG.txt", None, parsed("mt940", entries=14, credit="213000.00", debit="22400.00")),
    (
        CSM + "CAMT_ABN.xml",
        None,
        parsed("camt.053.001.02", entries=13, credit="28.00", debit="928.00"),
    ),
    # XXE attack: DOCTYPE with a SYSTEM entity
    (CSM + "CAMT_DANGEROUS.xml", None, refused(Weigercode.ONVEILIGE_XML)),
    (
        CSM + "CAMT_ING.xml",
        None,
        parsed("camt.053.001.02", entries=9, credit="990.00", debit="385.00"),
    ),
    (
        CSM + "CAMT_RABO.xml",
        None,
        parsed("camt.053.001.02", entries=6, credit="0.01", debit="0.17"),
    ),
    (CSM + "ING.txt", None, parsed("mt940", entries=8, credit="36.58", debit="134.46")),
    # the text "test"
    (CSM + "incorrect.txt", None, refused(Weigercode.ONBEKEND_FORMAAT)),
    # a pain.001 payment file, not a statement
    (CSM + "incorrect.xml", None, refused(Weigercode.ONBEKEND_FORMAAT)),
    # one line of plain text
    (CSM + "test.txt", None, refused(Weigercode.ONBEKEND_FORMAAT)),
    (
        CAMT_TESTS + "camt053_AccountIdentification_Iban.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    # account as Othr/Id 105084986
    (
        CAMT_TESTS + "camt053_AccountIdentification_Id.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    # Acct/Id is empty
    (
        CAMT_TESTS + "camt053_AccountIdentification_Missing.xml",
        None,
        refused(Weigercode.ONTBREKEND_REKENINGNUMMER),
    ),
    (
        CAMT_TESTS + "camt053_TransactionReference.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    # Stmt/Id is missing
    (
        CAMT_TESTS + "camt053_TransactionReference_Missing.xml",
        None,
        refused(Weigercode.ONTBREKENDE_REFERENTIE),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_One.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_One_Amount_Negative.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="145.45"),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_One_Amount_Positive.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="123.79", debit="0.00"),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_One_CrdtAccount.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_One_DbitAccount.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    # Ntry/CdtDbtInd is missing
    (
        CAMT_TESTS + "camt053_Transactions_One_MissingCdtDbtInd.xml",
        None,
        refused(Weigercode.ONTBREKENDE_RICHTING),
    ),
    # ValDt has no Dt
    (
        CAMT_TESTS + "camt053_Transactions_One_MissingDate.xml",
        None,
        refused(Weigercode.ONTBREKENDE_DATUM),
    ),
    # no Ustrd, EndToEndId or AddtlNtryInf: still a valid entry
    (
        CAMT_TESTS + "camt053_Transactions_One_MissingDescriptions.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    # no Ntry/Amt
    (
        CAMT_TESTS + "camt053_Transactions_One_Missing_Amount.xml",
        None,
        refused(Weigercode.ONTBREKEND_BEDRAG),
    ),
    # no Ntry/Amt and no CdtDbtInd
    (
        CAMT_TESTS + "camt053_Transactions_One_Missing_AmountAndCdtDbtInd.xml",
        None,
        refused(Weigercode.ONTBREKEND_BEDRAG),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_One_NoAccount.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_One_OnlyFirstTag_Amount.xml",
        None,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="148.45"),
    ),
    # amount only in TxDtls, Ntry/Amt (mandatory) missing
    (
        CAMT_TESTS + "camt053_Transactions_One_OnlyTxtAmntTag_Amount.xml",
        None,
        refused(Weigercode.ONTBREKEND_BEDRAG),
    ),
    (
        CAMT_TESTS + "camt053_Transactions_Two.xml",
        None,
        parsed("camt.053.001.02", entries=2, credit="1042.59", debit="149.45"),
    ),
    # Ntry[2]/Amt is -148.45: the schema allows no sign
    (CAMT_TESTS + "camt_50_transacties_28-7-2023.xml", None, refused(Weigercode.ONGELDIG_BEDRAG)),
    (
        CAMT_TESTS + "correctCamtType.xml",
        None,
        parsed("camt.053.001.02", entries=19, credit="0.00", debit="380.00"),
    ),
    # namespace camt.050, not a statement
    (CAMT_TESTS + "incorrectCamtType.xml", None, refused(Weigercode.ONBEKEND_FORMAAT)),
    (
        VB + "Basic_bank_transaction_CAMT.053_v1.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="1251.26", debit="0.00"),
    ),
    (
        VB + "Duplicate_bank_transaction_1_CAMT.053_v1.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="123.45"),
    ),
    (
        VB + "Duplicate_bank_transaction_2_CAMT.053_v1.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="123.45"),
    ),
    # a statement without Ntry
    (
        VB + "Empty_customer_statement_message_CAMT.053_v2.xml",
        UTRECHT,
        refused(Weigercode.GEEN_BOEKINGEN),
    ),
    (
        VB + "Interbank_transaction_CAMT.053_v1.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="281.94"),
    ),
    (
        MT + "Banktransacties persona 1 aanvullende uitkering.txt",
        BNG_PERSONA,
        parsed("mt940", entries=72, credit="10644.48", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 betaalde huur.txt",
        BNG_PERSONA,
        parsed("mt940", entries=72, credit="0.00", debit="46609.20"),
    ),
    (
        MT + "Banktransacties persona 1 elektriciteit.txt",
        BNG_PERSONA,
        parsed("mt940", entries=72, credit="0.00", debit="13428.00"),
    ),
    (
        MT + "Banktransacties persona 1 en 3 loon.txt",
        BNG_PERSONA,
        parsed("mt940", entries=1, credit="765.32", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 huurtoeslag.txt",
        BNG_PERSONA,
        parsed("mt940", entries=72, credit="23184.00", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 kindgebonden budget.txt",
        BNG_PERSONA,
        parsed("mt940", entries=72, credit="28152.00", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 leefgeld - 5000 banktransacties.txt",
        BNG_PERSONA,
        parsed("mt940", entries=5040, credit="0.00", debit="4737297.60"),
    ),
    (
        MT + "Banktransacties persona 1 leefgeld.txt",
        BNG_PERSONA,
        parsed("mt940", entries=72, credit="0.00", debit="1800.00"),
    ),
    (
        MT + "Banktransacties persona 1 loon en salaris.txt",
        BNG_PERSONA,
        parsed("mt940", entries=1, credit="765.32", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 loon.txt",
        BNG_PERSONA,
        parsed("mt940", entries=22, credit="16829.04", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 loon_maart_dubbel.txt",
        BNG_PERSONA,
        parsed("mt940", entries=2, credit="1530.64", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 salaris.txt",
        BNG_PERSONA,
        parsed("mt940", entries=1, credit="765.32", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 1 water.txt",
        BNG_PERSONA,
        parsed("mt940", entries=24, credit="0.00", debit="998.64"),
    ),
    (
        MT + "Banktransacties persona 1 zorgtoeslag.txt",
        BNG_PERSONA,
        parsed("mt940", entries=72, credit="7704.00", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 aanvullende uitkering.txt",
        BNG_PERSONA,
        parsed("mt940", entries=36, credit="3774.60", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 betaalde huur.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="0.00", debit="34246.20"),
    ),
    (
        MT + "Banktransacties persona 2 elektriciteit.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="0.00", debit="7320.00"),
    ),
    (
        MT + "Banktransacties persona 2 en 3 loon.txt",
        BNG_PERSONA,
        parsed("mt940", entries=1, credit="765.32", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 huurtoeslag.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="17160.00", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 inboedelverzekering.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="0.00", debit="1171.20"),
    ),
    (
        MT + "Banktransacties persona 2 leefgeld.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="0.00", debit="71712.00"),
    ),
    (
        MT + "Banktransacties persona 2 loon en salaris.txt",
        BNG_PERSONA,
        parsed("mt940", entries=1, credit="1669.12", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 loon.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="100147.20", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 mobiele telefonie.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="0.00", debit="1800.00"),
    ),
    (
        MT + "Banktransacties persona 2 salaris.txt",
        BNG_PERSONA,
        parsed("mt940", entries=1, credit="1669.12", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 vaste lasten pakket.txt",
        BNG_PERSONA,
        parsed("mt940", entries=36, credit="1080.00", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 vaste telefonie en internet.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="0.00", debit="3772.80"),
    ),
    (
        MT + "Banktransacties persona 2 water.txt",
        BNG_PERSONA,
        parsed("mt940", entries=20, credit="0.00", debit="915.40"),
    ),
    (
        MT + "Banktransacties persona 2 zorgtoeslag.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="6420.00", debit="0.00"),
    ),
    (
        MT + "Banktransacties persona 2 zorgverzekering.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="0.00", debit="10880.40"),
    ),
    # line 106 has value date 230235 (35 February)
    (MT + "Banktransacties persona 3 loon.txt", BNG_PERSONA, refused(Weigercode.ONGELDIGE_DATUM)),
    (
        MT + "Banktransacties signaal triggeren.txt",
        BNG_PERSONA,
        parsed("mt940", entries=60, credit="6420.00", debit="0.00"),
    ),
    (
        MT + "Banktransacties_persona_1_aanvullende_uitkering__totaalbedrag_75_.txt",
        BNG_PERSONA,
        parsed("mt940", entries=2, credit="75.00", debit="0.00"),
    ),
    (MT + "MT940-ABN.txt", None, parsed("mt940", entries=1, credit="500.01", debit="0.00")),
    # same file as BNG.txt
    (MT + "MT940-BNG.txt", None, parsed("mt940", entries=14, credit="213000.00", debit="22400.00")),
    (
        MT + "MT940-Banktransacties2020.txt",
        None,
        parsed("mt940", entries=25, credit="10200.00", debit="6680.00"),
    ),
    (MT + "MT940-ING.txt", None, parsed("mt940", entries=8, credit="36.58", debit="134.46")),
    # the text "test"
    (MT + "MT940-incorrect.txt", None, refused(Weigercode.ONBEKEND_FORMAAT)),
    # Ntry/Amt is -1251.26
    (VB + "Negative_amount_CAMT.053_v1.xml", UTRECHT, refused(Weigercode.ONGELDIG_BEDRAG)),
    (
        VB + "Payment_mandate_CAMT.053_v1.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="654.32"),
    ),
    (
        VB + "Persona 1/Persona 1 Periode 202407 CAMT.053.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=9, credit="1733.16", debit="1063.96"),
    ),
    (
        VB + "Persona 1/Persona 1 Periode 202408 CAMT.053.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=8, credit="1733.16", debit="1022.35"),
    ),
    (
        VB + "Persona 1/Persona 1 Periode 202409 CAMT.053.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=8, credit="1733.16", debit="1022.35"),
    ),
    (
        VB + "Persona 1/Persona 1 Periode 202410 CAMT.053.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=9, credit="1733.16", debit="1063.96"),
    ),
    (
        VB + "Unknown_iban_CAMT.053_v1.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="123.45"),
    ),
    # Acct/Id/IBAN NL79ABNA0154829277
    (
        VB + "Wrong_bank_account_iban_CAMT.053_v1.xml",
        UTRECHT,
        refused(Weigercode.ANDER_REKENINGNUMMER),
    ),
    # namespace camt.053.001.01
    (VB + "Wrong_format_CAMT.053_v1.xml", UTRECHT, refused(Weigercode.NIET_ONDERSTEUNDE_VERSIE)),
    (
        VB + "camt onbekende iban copy.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="123.45"),
    ),
    (
        VB + "camt onbekende iban.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="123.45"),
    ),
    (
        VB + "camt053-kosten-betalingsverkeer-20231130.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=1, credit="0.00", debit="281.94"),
    ),
    # CdtrAcct directly under TxDtls: read leniently
    (
        VB + "correcte_format_camt_generator.xml",
        UTRECHT,
        parsed("camt.053.001.02", entries=4, credit="1000.00", debit="0.00"),
    ),
]


@pytest.mark.parametrize(("relative", "expected_iban", "outcome"), TABLE, ids=[row[0] for row in TABLE])
def test_fixture(relative: str, expected_iban: str | None, outcome) -> None:
    data = read_fixture(relative)
    if isinstance(outcome, Weigercode):
        with pytest.raises(BankbestandGeweigerd) as refusal:
            parse_statement(data, expected_iban=expected_iban)
        assert refusal.value.code is outcome
        assert refusal.value.bericht
        return
    result = parse_statement(data, expected_iban=expected_iban)
    entries = result.entries
    assert result.format == outcome.format
    assert len(entries) == outcome.entries
    credit = sum((e.amount for e in entries if e.direction is Richting.CREDIT), Decimal("0.00"))
    debit = sum((e.amount for e in entries if e.direction is Richting.DEBIT), Decimal("0.00"))
    assert credit == outcome.credit
    assert debit == outcome.debit
    assert len({e.fingerprint for e in entries}) == len(entries)


def test_every_statement_file_is_in_the_table(fixtures_dir) -> None:
    on_disk = {
        str(path.relative_to(fixtures_dir))
        for path in fixtures_dir.rglob("*")
        if path.is_file()
    } - NOT_STATEMENTS
    in_table = {row[0] for row in TABLE}
    assert sorted(on_disk - in_table) == [], "new fixture files: add a row to TABLE"
    assert sorted(in_table - on_disk) == [], "rows for files that are gone"
    assert len(TABLE) == len(in_table) == 89


PARSED_ROWS = [row for row in TABLE if isinstance(row[2], Parsed)]


@pytest.mark.parametrize("relative", [row[0] for row in PARSED_ROWS])
def test_parsed_fixture_is_refused_for_another_account(relative: str) -> None:
    with pytest.raises(BankbestandGeweigerd) as refusal:
        parse_statement(read_fixture(relative), expected_iban=OTHER_ACCOUNT)
    assert refusal.value.code is Weigercode.ANDER_REKENINGNUMMER


def test_file_object_gives_the_same_result_as_bytes(fixtures_dir) -> None:
    relative = VB + "Persona 1/Persona 1 Periode 202407 CAMT.053.xml"
    from_bytes = parse_statement(read_fixture(relative))
    with (fixtures_dir / relative).open("rb") as handle:
        from_file = parse_statement(handle)
    assert from_file == from_bytes
