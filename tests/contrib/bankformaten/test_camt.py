"""CAMT.053/.052/.054: fields, versions, safety, fingerprints. Fixture files are cited."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from perspectief.contrib.bankformaten import BankbestandGeweigerd, Richting, Weigercode, parse_statement

from .builders import ACCOUNT, camt_document, camt_entry
from .conftest import read_fixture, refusal

CSM = "backend/tests/graphql/mutations/customer_statement_messages/"
CAMT_TESTS = "huishoudboekje_services/BankServices.Tests/CsmServicesTests/CamtTestFiles/"
PERSONA = "voorbeeldbankafschriften/Persona 1/Persona 1 Periode 202407 CAMT.053.xml"


def test_persona_statement_header_and_first_entry() -> None:
    result = parse_statement(read_fixture(PERSONA), expected_iban=ACCOUNT)
    assert result.message_type == "camt.053"
    assert result.message_id == "e833e128-4ec3-5317-9bb7-e4d9a55e4d5c"
    statement = result.statements[0]
    assert statement.statement_id == "75f75a23-3505-579b-b166-969ca6b140fc"
    assert statement.account_iban == ACCOUNT
    assert statement.opening_balance.type_code == "OPBD"
    assert statement.opening_balance.amount == Decimal("0.00")
    first = statement.entries[0]
    assert first.direction is Richting.CREDIT
    assert first.amount == Decimal("147.84")
    assert first.booking_date == date(2024, 7, 7)
    assert first.end_to_end_id == "286381441"
    assert first.counterparty_name == "GEMEENTE UTRECHT"
    assert first.counterparty_iban == "NL71ABNA0411065785"
    assert first.remittance_unstructured == "Aanvullende uitkering ZOEKTERMPERSONA1 juli 2024"
    assert first.bank_reference == "232070C7H4CYV5"
    assert first.details == ()


def test_ing_sample_structured_reference_return_and_reversal() -> None:
    entries = parse_statement(read_fixture(CSM + "CAMT_ING.xml")).entries
    # Ntry 1: RmtInf/Strd/CdtrRefInf/Ref 0010008346912014 (Tp SCOR)
    assert entries[0].betalingskenmerk == "0010008346912014"
    assert entries[0].counterparty_iban == "NL20INGB0001234567"
    # Ntry 5: a returned credit transfer, RtrInf/Rsn/Cd AC04
    assert entries[4].return_reason_code == "AC04"
    assert entries[4].bank_transaction_code == "PMNT-RCDT-RRTN"
    # Ntry 9: RvslInd true, mandate DDMdtINGBC, reason MD06, booked 2014-01-03 with value date 2013-12-20
    ninth = entries[8]
    assert (ninth.reversal, ninth.mandate_id, ninth.return_reason_code) == (True, "DDMdtINGBC", "MD06")
    assert (ninth.booking_date, ninth.value_date) == (date(2014, 1, 3), date(2013, 12, 20))


def test_abn_sample_batch_entry_keeps_each_transaction() -> None:
    entries = parse_statement(read_fixture(CSM + "CAMT_ABN.xml")).entries
    batch = entries[9]  # Ntry 10: SDD batch with 7 TxDtls of 1.00 each, total 7.00
    assert batch.amount == Decimal("7.00")
    assert batch.end_to_end_id is None
    assert len(batch.details) == 7
    assert sum(d.amount for d in batch.details) == Decimal("7.00")
    assert batch.details[0].end_to_end_id == "SDD SIT 024-1"
    assert batch.details[0].counterparty_iban == "NL27ABNA0562326340"


def test_counterparty_side_follows_direction_with_fallback() -> None:
    # Utrecht's DbitAccount file: a DBIT entry whose only account is DbtrAcct.
    entry = parse_statement(read_fixture(CAMT_TESTS + "camt053_Transactions_One_DbitAccount.xml")).entries[0]
    assert entry.counterparty_iban == "NL84TRIO0371628806"
    # CrdtAccount: DBIT entry with CdtrAcct, the normal case.
    entry = parse_statement(read_fixture(CAMT_TESTS + "camt053_Transactions_One_CrdtAccount.xml")).entries[0]
    assert entry.counterparty_iban == "NL91INGB0003000047"
    assert entry.counterparty_name == "VGZ Zorgverzekeraar N.V."
    assert entry.mandate_id == "5784272"
    # NoAccount: CdtrAcct/Id is empty.
    entry = parse_statement(read_fixture(CAMT_TESTS + "camt053_Transactions_One_NoAccount.xml")).entries[0]
    assert entry.counterparty_iban is None
    assert entry.counterparty_account is None


def test_othr_account_id_matches_only_itself() -> None:
    data = read_fixture(CAMT_TESTS + "camt053_AccountIdentification_Id.xml")
    statement = parse_statement(data).statements[0]
    assert (statement.account_id, statement.account_iban) == ("105084986", None)
    assert refusal(data, expected_iban=ACCOUNT).code is Weigercode.ANDER_REKENINGNUMMER


@pytest.mark.parametrize("version", ["02", "04", "06", "08", "10", "13"])
@pytest.mark.parametrize("message", ["camt.053", "camt.052", "camt.054"])
def test_supported_messages_and_versions(message: str, version: str) -> None:
    data = camt_document([camt_entry(party_v08=version >= "08")], message=message, version=version)
    result = parse_statement(data, expected_iban=ACCOUNT)
    assert result.format == f"{message}.001.{version}"
    assert result.message_type == message
    assert result.entries[0].counterparty_name == "Werkgever B.V."
    assert result.statements[0].sequence_number == "7"


@pytest.mark.parametrize("version", ["01", "14", "99"])
def test_unsupported_versions_are_refused(version: str) -> None:
    error = refusal(camt_document([camt_entry()], version=version))
    assert error.code is Weigercode.NIET_ONDERSTEUNDE_VERSIE
    assert error.plaats == "/Document/@xmlns"


def test_wrong_message_element_is_refused() -> None:
    data = camt_document([camt_entry()]).replace(b"BkToCstmrStmt", b"BkToCstmrAcctRpt")
    assert refusal(data).code is Weigercode.KAPOT_BESTAND


def test_refusals_name_the_place() -> None:
    entries = [camt_entry(), camt_entry(amount="", end_to_end_id="E2E-2")]
    error = refusal(camt_document(entries))
    assert error.code is Weigercode.ONTBREKEND_BEDRAG
    assert error.plaats == "regel 2, /Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt"


@pytest.mark.parametrize(
    ("amount", "code"),
    [("12.345", Weigercode.ONGELDIG_BEDRAG), ("1e3", Weigercode.ONGELDIG_BEDRAG), ("-1.00", Weigercode.ONGELDIG_BEDRAG)],
)
def test_bad_amounts(amount: str, code: Weigercode) -> None:
    assert refusal(camt_document([camt_entry(amount=amount)])).code is code


def test_trailing_zero_decimals_are_fine() -> None:
    entry = parse_statement(camt_document([camt_entry(amount="148.4500")])).entries[0]
    assert entry.amount == Decimal("148.45")


def test_other_currency_and_bad_dates_are_refused() -> None:
    other = camt_document([camt_entry()]).replace(b'<Amt Ccy="EUR">12.34', b'<Amt Ccy="USD">12.34')
    assert refusal(other).code is Weigercode.ANDERE_VALUTA
    assert refusal(camt_document([camt_entry(booking_date="2026-02-30")])).code is Weigercode.ONGELDIGE_DATUM
    assert refusal(camt_document([camt_entry(indicator="BOTH")])).code is Weigercode.ONTBREKENDE_RICHTING


def test_empty_statement_is_allowed_when_asked() -> None:
    data = camt_document([])
    assert refusal(data).code is Weigercode.GEEN_BOEKINGEN
    result = parse_statement(data, allow_empty=True)
    assert result.entries == ()
    assert result.statements[0].statement_id == "STMT-1"


@pytest.mark.parametrize("data", [b"", b" \n\t", io.BytesIO(b"")])
def test_empty_file_is_refused(data) -> None:
    assert refusal(data).code is Weigercode.LEEG_BESTAND


def test_truncated_file_is_refused_and_nothing_is_returned() -> None:
    data = camt_document([camt_entry(end_to_end_id=f"E2E-{i}") for i in range(50)])
    error = refusal(data[: len(data) // 2])
    assert error.code is Weigercode.KAPOT_BESTAND
    assert error.plaats.startswith("regel ")


def test_dangerous_fixture_is_refused_before_parsing() -> None:
    data = read_fixture(CSM + "CAMT_DANGEROUS.xml")

    class Watching(io.BytesIO):
        bytes_read = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Watching.bytes_read += len(chunk)
            return chunk

    stream = Watching(data)
    with pytest.raises(BankbestandGeweigerd) as caught:
        parse_statement(stream)
    assert caught.value.code is Weigercode.ONVEILIGE_XML
    assert "THIS COULD BE" not in str(caught.value)
    assert Watching.bytes_read <= 64 * 1024  # only the head used for detection


@pytest.mark.parametrize(
    "prolog",
    [
        b'<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/evil.dtd">',
        b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b"<!doctype Document>",
    ],
)
def test_any_doctype_is_refused(prolog: bytes) -> None:
    data = camt_document([camt_entry()])
    data = data.replace(b"<Document", prolog + b"\n<Document", 1)
    assert refusal(data).code is Weigercode.ONVEILIGE_XML


def test_doctype_in_utf16_is_refused() -> None:
    text = camt_document([camt_entry()]).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    text = text.replace("<Document", "<!DOCTYPE Document [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><Document", 1)
    assert refusal(text.encode("utf-16")).code is Weigercode.ONVEILIGE_XML


def test_undefined_entity_reference_is_refused() -> None:
    # Without a DTD an entity reference is not well-formed XML: refused as broken.
    data = camt_document([camt_entry(remittance="PLACEHOLDER")]).replace(b"PLACEHOLDER", b"&xxe;")
    assert refusal(data).code is Weigercode.KAPOT_BESTAND


def test_fingerprint_is_independent_of_the_file() -> None:
    entries = [camt_entry(end_to_end_id="A"), camt_entry(end_to_end_id="B")]
    daily = parse_statement(camt_document(entries, message="camt.052", statement_id="X", message_id="M1"))
    monthly = parse_statement(
        camt_document([camt_entry(end_to_end_id="C")] + entries, statement_id="Y", message_id="M2")
    )
    assert [e.fingerprint for e in daily.entries] == [e.fingerprint for e in monthly.entries[1:]]
    assert monthly.entries[0].fingerprint not in {e.fingerprint for e in daily.entries}


def test_identical_entries_get_different_fingerprints() -> None:
    twice = [camt_entry(), camt_entry()]
    first = parse_statement(camt_document(twice)).entries
    again = parse_statement(camt_document(twice)).entries
    assert first[0].fingerprint != first[1].fingerprint
    assert [e.fingerprint for e in first] == [e.fingerprint for e in again]


def test_lenient_account_directly_under_transaction_details() -> None:
    # Utrecht's generator file puts CdtrAcct directly in TxDtls (not in RltdPties).
    entries = parse_statement(read_fixture("voorbeeldbankafschriften/correcte_format_camt_generator.xml")).entries
    assert {e.counterparty_iban for e in entries} == {"NL09INGB4826953240"}
    assert entries[0].additional_info == "ZOEKTERMPERSONA1 loon correcte format 2024-07-15 00:00:00"


def test_balance_check_on_real_bank_sample() -> None:
    statement = parse_statement(read_fixture(CSM + "CAMT_RABO.xml")).statements[0]
    assert statement.balance_matches() is True
    assert statement.net_amount == Decimal("-0.16")


class _EndlessStatement(io.RawIOBase):
    """A camt.053 stream of many entries, made on the fly, that counts what was read."""

    def __init__(self, account: str, entries: int) -> None:
        self.parts = iter(
            [camt_document([], account=account).split(b"</Stmt>")[0]]
            + [camt_entry(end_to_end_id=f"E2E-{i}").encode() for i in range(entries)]
            + [b"</Stmt></BkToCstmrStmt></Document>"]
        )
        self.buffer = b""
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            part = next(self.parts, None)
            if part is None:
                break
            self.buffer += part
        size = len(self.buffer) if size < 0 else size
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        self.bytes_read += len(chunk)
        return chunk


def test_wrong_account_is_refused_after_reading_only_the_start() -> None:
    stream = _EndlessStatement("NL93RABO0987654321", 200_000)  # about 150 MB if read whole
    with pytest.raises(BankbestandGeweigerd) as caught:
        parse_statement(stream, expected_iban=ACCOUNT)
    assert caught.value.code is Weigercode.ANDER_REKENINGNUMMER
    assert stream.bytes_read < 1_000_000


def test_stream_is_read_whole_when_it_is_fine() -> None:
    stream = _EndlessStatement(ACCOUNT, 3_000)
    result = parse_statement(stream, expected_iban=ACCOUNT)
    assert len(result.entries) == 3_000
    assert result.statements[0].total_credit == Decimal("37020.00")  # 3,000 x 12.34
