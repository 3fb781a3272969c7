"""``iter_statement`` (the import's streaming parse) yields exactly what ``parse_statement``
returns for every fixture file of the bank-format table: the same format, the same
statement headers and the same entries (fingerprints included) in the same order, or the
same refusal code."""

from __future__ import annotations

import dataclasses

import pytest

from perspectief.contrib.bankformaten import (
    Afschrift,
    BankbestandGeweigerd,
    Bestandskop,
    iter_statement,
    parse_statement,
)

from ..contrib.bankformaten.conftest import read_fixture
from ..contrib.bankformaten.test_fixtures import TABLE, Parsed


def _gestroomd(data: bytes, expected_iban: str | None) -> tuple[Bestandskop, list]:
    items = list(iter_statement(data, expected_iban=expected_iban))
    return items[0], items[1:]


@pytest.mark.parametrize(
    ("relative", "expected_iban", "outcome"), TABLE, ids=[row[0] for row in TABLE]
)
def test_iter_statement_agrees_with_parse_statement(relative, expected_iban, outcome) -> None:
    data = read_fixture(relative)
    if not isinstance(outcome, Parsed):
        with pytest.raises(BankbestandGeweigerd) as geweigerd:
            _gestroomd(data, expected_iban)
        assert geweigerd.value.code == outcome
        return
    bestand = parse_statement(data, expected_iban=expected_iban)
    kop, rest = _gestroomd(data, expected_iban)
    assert kop == Bestandskop(format=bestand.format, message_type=bestand.message_type)
    verwacht = []
    for afschrift in bestand.statements:
        verwacht.append(dataclasses.replace(afschrift, entries=()))
        verwacht.extend(afschrift.entries)
    assert rest == verwacht
    assert sum(1 for x in rest if isinstance(x, Afschrift)) == len(bestand.statements)
