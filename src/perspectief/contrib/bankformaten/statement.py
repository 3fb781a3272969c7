"""One entry point for bank statements: detect the format, check the account, parse."""

from __future__ import annotations

from typing import BinaryIO

from ._util import open_input, valid_iban
from ._xml import looks_like_xml, read_root
from .camt import read_camt
from .errors import BankbestandGeweigerd, Weigercode
from .mt940 import looks_like_mt940, read_mt940
from .types import Bankbestand


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
    raise BankbestandGeweigerd(
        Weigercode.ONBEKEND_FORMAAT,
        "Dit bestand is geen bankafschrift dat wij kennen. Wij lezen CAMT.053, CAMT.052, "
        "CAMT.054 (XML) en MT940.",
        plaats="begin van het bestand",
    )
