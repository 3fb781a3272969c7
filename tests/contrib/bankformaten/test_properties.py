"""No input crashes the readers: any bytes give a result or one of our refusals."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspectief.contrib.bankformaten import (
    BankbestandGeweigerd,
    parse_statement,
    parse_status_report,
    read_credit_transfer,
)

from .builders import camt_document, camt_entry
from .conftest import FIXTURES

SEEDS = [
    camt_document([camt_entry(), camt_entry(amount="7.50", indicator="DBIT", end_to_end_id="E2E-2")]),
    camt_document([camt_entry()], message="camt.052", version="08"),
    (
        b":20:REF1\n:25:NL36ABNA5632579034\n:28C:1/1\n:60F:C260105EUR100,00\n"
        b":61:2601050105C10,00NTRFNONREF//B1\n:86:/EREF/E2E-1//CNTP/NL91ABNA0417164300/ABNANL2A/Naam///REMI/USTD//Loon/\n"
        b":61:260105D5,00NMSC028\n:86:NL91ABNA0417164300               Huur\n:62F:C260105EUR105,00\n-\n"
    ),
]
for relative in (
    "backend/tests/graphql/mutations/customer_statement_messages/ING.txt",
    "backend/tests/graphql/mutations/customer_statement_messages/BNG.txt",
    "backend/tests/graphql/mutations/customer_statement_messages/CAMT_ING.xml",
):
    if (FIXTURES / relative).is_file():
        SEEDS.append((FIXTURES / relative).read_bytes())


def parse_or_refuse(data: bytes) -> None:
    try:
        result = parse_statement(data)
    except BankbestandGeweigerd as refusal:
        assert refusal.code.value
        assert refusal.bericht
        return
    assert result.statements
    for entry in result.entries:
        assert entry.amount >= 0
        assert len(entry.fingerprint) == 64


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    parse_or_refuse(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_random_bytes_after_an_xml_or_mt940_start(tail: bytes) -> None:
    parse_or_refuse(b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'>" + tail)
    parse_or_refuse(b":20:X\n:25:NL36ABNA5632579034\n" + tail)


mutation = st.tuples(
    st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate"]),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=40),
    st.binary(min_size=1, max_size=20),
)


def mutate(data: bytes, steps) -> bytes:
    for kind, position, length, payload in steps:
        if not data:
            break
        at = position % len(data)
        if kind == "delete":
            data = data[:at] + data[at + length :]
        elif kind == "insert":
            data = data[:at] + payload + data[at:]
        elif kind == "replace":
            data = data[:at] + payload + data[at + len(payload) :]
        elif kind == "truncate":
            data = data[:at]
        else:
            data = data[:at] + data[at : at + length] + data[at:]
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.lists(mutation, min_size=1, max_size=4))
def test_mutated_valid_files(seed: bytes, steps) -> None:
    parse_or_refuse(mutate(seed, steps))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=800))
def test_other_readers_only_refuse(data: bytes) -> None:
    for reader in (parse_status_report, read_credit_transfer):
        try:
            reader(b"<?xml version='1.0'?>" + data)
        except BankbestandGeweigerd:
            pass
