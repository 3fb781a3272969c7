"""Benchmark: import and match a CAMT.053 statement of 100,000 entries against the afspraken
of 10,000 households, on PostgreSQL.

Run from the repository root (PostgreSQL must run; the script uses its own database
`hhb_inlezen_bench`, creates it when missing and empties the huishoudboekje tables every
run):

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/huishoudboekje_inlezen.py
    .venv/bin/python benchmarks/huishoudboekje_inlezen.py --huishoudens 10000 --entries 100000 --keep /tmp/bench

What it does and prints (seconds, wall clock; CPU time of this process in brackets):
1. Creates N households with a deelname and three afspraken each, in bulk: rent (one of
   20 landlords, a betalingskenmerk per household), energy (one of 5 suppliers, the
   customer number as search term) and a benefit (one UWV account shared by all, the
   client number as search term). A shared IBAN alone never picks a household.
2. Writes a camt.053.001.02 file of M entries (every entry with a full TxDtls block like
   benchmarks/bankformaten_parse.py): the terms of those afspraken from January 2026 on
   (90 %), plus lines that match nothing (gifts, bank costs: 10 %). Also the same lines as
   a camt.052 intraday report (other header, other bytes, same entries).
3. Times, end to end through ``bankbestand_inlezen`` (parse streamed into the writer,
   fingerprints, matching in memory, COPY of the lines, one journaalpost per chunk of
   5,000, one transaction for the file): goal < 10 s. For reference, ``parse_statement``
   alone on the same file. The ``signalen_na_inlezen`` task the import enqueues is only
   recorded there, then timed on its own (1b).
4. Importing the same file again: recognised by SHA-256, nothing booked: goal < 2 s.
5. Importing the camt.052 variant: every line recognised by its fingerprint, nothing
   booked (this has to parse the whole file).
6. ``grootboek.controleren()`` over the result.

It asserts nothing; it prints the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _meten import ensure_database as _database  # noqa: E402  (benchmarks/ is on sys.path)
from _meten import timer as _timer  # noqa: E402
from _meten import fmt as _fmt  # noqa: E402

ACCOUNT = "NL36ABNA5632579034"
UWV = ("UWV Uitkeringen", "NL44RABO0123456789", "RABONL2U")
START = dt.date(2026, 1, 1)


def _backend_cpu(pid: int) -> float:
    try:
        velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(velden[11]) + int(velden[12])) / os.sysconf("SC_CLK_TCK")


# CPU seconds of the PostgreSQL backends of connections this process opened and closed
# again (the import's writer thread has its own connection), read just before closing.
_GESLOTEN = [0.0]
_EXTRA: dict[int, int] = {}  # id(connection wrapper) -> backend pid, other threads


def _backends_volgen() -> None:
    """Follow the backends of the connections other threads open (the writer thread)."""
    import threading

    from django.db.backends.postgresql.base import DatabaseWrapper
    from django.db.backends.signals import connection_created

    def nieuw(sender, connection, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            _EXTRA[id(connection)] = connection.connection.info.backend_pid

    sluiten = DatabaseWrapper.close

    def close(self):
        pid = _EXTRA.pop(id(self), None)
        if pid is not None:
            _GESLOTEN[0] += _backend_cpu(pid)
        return sluiten(self)

    connection_created.connect(nieuw, weak=False)
    DatabaseWrapper.close = close


def _server_cpu() -> float:
    """CPU seconds used so far by this process's PostgreSQL backends (same machine:
    /proc/<pid>/stat), so the figures show how much of the wall time the server worked."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return _backend_cpu(pid) + _GESLOTEN[0] + sum(_backend_cpu(p) for p in _EXTRA.values())


def _ibans(bank: str, n: int, start: int) -> list[str]:
    from schwifty import IBAN

    return [
        str(IBAN.generate("NL", bank_code=bank, account_code=f"{start + i:010d}").compact)
        for i in range(n)
    ]


def _termen(afspraak: dict, tot: dt.date) -> list[dt.date]:
    """Monthly terms on afspraak['dag'] from START until ``tot``."""
    uit, jaar, maand = [], START.year, START.month
    while True:
        d = dt.date(jaar, maand, afspraak["dag"])
        if d > tot:
            return uit
        uit.append(d)
        maand += 1
        if maand == 13:
            jaar, maand = jaar + 1, 1


def plan(huishoudens: int, entries: int, seed: int = 20260105):
    """The afspraken (as dicts) and the bank lines (as tuples) of the benchmark."""
    from perspectief.contrib.bankformaten import make_betalingskenmerk

    rnd = random.Random(seed)
    verhuurders = list(
        zip(_ibans("INGB", 20, 1000), [f"Woningstichting {i}" for i in range(20)], strict=True)
    )
    energie = list(
        zip(_ibans("RABO", 5, 2000), [f"Energie {i} B.V." for i in range(5)], strict=True)
    )
    afspraken = []
    for h in range(huishoudens):
        iban, naam = verhuurders[h % 20]
        afspraken.append(
            {
                "h": h,
                "soort": "huur",
                "richting": "uitgave",
                "iban": iban,
                "naam": naam,
                "bedrag": Decimal(rnd.randint(45000, 95000)) / 100,
                "dag": 1 + rnd.randrange(28),
                "kenmerk": make_betalingskenmerk(10_000_000 + h),
                "termen": [],
            }
        )
        iban, naam = energie[h % 5]
        afspraken.append(
            {
                "h": h,
                "soort": "energie",
                "richting": "uitgave",
                "iban": iban,
                "naam": naam,
                "bedrag": Decimal(rnd.randint(6000, 25000)) / 100,
                "dag": 1 + rnd.randrange(28),
                "kenmerk": "",
                "termen": [f"KLANT{700000 + h}"],
            }
        )
        afspraken.append(
            {
                "h": h,
                "soort": "uitkering",
                "richting": "inkomen",
                "iban": UWV[1],
                "naam": UWV[0],
                "bedrag": Decimal(rnd.randint(90000, 140000)) / 100,
                "dag": 1 + rnd.randrange(28),
                "kenmerk": "",
                "termen": [f"CLIENT{500000 + h}"],
            }
        )
    matched = entries * 9 // 10
    maanden = -(-matched // len(afspraken))
    tot = dt.date(
        START.year + (START.month - 1 + maanden) // 12, (START.month - 1 + maanden) % 12 + 1, 1
    )
    tot -= dt.timedelta(days=1)
    regels = []
    for a in afspraken:
        for d in _termen(a, tot):
            tekst = {
                "huur": f"Huur {d:%m-%Y}",
                "energie": f"Termijn {a['termen'][0] if a['termen'] else ''}",
                "uitkering": f"Uitkering {a['termen'][0] if a['termen'] else ''} periode {d:%m-%Y}",
            }[a["soort"]]
            regels.append(
                (
                    d,
                    a["richting"] == "inkomen",
                    a["bedrag"],
                    a["naam"],
                    a["iban"],
                    tekst,
                    a["kenmerk"],
                )
            )
    rnd.shuffle(regels)
    regels = regels[:matched]
    vreemd = _ibans("ABNA", 50, 3000)
    while len(regels) < entries:
        d = START + dt.timedelta(days=rnd.randrange((tot - START).days + 1))
        credit = rnd.random() < 0.5
        regels.append(
            (
                d,
                credit,
                Decimal(rnd.randint(100, 30000)) / 100,
                "Onbekend",
                rnd.choice(vreemd),
                "Gift" if credit else "Kosten",
                "",
            )
        )
    regels.sort(key=lambda r: r[0])
    return afspraken, regels


def write_camt(path: Path, regels, *, message: str = "camt.053") -> None:
    element, statement = {
        "camt.053": ("BkToCstmrStmt", "Stmt"),
        "camt.052": ("BkToCstmrAcctRpt", "Rpt"),
    }[message]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{message}.001.02">\n'
            f"  <{element}>\n"
            f"    <GrpHdr><MsgId>BENCH-{message}</MsgId><CreDtTm>2026-04-01T22:00:00+01:00</CreDtTm></GrpHdr>\n"
            f"    <{statement}>\n"
            f"      <Id>BENCH-{message}-1</Id><ElctrncSeqNb>1</ElctrncSeqNb>\n"
            f"      <Acct><Id><IBAN>{ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        )
        for i, (d, credit, bedrag, naam, iban, tekst, kenmerk) in enumerate(regels):
            indicator = "CRDT" if credit else "DBIT"
            party, agent = ("Dbtr", "DbtrAgt") if credit else ("Cdtr", "CdtrAgt")
            if kenmerk:
                rmt = (
                    f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp>"
                    f"<Ref>{kenmerk}</Ref></CdtrRefInf></Strd>"
                )
            else:
                rmt = f"<Ustrd>{tekst}</Ustrd>"
            out.write(
                f"""      <Ntry>
        <Amt Ccy="EUR">{bedrag}</Amt>
        <CdtDbtInd>{indicator}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{d}</Dt></BookgDt>
        <ValDt><Dt>{d}</Dt></ValDt>
        <AcctSvcrRef>{d:%y%m%d}{i:010d}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><InstrId>INSTR-{i}</InstrId><EndToEndId>E2E-{i:09d}</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">{bedrag}</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <{party}><Nm>{naam}</Nm></{party}>
              <{party}Acct><Id><IBAN>{iban}</IBAN></Id></{party}Acct>
            </RltdPties>
            <RltdAgts><{agent}><FinInstnId><BIC>INGBNL2A</BIC></FinInstnId></{agent}></RltdAgts>
            <RmtInf>{rmt}</RmtInf>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>/TRTP/SEPA OVERBOEKING/REMI/{tekst}</AddtlNtryInf>
      </Ntry>
"""
            )
        out.write(f"    </{statement}>\n  </{element}>\n</Document>\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--huishoudens", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default="postgres://perspectief:perspectief@127.0.0.1:5432/hhb_inlezen_bench",
    )
    parser.add_argument("--keep", type=Path, help="write the files in this folder and keep them")
    parser.add_argument(
        "--profile", action="store_true", help="profile step 1 (cProfile) and print the top 25"
    )
    parser.add_argument(
        "--sql", action="store_true", help="step 1: time spent in SQL per kind of statement"
    )
    parser.add_argument(
        "--serieel",
        action="store_true",
        help="step 1 without the writer thread (inlezen.PIJPLIJN = False), for comparison",
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.base")
    _database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    _backends_volgen()
    from perspectief.contrib.bankformaten import parse_statement
    from perspectief.huishoudboekje import grootboek
    from perspectief.huishoudboekje import inlezen
    from perspectief.huishoudboekje.inlezen import bankbestand_inlezen

    inlezen.PIJPLIJN = not args.serieel
    # The import enqueues signalen_na_inlezen when it commits; here it is only recorded,
    # and the signals run is timed on its own after step 1.
    aangeboden: list[int] = []
    inlezen._signalen_na_inlezen = aangeboden.append
    from perspectief.huishoudboekje.models import (
        Afspraak,
        Banktransactie,
        Deelname,
        Organisatie,
        Tussenrekening,
    )
    from perspectief.huishoudens.models import Adres, Gemeente, Huishouden
    from perspectief.toegang.constants import Rol, Soort
    from perspectief.toegang.models import Gebruiker

    print(
        f"Huishoudboekje import benchmark: {args.huishoudens:,} households, {args.entries:,} entries, "
        f"PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    with connection.cursor() as cursor:  # the benchmark database only
        cursor.execute("ALTER TABLE huishoudboekje_journaalpost DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE huishoudboekje_mutatie DISABLE TRIGGER USER")
        cursor.execute(
            "TRUNCATE huishoudboekje_signaal_transacties, huishoudboekje_signaal, huishoudboekje_betaling, "
            "huishoudboekje_betaalbatch, huishoudboekje_mutatie, huishoudboekje_journaalpost, "
            "huishoudboekje_banktransactie, huishoudboekje_bankbestand, huishoudboekje_rekening, "
            "huishoudboekje_afspraak, huishoudboekje_organisatie, huishoudboekje_deelname, "
            "huishoudboekje_tussenrekening CASCADE"
        )
        cursor.execute("ALTER TABLE huishoudboekje_journaalpost ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE huishoudboekje_mutatie ENABLE TRIGGER USER")
    gemeente, _ = Gemeente.objects.get_or_create(
        cbs_code="GM9999", defaults={"naam": "Voorbeeld", "slug": "voorbeeld"}
    )
    beheerder, _ = Gebruiker.objects.get_or_create(
        username="bench.budgetbeheerder",
        defaults={"soort": Soort.MEDEWERKER, "rol": Rol.BUDGETBEHEERDER, "gemeente": gemeente},
    )
    tussenrekening = Tussenrekening.objects.create(
        gemeente=gemeente, iban=ACCOUNT, naam="Gemeente Voorbeeld"
    )

    klaar = _timer()
    afspraken, regels = plan(args.huishoudens, args.entries)
    huishoudens = list(
        Huishouden.objects.filter(gemeente=gemeente, naam__startswith="Bench ").order_by("pk")
    )
    if len(huishoudens) < args.huishoudens:
        adressen = Adres.objects.bulk_create(
            [
                Adres(
                    straat="Benchstraat",
                    huisnummer=i + 1,
                    postcode="9999 AA",
                    woonplaats="Voorbeeld",
                )
                for i in range(len(huishoudens), args.huishoudens)
            ],
            batch_size=5000,
        )
        huishoudens += Huishouden.objects.bulk_create(
            [
                Huishouden(
                    gemeente=gemeente, adres=a, naam=f"Bench {a.huisnummer}", aantal_personen=1
                )
                for a in adressen
            ],
            batch_size=5000,
        )
    deelnames = Deelname.objects.bulk_create(
        [
            Deelname(
                huishouden=h,
                tussenrekening=tussenrekening,
                budgetbeheerder=beheerder,
                startdatum=dt.date(2025, 1, 1),
                leefgeld_iban="NL91ABNA0417164300",
                leefgeld_naam=h.naam,
            )
            for h in huishoudens[: args.huishoudens]
        ],
        batch_size=5000,
    )
    organisaties = {}
    for a in afspraken:
        if a["naam"] not in organisaties:
            organisaties[a["naam"]] = Organisatie.objects.create(gemeente=gemeente, naam=a["naam"])
    rubriek = {"huur": "huur", "energie": "energie", "uitkering": "uitkering"}
    Afspraak.objects.bulk_create(
        [
            Afspraak(
                deelname=deelnames[a["h"]],
                richting=a["richting"],
                rubriek=rubriek[a["soort"]],
                omschrijving=a["soort"].capitalize(),
                organisatie=organisaties[a["naam"]],
                tegenrekening_iban=a["iban"],
                bedrag=a["bedrag"],
                marge_bedrag=Decimal("5.00"),
                marge_dagen=3,
                frequentie="maand",
                dag=a["dag"],
                geldig_vanaf=dt.date(2025, 1, 1),
                zoektermen=a["termen"],
                betalingskenmerk=a["kenmerk"],
            )
            for a in afspraken
        ],
        batch_size=5000,
    )
    print(f"setup: {len(deelnames):,} deelnames, {len(afspraken):,} afspraken in {_fmt(klaar())}")

    print(f"load average (1 min) at the start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        map_ = args.keep or Path(folder)
        map_.mkdir(parents=True, exist_ok=True)
        pad053, pad052 = map_ / "bench-camt053.xml", map_ / "bench-camt052.xml"
        klaar = _timer()
        write_camt(pad053, regels)
        write_camt(pad052, regels, message="camt.052")
        print(
            f"files: {len(regels):,} entries, {pad053.stat().st_size / 1e6:.1f} MB each, written in {_fmt(klaar())}"
        )
        inhoud053, inhoud052 = pad053.read_bytes(), pad052.read_bytes()

        gc.collect()
        klaar = _timer()
        bestand = parse_statement(inhoud053, expected_iban=ACCOUNT)
        print(
            f"parse_statement alone (reference):          {_fmt(klaar())}, {len(bestand.entries):,} entries"
        )
        del bestand
        gc.collect()

        server = _server_cpu()
        klaar = _timer()
        if args.sql:
            inlezen.PIJPLIJN = False  # the SQL of this thread's connection only
            from collections import defaultdict

            per_soort: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])

            def meten(execute, sql, params, many, context):
                begin = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    woorden = sql.split()
                    soort = (
                        " ".join(woorden[:3])
                        if woorden[0] != "SELECT"
                        else "SELECT ... " + sql.split("FROM")[1].split()[0]
                    )
                    per_soort[soort][0] += 1
                    per_soort[soort][1] += time.perf_counter() - begin

            with connection.execute_wrapper(meten):
                bb = bankbestand_inlezen(
                    actor=beheerder,
                    tussenrekening=tussenrekening,
                    bestandsnaam=pad053.name,
                    inhoud=inhoud053,
                )
            for soort, (aantal, seconden) in sorted(per_soort.items(), key=lambda kv: -kv[1][1])[
                :12
            ]:
                print(f"   SQL {seconden:6.2f} s  {aantal:5d}x  {soort[:90]}")
        elif args.profile:
            import cProfile
            import pstats

            profiel = cProfile.Profile()
            bb = profiel.runcall(
                bankbestand_inlezen,
                actor=beheerder,
                tussenrekening=tussenrekening,
                bestandsnaam=pad053.name,
                inhoud=inhoud053,
            )
            pstats.Stats(profiel).sort_stats("tottime").print_stats(25)
        else:
            bb = bankbestand_inlezen(
                actor=beheerder,
                tussenrekening=tussenrekening,
                bestandsnaam=pad053.name,
                inhoud=inhoud053,
            )
        t = klaar()
        print(
            f"1. import + match camt.053 (goal < 10 s):    {_fmt(t)}  "
            f"{bb.aantal_boekingen:,} lines, {bb.nieuw:,} new, {bb.automatisch_geboekt:,} booked automatically "
            f"({bb.automatisch_geboekt / max(bb.nieuw, 1):.0%}), status {bb.status}; "
            f"PostgreSQL backend CPU {_server_cpu() - server:.2f} s"
        )
        gc.collect()
        from perspectief.huishoudboekje.tasks import signalen_na_inlezen

        server = _server_cpu()
        klaar = _timer()
        signalen = signalen_na_inlezen(bankbestand_id=bb.pk) if aangeboden == [bb.pk] else None
        print(
            f"1b. signalen_na_inlezen (enqueued by 1: {aangeboden == [bb.pk]}): {_fmt(klaar())}  "
            f"{signalen} new signals; PostgreSQL backend CPU {_server_cpu() - server:.2f} s"
        )
        gc.collect()
        klaar = _timer()
        bb2 = bankbestand_inlezen(
            actor=beheerder,
            tussenrekening=tussenrekening,
            bestandsnaam="again.xml",
            inhoud=inhoud053,
        )
        print(
            f"2. same file again (goal < 2 s):             {_fmt(klaar())}  same Bankbestand: {bb2.pk == bb.pk}"
        )
        gc.collect()
        server = _server_cpu()
        klaar = _timer()
        bb3 = bankbestand_inlezen(
            actor=beheerder,
            tussenrekening=tussenrekening,
            bestandsnaam=pad052.name,
            inhoud=inhoud052,
        )
        print(
            f"3. same lines as camt.052 (by fingerprint):  {_fmt(klaar())}  "
            f"{bb3.nieuw:,} new, {bb3.al_bekend:,} already known; PostgreSQL backend CPU {_server_cpu() - server:.2f} s"
        )
        print(f"   lines in the database: {Banktransactie.objects.count():,}")
        klaar = _timer()
        problemen = grootboek.controleren()
        print(
            f"grootboek.controleren():                    {_fmt(klaar())}  problems: {len(problemen)}"
        )


if __name__ == "__main__":
    main()
