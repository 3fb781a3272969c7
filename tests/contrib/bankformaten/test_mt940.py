"""MT940 flavours (ABN AMRO, ING, BNG Bank, Utrecht's persona files). Fixture files are cited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from perspectief.contrib.bankformaten import Richting, Weigercode, parse_statement

from .conftest import read_fixture, refusal

CSM = "backend/tests/graphql/mutations/customer_statement_messages/"
MT = "voorbeeldbankafschriften/MT940/"


def test_abn_amro_structured_information_wrapped_mid_word() -> None:
    result = parse_statement(read_fixture(CSM + "ABN.txt"))
    statement = result.statements[0]
    assert (statement.statement_id, statement.account_id, statement.sequence_number) == (
        "ABN AMRO BANK NV",
        "123456789",
        "13501/1",
    )
    assert statement.opening_balance.amount == Decimal("5138.61")
    assert statement.balance_matches() is True
    entry = statement.entries[0]
    # :61:1205120514C500,01N654NONREF -> value date 2012-05-12, booked 2012-05-14
    assert (entry.value_date, entry.booking_date) == (date(2012, 5, 12), date(2012, 5, 14))
    assert entry.customer_reference is None  # NONREF
    assert entry.counterparty_name == "QASD JGRED"
    assert entry.counterparty_account == "FR12345678901234"
    assert entry.counterparty_iban is None  # too short for a French IBAN
    assert entry.counterparty_bic == "GEFRADAM"
    assert entry.remittance_unstructured == "Dit zijn de omschrijvingsregels"
    assert entry.end_to_end_id is None  # /EREF/NOTPRO + VIDED on the next line
    assert entry.bank_transaction_code == "SEPA OVERBOEKING"


def test_ing_blocks_and_structured_fields() -> None:
    result = parse_statement(read_fixture(CSM + "ING.txt"))
    statement = result.statements[0]
    assert statement.account_iban == "NL69INGB0123456789"  # :25:NL69INGB0123456789EUR
    assert statement.balance_matches() is True
    first, _, third, fourth, *_, seventh, eighth = statement.entries
    assert first.end_to_end_id == "EV12341REP1231456T1234"
    assert first.counterparty_iban == "NL32INGB0000012345"
    assert first.counterparty_bic == "INGBNL2A"
    assert first.counterparty_name == "ING BANK NV INZAKE WEB"
    assert first.remittance_unstructured == "EV10001REP1000000T1000"
    assert first.bank_reference == "00000000001005"
    assert third.return_reason_code == "MS03"
    assert fourth.mandate_id == "MND\u00adEV01"  # the file has a soft hyphen (bytes C2 AD) here
    assert seventh.betalingskenmerk == "9001123412341234"
    assert eighth.direction is Richting.DEBIT
    assert eighth.amount == Decimal("119.00")


def test_bng_statement_line_that_starts_mid_line() -> None:
    statement = parse_statement(read_fixture(CSM + "BNG.txt")).statements[0]
    assert statement.account_id == "0285053876"
    assert len(statement.entries) == 14
    assert statement.balance_matches() is True
    hidden = statement.entries[6]  # ":86:DE37... Zahlungsnummer 1234568 :61:140912D100,00NMSC092"
    assert (hidden.direction, hidden.amount) == (Richting.DEBIT, Decimal("100.00"))
    assert hidden.remittance_unstructured.startswith("OORSPR. VEREV. 120903")
    assert statement.entries[5].remittance_unstructured.endswith("Zahlungsnummer 1234568")
    assert statement.entries[9].counterparty_iban == "NL09INGB0000156610"
    assert statement.entries[9].counterparty_bic == "INGBNL2A"


def test_bng_old_account_number_matches_its_iban() -> None:
    data = read_fixture(CSM + "BNG.txt")
    assert parse_statement(data, expected_iban="NL21BNGH0285053876").statements[0].account_id == "0285053876"
    assert refusal(data, expected_iban="NL36ABNA5632579034").code is Weigercode.ANDER_REKENINGNUMMER


def test_persona_file_counterparty_and_search_terms() -> None:
    entries = parse_statement(read_fixture(MT + "Banktransacties persona 1 loon.txt")).entries
    assert entries[0].counterparty_iban == "NL09INGB4826953240"
    assert entries[0].remittance_unstructured == "Loon ZOEKTERMPERSONA1 maart 2023"
    assert entries[0].booking_date == date(2024, 3, 25)  # the file's first line says 240325
    assert "ZOEKTERMPERSONA1" in entries[0].description


def test_double_entry_is_kept_twice_with_distinct_fingerprints() -> None:
    entries = parse_statement(read_fixture(MT + "Banktransacties persona 1 loon_maart_dubbel.txt")).entries
    assert len(entries) == 2
    assert entries[0].amount == entries[1].amount == Decimal("765.32")
    assert entries[0].fingerprint != entries[1].fingerprint


def test_large_persona_file() -> None:
    result = parse_statement(read_fixture(MT + "Banktransacties persona 1 leefgeld - 5000 banktransacties.txt"))
    assert len(result.entries) == 5040
    assert result.statements[0].total_debit == Decimal("4737297.60")


MINIMAL = (
    ":20:REF1\n:25:NL36ABNA5632579034\n:28C:1/1\n:60F:C260105EUR100,00\n"
    ":61:2601050105C10,00NTRFNONREF//BANKREF1\n:86:/EREF/E2E-1/REMI/Loon\n:62F:C260105EUR110,00\n-\n"
)


def test_minimal_message() -> None:
    result = parse_statement(MINIMAL.encode(), expected_iban="NL36ABNA5632579034")
    entry = result.entries[0]
    assert (entry.end_to_end_id, entry.remittance_unstructured, entry.bank_reference) == ("E2E-1", "Loon", "BANKREF1")
    assert result.statements[0].balance_matches() is True


def test_year_boundary_booking_date() -> None:
    text = MINIMAL.replace(":61:2601050105", ":61:2601021231")
    assert parse_statement(text.encode()).entries[0].booking_date == date(2025, 12, 31)


def test_reversal_marks() -> None:
    text = MINIMAL.replace("0105C10,00", "0105RD10,00")
    entry = parse_statement(text.encode()).entries[0]
    assert (entry.direction, entry.reversal) == (Richting.CREDIT, True)


@pytest.mark.parametrize(
    ("change", "code", "plaats"),
    [
        ((":60F:C260105EUR100,00\n", ""), Weigercode.KAPOT_BESTAND, "regel 1, afschrift 1"),
        ((":62F:C260105EUR110,00\n", ""), Weigercode.KAPOT_BESTAND, "regel 1, afschrift 1"),
        ((":25:NL36ABNA5632579034\n", ""), Weigercode.ONTBREKEND_REKENINGNUMMER, "regel 1, afschrift 1"),
        (("C10,00NTRF", "CNTRF"), Weigercode.ONTBREKEND_BEDRAG, "regel 5, boeking 1 (:61:)"),
        (("2601050105C", "2613050105C"), Weigercode.ONGELDIGE_DATUM, "regel 5, boeking 1 (:61:)"),
        (("0105C10,00", "0105X10,00"), Weigercode.ONTBREKENDE_RICHTING, "regel 5, boeking 1 (:61:)"),
        (("EUR100,00", "USD100,00"), Weigercode.ANDERE_VALUTA, "regel 4, :60F:"),
        (("C10,00", "C10,001"), Weigercode.ONGELDIG_BEDRAG, "regel 5, boeking 1 (:61:)"),
        (("NTRFNONREF//", "//"), Weigercode.KAPOT_BESTAND, "regel 5, boeking 1 (:61:)"),
    ],
)
def test_refusals(change: tuple[str, str], code: Weigercode, plaats: str) -> None:
    error = refusal(MINIMAL.replace(*change).encode())
    assert error.code is code
    assert error.plaats == plaats


def test_stray_line_before_a_field_is_refused() -> None:
    error = refusal(("hallo\n" + MINIMAL.replace(":28C:1/1\n", ":28C:1/1\nlosse regel zonder veld\n", 1)).encode())
    assert error.code is Weigercode.KAPOT_BESTAND


def test_several_messages_in_one_file() -> None:
    second = MINIMAL.replace("REF1", "REF2").replace("E2E-1", "E2E-2")
    result = parse_statement((MINIMAL + second).encode())
    assert [s.statement_id for s in result.statements] == ["REF1", "REF2"]
    assert [e.end_to_end_id for e in result.entries] == ["E2E-1", "E2E-2"]
