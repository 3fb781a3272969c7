"""One entry point for bank statements: detect the format, check the account, parse."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import BinaryIO

from ._util import open_input, valid_iban
from ._xml import looks_like_xml, read_root
from .camt import camt_reader, read_camt
from .errors import BankbestandGeweigerd, Weigercode
from .mt940 import looks_like_mt940, read_mt940
from .types import Afschrift, Bankbestand, Bestandskop, Boeking


def parse_statement(
    data: bytes | BinaryIO,
    *,
    expected_iban: str | None = None,
    allow_empty: bool = False,
) -> Bankbestand:
    """Read a CAMT.053/.052/.054 or MT940 bank statement file.

    ``data`` is the file's bytes or a binary file object. With ``expected_iban`` every
    statement in the file must be for that account, otherwise the whole file is refused
    (``ander_rekeningnummer``). A file without any entry is refused (``geen_boekingen``)
    unless ``allow_empty`` is true.

    Returns the complete :class:`Bankbestand` or raises :class:`BankbestandGeweigerd`;
    never half a result. CAMT is parsed streaming; MT940 files are read whole (they are
    small: 5,000 entries take half a megabyte).
    """
    expected = None
    if expected_iban is not None:
        expected = valid_iban(expected_iban)
        if expected is None:
            raise ValueError("expected_iban is not a valid IBAN")
    head, stream = open_input(data)
    if looks_like_xml(head):
        root = read_root(head)
        return read_camt(
            stream,
            root=root,
            expected_iban=expected,
            allow_empty=allow_empty,
            sha256=lambda: stream.hasher.hexdigest(),
        )
    if looks_like_mt940(head):
        raw = stream.read()
        return read_mt940(raw, expected_iban=expected, allow_empty=allow_empty, sha256=stream.hasher.hexdigest())
    raise _unknown_format()


def _unknown_format() -> BankbestandGeweigerd:
    return BankbestandGeweigerd(
        Weigercode.ONBEKEND_FORMAAT,
        "Dit bestand is geen bankafschrift dat wij kennen. Wij lezen CAMT.053, CAMT.052, "
        "CAMT.054 (XML) en MT940.",
        plaats="begin van het bestand",
    )


def iter_statement(
    data: bytes | BinaryIO,
    *,
    expected_iban: str | None = None,
    allow_empty: bool = False,
) -> Iterator[Bestandskop | Afschrift | Boeking]:
    """Read a bank statement file while the caller works: the same checks and the same
    values as :func:`parse_statement` (both run the same reader), delivered as they are read.

    Yields first a :class:`Bestandskop` (format and message type), then per statement an
    :class:`Afschrift` without entries (its header: id, account, balances; yielded when
    the header is known, i.e. before its first entry) followed by its :class:`Boeking`
    entries. A refusal is raised where it is found, so entries before it have been
    yielded already: a caller that must not act on half a file keeps its work undoable
    until the iterator is exhausted. CAMT is read streaming; MT940 is parsed whole first
    and then yielded.
    """
    expected = None
    if expected_iban is not None:
        expected = valid_iban(expected_iban)
        if expected is None:
            raise ValueError("expected_iban is not a valid IBAN")
    head, stream = open_input(data)
    if looks_like_xml(head):
        reader = camt_reader(root=read_root(head), expected_iban=expected, allow_empty=allow_empty)
        yield Bestandskop(format=reader.version, message_type=reader.message_type)
        for kind, value in reader.items(stream):
            if kind == "entry":
                yield value
            elif kind == "header":
                yield reader._statement(value, [])
        return
    if not looks_like_mt940(head):
        raise _unknown_format()
    bestand = read_mt940(
        stream.read(), expected_iban=expected, allow_empty=allow_empty, sha256=stream.hasher.hexdigest()
    )
    yield Bestandskop(format=bestand.format, message_type=bestand.message_type)
    for afschrift in bestand.statements:
        yield dataclasses.replace(afschrift, entries=())
        yield from afschrift.entries
