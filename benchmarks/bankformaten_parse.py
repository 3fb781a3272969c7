"""Benchmark: parse a CAMT.053 statement with 100,000 entries.

Run from the repository root:

    .venv/bin/python benchmarks/bankformaten_parse.py [--entries 100000] [--runs 3] [--keep PATH]

Writes a camt.053.001.02 file with N entries (every entry with a full TxDtls block:
references, amount details, debtor and creditor with IBANs, agent BIC, unstructured
remittance, bank transaction code, additional entry information; indented like the
banks' files, about 1.2 KB per entry) to a temporary folder. Then prints, best of
``--runs`` runs each:

1. ``parse_statement`` of this package (streaming iterparse, all fields read, entries
   as frozen dataclasses with fingerprints), and its peak memory growth;
2. a full lxml tree parse of the same file (``etree.parse``) that reads nothing, the
   figure the huishoudboekje issue compares with;
3. for reference: the full tree parse plus a walk over every element;
4. lxml ``iterparse`` alone, freeing each entry: the floor for a streaming lxml reader.

It prints figures and asserts nothing; it is not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from perspectief.contrib.bankformaten import parse_statement  # noqa: E402

ACCOUNT = "NL36ABNA5632579034"
COUNTERPARTIES = [
    ("Woningstichting Eigen Haard", "NL91ABNA0417164300", "ABNANL2A"),
    ("Eneco Zakelijk B.V.", "NL69INGB0123456789", "INGBNL2A"),
    ("Vitens N.V.", "NL20INGB0001234567", "INGBNL2A"),
    ("UWV Uitkeringen", "NL44RABO0123456789", "RABONL2U"),
    ("Belastingdienst Toeslagen", "NL86INGB0002445588", "INGBNL2A"),
]


def write_camt(path: Path, entries: int) -> None:
    rnd = random.Random(20260105)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n'
            "  <BkToCstmrStmt>\n"
            "    <GrpHdr><MsgId>BENCH-20260105</MsgId><CreDtTm>2026-01-05T22:00:00+01:00</CreDtTm></GrpHdr>\n"
            "    <Stmt>\n"
            "      <Id>BENCH-20260105-1</Id><ElctrncSeqNb>1</ElctrncSeqNb>"
            "<CreDtTm>2026-01-05T22:00:00+01:00</CreDtTm>\n"
            f"      <Acct><Id><IBAN>{ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
            '      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>'
            "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-05</Dt></Dt></Bal>\n"
        )
        for i in range(entries):
            name, iban, bic = COUNTERPARTIES[i % len(COUNTERPARTIES)]
            credit = i % 3 != 0
            indicator = "CRDT" if credit else "DBIT"
            party, agent = ("Dbtr", "DbtrAgt") if credit else ("Cdtr", "CdtrAgt")
            amount = f"{rnd.randint(100, 250000) / 100:.2f}"
            out.write(
                f"""      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt>
        <CdtDbtInd>{indicator}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-01-05</Dt></BookgDt>
        <ValDt><Dt>2026-01-05</Dt></ValDt>
        <AcctSvcrRef>260105{i:010d}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><InstrId>INSTR-{i}</InstrId><EndToEndId>E2E-{i:09d}</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <{party}><Nm>{name}</Nm></{party}>
              <{party}Acct><Id><IBAN>{iban}</IBAN></Id></{party}Acct>
            </RltdPties>
            <RltdAgts><{agent}><FinInstnId><BIC>{bic}</BIC></FinInstnId></{agent}></RltdAgts>
            <RmtInf><Ustrd>Huishoudboekje {i % 10000:05d} termijn januari 2026</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>/TRTP/SEPA OVERBOEKING/REMI/Huishoudboekje {i % 10000:05d}</AddtlNtryInf>
      </Ntry>
"""
            )
        out.write("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n")


def best_of(runs: int, function) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "camt053-bench.xml"
        start = time.perf_counter()
        write_camt(path, args.entries)
        size = path.stat().st_size
        print(f"file: {args.entries:,} entries, {size / 1e6:.1f} MB, written in {time.perf_counter() - start:.1f} s")

        def ours():
            with path.open("rb") as handle:
                return parse_statement(handle, expected_iban=ACCOUNT)

        seconds, result = best_of(args.runs, ours)
        entries = result.entries
        assert len(entries) == args.entries
        print(f"parse_statement (streaming, all fields):  {seconds:6.2f} s  "
              f"({seconds / args.entries * 1e6:.1f} µs per entry, {len(entries):,} entries, "
              f"net {result.statements[0].net_amount} EUR)")
        del result, entries
        gc.collect()
        tracemalloc.start()
        with path.open("rb") as handle:
            for _ in parse_statement(handle).entries[:1]:
                pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak Python memory while parsing (tracemalloc, includes the result): {peak / 1e6:.0f} MB")

        seconds_tree, tree = best_of(args.runs, lambda: etree.parse(str(path)))
        print(f"lxml full tree (etree.parse, reads nothing): {seconds_tree:6.2f} s")
        del tree

        def tree_and_walk():
            document = etree.parse(str(path))
            return sum(1 for el in document.iter() if el.text)

        seconds_walk, _ = best_of(1, tree_and_walk)
        print(f"lxml full tree + walk over every element:    {seconds_walk:6.2f} s")

        def iterparse_alone():
            count = 0
            for _, element in etree.iterparse(str(path), tag="{*}Ntry"):
                count += 1
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
            return count

        seconds_iter, _ = best_of(args.runs, iterparse_alone)
        print(f"lxml iterparse alone, freeing each entry:    {seconds_iter:6.2f} s")
        print(f"ratio parse_statement / full tree: {seconds / seconds_tree:.2f}")


if __name__ == "__main__":
    main()
