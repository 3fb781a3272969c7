"""Benchmark: the parts of the statement import, each next to the way it was done before,
on the data `huishoudboekje_inlezen.py` leaves behind (docs/huishoudboekje.md,
"Performance: import and matching"). PostgreSQL.

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/huishoudboekje_inlezen.py --keep /tmp/bench
    .venv/bin/python benchmarks/huishoudboekje_inlezen_onderdelen.py --bestand /tmp/bench/bench-camt053.xml

What it prints (seconds, wall clock; every database experiment runs in a transaction that
is rolled back, so the benchmark's data stays as it was):
1. Parsing: lxml's iterparse alone over the file (the libxml2 floor) and
   ``parse_statement``.
2. Matching: loading the matcher as plain records (``Matcher.voor``) and over model
   instances with their deelname (as before), and ``Matcher.beste`` for every line.
3. COPY text of the lines: one escape per field (as before) and one translate per chunk.
4. Fingerprints already stored, 20 chunks of 5,000, all known (a file read again) and
   none known (a new file): ``= ANY(array)`` (as before), an ``unnest`` join on one text
   parameter (tried), and ``= ANY(string_to_array(...))`` on one text parameter (now).
5. 100,000 ids: ``nextval(pg_get_serial_sequence(...))`` per row (as before) and the
   sequence named once.
6. The saldi: one update per chunk (as before: one per journaalpost of the import) and
   one for the whole file.
7. COPY of the stored lines and mutations into empty copies of their tables: without
   indexes and foreign keys, with the indexes, with indexes and foreign keys (as the real
   tables), and the lines with one composite key (bankbestand, tussenrekening) instead of
   two separate ones.

It asserts nothing; it prints the figures.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _meten import fmt as _fmt  # noqa: E402  (benchmarks/ is on sys.path)
from _meten import timer as _timer  # noqa: E402

CHUNK = 5000


def _regel(titel: str, t) -> None:
    print(f"{titel:<58}{_fmt(t)}")


def parsen(inhoud: bytes, iban: str) -> None:
    from lxml import etree

    from perspectief.contrib.bankformaten import parse_statement

    namespace = etree.QName(next(etree.iterparse(io.BytesIO(inhoud), events=("start",)))[1]).namespace
    klaar = _timer()
    for _event, element in etree.iterparse(io.BytesIO(inhoud), tag=f"{{{namespace}}}Ntry"):
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    _regel("1. lxml iterparse alone (libxml2 floor)", klaar())
    klaar = _timer()
    parse_statement(inhoud, expected_iban=iban)
    _regel("   parse_statement", klaar())


def matchen(tussenrekening, lijnen: list) -> None:
    from perspectief.huishoudboekje.matching import Matcher
    from perspectief.huishoudboekje.models import Afspraak

    van = min(t.boekdatum for t in lijnen)
    tot = max(t.boekdatum for t in lijnen)
    klaar = _timer()
    matcher = Matcher.voor(tussenrekening, van=van, tot=tot)
    _regel(f"2. Matcher.voor, plain records ({matcher.aantal:,} afspraken)", klaar())
    klaar = _timer()
    modellen = Matcher(
        Afspraak.objects.filter(deelname__tussenrekening=tussenrekening).select_related("deelname"),
        van=van,
        tot=tot,
    )
    _regel(f"   the same over model instances ({modellen.aantal:,}, before)", klaar())
    klaar = _timer()
    gekozen = sum(matcher.beste(t) is not None for t in lijnen)
    _regel(f"   Matcher.beste for {len(lijnen):,} lines ({gekozen:,} chosen)", klaar())


def copy_tekst(lijnen: list) -> None:
    from perspectief.huishoudboekje import inlezen

    velden = inlezen._TEKSTVELDEN
    klaar = _timer()
    for start in range(0, len(lijnen), CHUNK):
        ["\t".join(str(getattr(t, v)).translate(inlezen._ESCAPE) for v in velden) for t in lijnen[start : start + CHUNK]]
    _regel("3. COPY text fields, one escape per field (before)", klaar())
    klaar = _timer()
    for start in range(0, len(lijnen), CHUNK):
        inlezen._tekstvelden(lijnen[start : start + CHUNK])
    _regel("   one translate per chunk", klaar())


_KENMERKEN_SQL = (
    (
        "= ANY(array) (before)",
        "SELECT kenmerk, bankbestand_id FROM huishoudboekje_banktransactie "
        "WHERE tussenrekening_id = %(rekening)s AND kenmerk = ANY(%(lijst)s)",
    ),
    (
        "unnest join on one text (tried)",
        "SELECT b.kenmerk, b.bankbestand_id FROM unnest(string_to_array(%(tekst)s, ',')) AS k(kenmerk) "
        "JOIN huishoudboekje_banktransactie b ON b.tussenrekening_id = %(rekening)s AND b.kenmerk = k.kenmerk",
    ),
    (
        "= ANY(string_to_array(one text))",
        "SELECT kenmerk, bankbestand_id FROM huishoudboekje_banktransactie "
        "WHERE tussenrekening_id = %(rekening)s AND kenmerk = ANY(string_to_array(%(tekst)s, ','))",
    ),
)


def kenmerken(cursor, tussenrekening_id: int, alle: list[str]) -> None:
    """All fingerprints stored (a file read again, step 3) and none (a new file, step 1:
    the same fingerprints with their first hex digit changed)."""
    onbekend = [("0" if k[0] != "0" else "1") + k[1:] for k in alle]
    for geval, lijst in (("all known", alle), ("none known", onbekend)):
        stukken = [lijst[i : i + CHUNK] for i in range(0, len(lijst), CHUNK)]
        for nummer, (wijze, sql) in enumerate(_KENMERKEN_SQL):
            klaar = _timer()
            for stuk in stukken:
                cursor.execute(sql, {"rekening": tussenrekening_id, "lijst": stuk, "tekst": ",".join(stuk)})
                cursor.fetchall()
            kop = f"4. fingerprints, {geval}, {len(stukken)} chunks:" if nummer == 0 else "  "
            _regel(f"{kop} {wijze}", klaar())


def volgnummers(cursor, aantal: int) -> None:
    klaar = _timer()
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence('huishoudboekje_journaalpost', 'id')) "
        "FROM generate_series(1, %s)",
        [aantal],
    )
    cursor.fetchall()
    _regel(f"5. {aantal:,} ids, sequence looked up per row (before)", klaar())
    cursor.execute("SELECT pg_get_serial_sequence('huishoudboekje_journaalpost', 'id')")
    reeks = cursor.fetchone()[0]
    klaar = _timer()
    cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [reeks, aantal])
    cursor.fetchall()
    _regel("   sequence named once", klaar())


def saldi(cursor) -> None:
    from perspectief.huishoudboekje import grootboek

    cursor.execute(
        "SELECT journaalpost_id, rekening_id, sum(bedrag) FROM huishoudboekje_mutatie "
        "GROUP BY journaalpost_id, rekening_id"
    )
    per_post: dict[int, dict[int, Decimal]] = defaultdict(dict)
    totaal: dict[int, Decimal] = defaultdict(Decimal)
    for post, rekening, bedrag in cursor.fetchall():
        per_post[post][rekening] = bedrag
        totaal[rekening] += bedrag
    klaar = _timer()
    for deltas in per_post.values():
        grootboek.saldi_bijwerken(deltas)
    _regel(f"6. saldi, one update per chunk ({len(per_post)} chunks, before)", klaar())
    klaar = _timer()
    grootboek.saldi_bijwerken(totaal)
    _regel(f"   one update for the file ({len(totaal):,} accounts)", klaar())


_FK_LIJNEN = {
    "afspraak_id": "huishoudboekje_afspraak(id)",
    "bankbestand_id": "huishoudboekje_bankbestand(id)",
    "deelname_id": "huishoudboekje_deelname(id)",
    "tussenrekening_id": "huishoudboekje_tussenrekening(id)",
    "categorie_id": "huishoudboekje_rekening(id)",
}
_FK_MUTATIES = {
    "afspraak_id": "huishoudboekje_afspraak(id)",
    "journaalpost_id": "huishoudboekje_journaalpost(id)",
    "rekening_id": "huishoudboekje_rekening(id)",
}


def _kopie(cursor, tabel: str, naam: str, *, indexen: bool, sleutels: dict[str, str]) -> None:
    including = "INCLUDING ALL" if indexen else "INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
    cursor.execute(f"CREATE TABLE {naam} (LIKE {tabel} {including})")
    for kolom, doel in sleutels.items():
        cursor.execute(f"ALTER TABLE {naam} ADD FOREIGN KEY ({kolom}) REFERENCES {doel}")


def _copy_in(cursor, naam: str, data: bytes) -> None:
    with cursor.copy(f"COPY {naam} FROM STDIN") as copy:
        copy.write(data)


def copy_in_tabellen(cursor) -> None:
    buffers = {}
    for tabel in ("huishoudboekje_banktransactie", "huishoudboekje_mutatie"):
        data = bytearray()
        with cursor.copy(f"COPY {tabel} TO STDOUT") as copy:
            for blok in copy:
                data += blok
        buffers[tabel] = bytes(data)
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    varianten = [
        ("no indexes, no foreign keys", False, {}, {}),
        ("indexes", True, {}, {}),
        ("indexes and foreign keys (as the tables)", True, _FK_LIJNEN, _FK_MUTATIES),
    ]
    for n, (titel, indexen, fk_lijnen, fk_mutaties) in enumerate(varianten):
        _kopie(cursor, "huishoudboekje_banktransactie", f"bench_lijnen_{n}", indexen=indexen, sleutels=fk_lijnen)
        _kopie(cursor, "huishoudboekje_mutatie", f"bench_mutaties_{n}", indexen=indexen, sleutels=fk_mutaties)
        klaar = _timer()
        _copy_in(cursor, f"bench_lijnen_{n}", buffers["huishoudboekje_banktransactie"])
        lijnen = klaar()
        klaar = _timer()
        _copy_in(cursor, f"bench_mutaties_{n}", buffers["huishoudboekje_mutatie"])
        _regel(f"7. COPY lines, {titel}", lijnen)
        _regel(f"   COPY mutations, {titel}", klaar())
    cursor.execute(
        "ALTER TABLE huishoudboekje_bankbestand ADD CONSTRAINT bench_bestand_rekening "
        "UNIQUE (id, tussenrekening_id)"
    )
    sleutels = {k: v for k, v in _FK_LIJNEN.items() if k not in ("bankbestand_id", "tussenrekening_id")}
    sleutels["bankbestand_id, tussenrekening_id"] = "huishoudboekje_bankbestand(id, tussenrekening_id)"
    _kopie(cursor, "huishoudboekje_banktransactie", "bench_lijnen_samen", indexen=True, sleutels=sleutels)
    klaar = _timer()
    _copy_in(cursor, "bench_lijnen_samen", buffers["huishoudboekje_banktransactie"])
    _regel("   COPY lines, one composite key (bankbestand, tussenrekening)", klaar())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bestand", required=True, help="the camt.053 huishoudboekje_inlezen.py wrote (--keep)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://perspectief:perspectief@127.0.0.1:5432/hhb_inlezen_bench"
        ),
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.base")
    import django

    django.setup()
    from django.db import connection, transaction

    from perspectief.contrib.bankformaten import Boeking, iter_statement
    from perspectief.huishoudboekje import inlezen
    from perspectief.huishoudboekje.models import Banktransactie, Tussenrekening

    tussenrekening = Tussenrekening.objects.get()
    if not Banktransactie.objects.exists():
        sys.exit("No lines stored: run benchmarks/huishoudboekje_inlezen.py --keep DIR first.")
    inhoud = Path(args.bestand).read_bytes()
    print(f"Import parts: {args.bestand} ({len(inhoud) / 1e6:.1f} MB), tussenrekening {tussenrekening.iban}")
    parsen(inhoud, tussenrekening.iban)
    stroom = iter_statement(inhoud, expected_iban=tussenrekening.iban)
    next(stroom)
    regels = list(inlezen._regels((e for e in stroom if isinstance(e, Boeking)), inlezen._Tellers()))
    matchen(tussenrekening, [inlezen._Lijn(r) for r in regels])
    copy_tekst([inlezen._Lijn(r) for r in regels])
    with transaction.atomic(), connection.cursor() as cursor:
        kenmerken(cursor, tussenrekening.pk, [r[0] for r in regels])
        volgnummers(cursor, len(regels))
        saldi(cursor)
        copy_in_tabellen(cursor.cursor)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
