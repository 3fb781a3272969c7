"""Benchmark: the budgetbeheerder's huishoudboekje pages with a large caseload, on PostgreSQL.

Run from the repository root (PostgreSQL must run; the script drops and recreates its own
database `hhb_schermen_bench` every run):

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/huishoudboekje_schermen.py
    .venv/bin/python benchmarks/huishoudboekje_schermen.py --huishoudens 5000 --open 200 --herhalingen 20

What it does and prints:
1. One team with N households in the caseload of one budgetbeheerder, each with a deelname,
   its ledger account, three afspraken (rent, energy, a benefit from one shared UWV account)
   and every tenth household an open signal; M open bank lines on the tussenrekening (half of
   them the rent of a household: IBAN, amount and date fit).
2. Requests each page through Django's test client in this process (middleware, session,
   audit entry and template included; no network, no gunicorn): the work list (page 1, the
   filter "negatief saldo", a name search through the session token), a household's page,
   the open posten page (10 lines, each with its ranked suggestions among the caseload's
   afspraken) and one bank line's page.
3. Prints per page: SQL queries per request, and the median and max time over the repeats (ms).

It asserts nothing; it prints the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def _database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _vullen(aantal: int, open_regels: int):
    from tests.factories import GemeenteFactory, TeamFactory
    from tests.huishoudboekje.factories import BudgetbeheerderFactory, TussenrekeningFactory

    from perspectief.huishoudboekje import grootboek
    from perspectief.huishoudboekje.models import (
        Afspraak,
        Bankbestand,
        Banktransactie,
        Deelname,
        Organisatie,
        Rekening,
        Signaal,
    )
    from perspectief.huishoudens.models import Adres, Huishouden

    gemeente = GemeenteFactory()
    team = TeamFactory(gemeente=gemeente)
    tussenrekening = TussenrekeningFactory(gemeente=gemeente)
    beheerder = BudgetbeheerderFactory(gemeente=gemeente, teams=[team])
    adressen = Adres.objects.bulk_create([
        Adres(straat="Dorpsstraat", huisnummer=i + 1, postcode="9999 AA", woonplaats="Voorbeeld") for i in range(aantal)
    ], batch_size=2000)
    Huishouden.objects.bulk_create(
        [Huishouden(gemeente=gemeente, team=team, adres=adres, naam=f"Huishouden {i:05d}") for i, adres in enumerate(adressen)],
        batch_size=2000,
    )
    huishoudens = list(Huishouden.objects.filter(team=team).order_by("pk"))
    Deelname.objects.bulk_create([
        Deelname(huishouden=h, tussenrekening=tussenrekening, budgetbeheerder=beheerder, startdatum=dt.date(2026, 1, 1),
                 leefgeld_iban="NL91ABNA0417164300", leefgeld_naam=h.naam)
        for h in huishoudens
    ], batch_size=2000)
    deelnames = list(Deelname.objects.filter(tussenrekening=tussenrekening).order_by("pk"))
    Rekening.objects.bulk_create([
        Rekening(gemeente=gemeente, soort="huishouden", naam=f"Huishouden {d.huishouden_id}", deelname=d,
                 tussenrekening=tussenrekening, saldo=Decimal("25.00") if i % 7 == 0 else Decimal("-300.00"))
        for i, d in enumerate(deelnames)
    ], batch_size=2000)
    verhuurder = Organisatie.objects.create(gemeente=gemeente, naam="Woningstichting")
    energie = Organisatie.objects.create(gemeente=gemeente, naam="Energiebedrijf")
    uwv = Organisatie.objects.create(gemeente=gemeente, naam="UWV")
    afspraken = []
    for i, d in enumerate(deelnames):
        afspraken += [
            Afspraak(deelname=d, richting="uitgave", rubriek="huur", omschrijving="Huur", organisatie=verhuurder,
                     tegenrekening_iban=f"NL20INGB{i:010d}", bedrag=Decimal("650.00") + i % 50, frequentie="maand",
                     dag=1, geldig_vanaf=dt.date(2026, 1, 1)),
            Afspraak(deelname=d, richting="uitgave", rubriek="energie", omschrijving="Energie", organisatie=energie,
                     tegenrekening_iban="NL39RABO0300065264", bedrag=Decimal("120.00"), frequentie="maand", dag=28,
                     geldig_vanaf=dt.date(2026, 1, 1), zoektermen=[f"klant {i}"]),
            Afspraak(deelname=d, richting="inkomen", rubriek="uitkering", omschrijving="Uitkering", organisatie=uwv,
                     tegenrekening_iban="NL44RABO0123456789", bedrag=Decimal("1350.00"), frequentie="maand", dag=23,
                     geldig_vanaf=dt.date(2026, 1, 1), zoektermen=[f"client {i}"]),
        ]
    Afspraak.objects.bulk_create(afspraken, batch_size=5000)
    Signaal.objects.bulk_create([
        Signaal(deelname=d, soort="negatief_saldo", periode=dt.date(2026, 11, 1)) for d in deelnames[::10]
    ])
    bestand = Bankbestand.objects.create(tussenrekening=tussenrekening, sha256="0" * 64, bestandsnaam="bench.xml", status="klaar")
    regels = Banktransactie.objects.bulk_create([
        Banktransactie(
            tussenrekening=tussenrekening, bankbestand=bestand, kenmerk=f"bench-{n}", boekdatum=dt.date(2026, 11, 2),
            richting="uitgave", bedrag=(Decimal("650.00") + n % 50) if n % 2 == 0 else Decimal("17.95"),
            tegenrekening_iban=f"NL20INGB{n:010d}" if n % 2 == 0 else "NL02ABNA0123456789",
            tegenpartij_naam="Woningstichting" if n % 2 == 0 else "Webwinkel", omschrijving=f"Regel {n}",
        )
        for n in range(open_regels)
    ])
    bank, onverdeeld = grootboek.systeemrekeningen(tussenrekening)
    totaal = sum((r.bedrag for r in regels), Decimal(0))
    grootboek.boeken(gemeente=gemeente, soort="afschrift", datum=dt.date(2026, 11, 2), bankbestand=bestand, regels=[
        grootboek.Regel(rekening=bank, bedrag=-totaal), grootboek.Regel(rekening=onverdeeld, bedrag=totaal),
    ])
    return beheerder, deelnames[0], regels[0]


def _meten(client, url: str, herhalingen: int, *, post: dict | None = None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tijden = []
    queries = 0
    for _ in range(herhalingen):
        with CaptureQueriesContext(connection) as context:
            begin = time.perf_counter()
            response = client.post(url, post, follow=True) if post is not None else client.get(url)
            tijden.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(context.captured_queries)
    return queries, statistics.median(tijden), max(tijden)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--huishoudens", type=int, default=5000)
    parser.add_argument("--open", type=int, default=200, help="open bank lines")
    parser.add_argument("--herhalingen", type=int, default=20)
    parser.add_argument("--database-url", default="postgres://perspectief:perspectief@127.0.0.1:5432/hhb_schermen_bench")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.base")
    _database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's response.context; ALLOWED_HOSTS testserver
    call_command("migrate", verbosity=0)
    begin = time.perf_counter()
    beheerder, deelname, regel = _vullen(args.huishoudens, args.open)
    print(f"Huishoudboekje screens benchmark: {args.huishoudens:,} households in one caseload "
          f"({3 * args.huishoudens:,} afspraken), {args.open} open lines, "
          f"PostgreSQL {connection.cursor().connection.info.server_version}; data in {time.perf_counter() - begin:.1f} s")

    from tests.conftest import login_verified

    client = login_verified(Client(), beheerder)
    paginas = [
        ("werklijst, pagina 1", "/huishoudboekje/", None),
        ("werklijst, negatief saldo", "/huishoudboekje/?filter=negatief", None),
        ("werklijst, zoeken op naam (POST + redirect)", "/huishoudboekje/", {"zoekterm": "01234", "filter": ""}),
        ("pagina van een huishouden", f"/huishoudboekje/{deelname.uuid}/", None),
        ("bankafschriften", "/huishoudboekje/afschriften/", None),
        ("open posten (10 regels met voorstellen)", "/huishoudboekje/afschriften/open-posten/", None),
        ("een bankregel met voorstellen", f"/huishoudboekje/afschriften/regels/{regel.pk}/", None),
    ]
    print(f"{'pagina':48} {'queries':>8} {'mediaan ms':>11} {'max ms':>8}")
    for naam, url, post in paginas:
        queries, mediaan, hoogste = _meten(client, url, args.herhalingen, post=post)
        print(f"{naam:48} {queries:8d} {mediaan:11.1f} {hoogste:8.1f}")


if __name__ == "__main__":
    main()
