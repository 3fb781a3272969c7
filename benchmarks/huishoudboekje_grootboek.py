"""Benchmark: the huishoudboekje ledger on PostgreSQL.

Run from the repository root (PostgreSQL must run; the script uses its own database
`hhb_grootboek_bench`, creates it when missing and empties the huishoudboekje tables
every run):

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/huishoudboekje_grootboek.py
    .venv/bin/python benchmarks/huishoudboekje_grootboek.py --rekeningen 10000 --posten 10

What it does and prints (seconds, wall clock; CPU time of this process in brackets):
1. ``boeken`` of one journaalpost with N + 1 regels on N + 1 distinct accounts (N
   category accounts and the BANK account), as an import chunk books it; repeated
   ``--posten`` times, so N x posten mutations in the end.
2. ``boeken`` of 1,000 small journaalposten of 2 regels each (a manual booking).
3. ``terugdraaien`` of one big journaalpost.
4. ``controleren()`` over everything (and ``manage.py huishoudboekje_controle`` does the
   same plus two counts).

It asserts nothing; it prints the figures.

Results (2026-11-23, 2-core VM shared with three other engineers' test runs, load
average 2 to 4, PostgreSQL 15, defaults): 1. 0.78 s first, 0.98 s mean, 1.58 s max
(a quiet run measured 0.65 s: 0.28 s bulk insert, 0.16 s the saldo UPDATE);
2. 2.1 to 6.2 ms per small journaalpost; 3. 0.85 to 1.9 s; 4. 0.12 to 0.31 s over
112,011 mutaties, 0 problems.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _meten import ensure_database as _database  # noqa: E402  (benchmarks/ is on sys.path)
from _meten import timer as _timer  # noqa: E402
from _meten import fmt as _fmt  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rekeningen", type=int, default=10_000)
    parser.add_argument("--posten", type=int, default=10)
    parser.add_argument(
        "--database-url", default="postgres://perspectief:perspectief@127.0.0.1:5432/hhb_grootboek_bench"
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
    from perspectief.huishoudboekje.constants import JournaalSoort, RekeningSoort
    from perspectief.huishoudboekje.grootboek import Regel, boeken, controleren, terugdraaien
    from perspectief.huishoudboekje.models import Mutatie, Rekening, Tussenrekening
    from perspectief.huishoudens.models import Gemeente

    print(
        f"Huishoudboekje ledger benchmark: {args.rekeningen:,} accounts, {args.posten} big journaalposten, "
        f"PostgreSQL {connection.cursor().connection.info.server_version}"
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
    gemeente, _ = Gemeente.objects.get_or_create(cbs_code="GM9999", defaults={"naam": "Voorbeeld", "slug": "voorbeeld"})
    Tussenrekening.objects.create(gemeente=gemeente, iban="NL36ABNA5632579034", naam="Gemeente")
    # The counter-account is a category too: BANK must match bank lines, which this
    # benchmark does not create (controleren would rightly report it).
    tegen = Rekening.objects.create(gemeente=gemeente, soort=RekeningSoort.CATEGORIE, naam="Bench tegenrekening")
    rekeningen = Rekening.objects.bulk_create(
        [
            Rekening(gemeente=gemeente, soort=RekeningSoort.CATEGORIE, naam=f"Bench {nummer}")
            for nummer in range(args.rekeningen)
        ],
        batch_size=5000,
    )
    dag = dt.date(2026, 3, 2)

    tijden = []
    posten = []
    for herhaling in range(args.posten):
        bedragen = [Decimal(f"{(nummer * 37 + herhaling) % 100_000 + 1}.{nummer % 100:02d}") for nummer in range(args.rekeningen)]
        regels = [Regel(rekening=rekening, bedrag=-bedrag) for rekening, bedrag in zip(rekeningen, bedragen)]
        regels.append(Regel(rekening=tegen, bedrag=sum(bedragen, Decimal("0.00"))))
        klaar = _timer()
        posten.append(boeken(gemeente=gemeente, soort=JournaalSoort.AFSCHRIFT, datum=dag, regels=regels))
        tijden.append(klaar())
    print(
        f"1. boeken, {args.rekeningen + 1:,} regels on as many accounts: first {_fmt(tijden[0])}, "
        f"mean {sum(t[0] for t in tijden) / len(tijden):.2f} s, max {max(t[0] for t in tijden):.2f} s"
    )

    klaar = _timer()
    for nummer in range(1000):
        boeken(
            gemeente=gemeente,
            soort=JournaalSoort.HANDMATIG,
            datum=dag,
            regels=[
                Regel(rekening=rekeningen[nummer], bedrag=Decimal("1.00")),
                Regel(rekening=rekeningen[-1 - nummer], bedrag=Decimal("-1.00")),
            ],
        )
    t = klaar()
    print(f"2. boeken, 1,000 journaalposten of 2 regels: {_fmt(t)}, {t[0]:.2f} ms each")

    klaar = _timer()
    terugdraaien(journaalpost=posten[0], door=None, datum=dag)
    print(f"3. terugdraaien of one journaalpost of {args.rekeningen + 1:,} regels: {_fmt(klaar())}")

    aantal = Mutatie.objects.count()
    klaar = _timer()
    problemen = controleren()
    print(f"4. controleren over {aantal:,} mutaties and {len(rekeningen) + 2:,} accounts: {_fmt(klaar())}, "
          f"{len(problemen)} problems")
    for probleem in problemen[:5]:
        print("   ", probleem)


if __name__ == "__main__":
    main()
