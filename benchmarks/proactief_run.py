"""Benchmark: proactive granting over 100,000 households on PostgreSQL.

Run from the repository root (PostgreSQL must run; the script uses its own database
`proactief_bench`, creates it when missing and empties its households every run):

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/proactief_run.py                # 100,000 households
    .venv/bin/python benchmarks/proactief_run.py --huishoudens 10000 --database-url postgres://...

What it does and prints (seconds, wall clock; CPU time of this process in brackets):
1. Generates a CSV export of N households with the demo generator (same people, incomes and
   addresses as `manage.py demo_genereren`; bijstand is left out of the income, as the CSV
   format asks; savings, rent and months on a low income are added deterministically).
2. Imports it through the real services (`import_aanmaken` + `import_verwerken`): parse and
   validate every row, create Adres/Huishouden/Persoon/Inkomen in bulk (BSN encrypted with
   its blind index), keep the engine snapshot per household.
3. A proactive run (`ronde_uitvoeren`) over all imported households on the peildatum: loading
   the population from the database (first run) and from the cache (second run), screening
   with the gemeente's catalogue and writing every candidate row. Goal: < 30 s.
4. The armoederegisseur's what-if (`selectors.wat_als`): the income limit of one scheme at
   100..150 % in steps of 10 plus a chosen value, 7 variants, over the cached population.
   Goal: < 1 s. Measured with nothing cached (columns read from the database), as in a new
   process (columns from Django's cache, screening again) and warm (median of 5).
5. The size of the columns shared through Django's cache, and the candidate list page's query
   for the klantmanager's caseload (count + page 3 of the voorbeeldpas, as the view runs it).

It asserts nothing; it prints the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _meten import ensure_database as _database  # noqa: E402  (benchmarks/ is on sys.path)
from _meten import timer as _timer  # noqa: E402
from _meten import fmt  # noqa: E402


def _fmt(t) -> str:
    return fmt(t, width=7)


def _csv(aantal: int) -> bytes:
    from perspectief.proactief.demo import demo_csv

    return demo_csv(aantal=aantal)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--huishoudens", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://perspectief:perspectief@127.0.0.1:5432/proactief_bench")
    parser.add_argument("--peildatum", default="2025-09-01")
    parser.add_argument("--opnieuw", action="store_true", help="import again even when the database holds N households")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.base")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    _database(args.database_url)
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from perspectief.huishoudens.models import Gemeente
    from perspectief.proactief import selectors, services
    from perspectief.proactief.models import Kandidaat, Momentopname
    from perspectief.regelingen.selectors import catalogus_voor_gemeente
    from perspectief.toegang.constants import Rol, Soort
    from perspectief.toegang.models import Gebruiker, Team

    print(f"Proactief benchmark: {args.huishoudens:,} households, PostgreSQL "
          f"{connection.cursor().connection.info.server_version}, peildatum {args.peildatum}")
    with connection.cursor() as cursor:  # the benchmark database only
        # TRUNCATE ... CASCADE also empties tables that point at persons (accounts): made again below.
        if args.opnieuw or Momentopname.objects.count() != args.huishoudens:
            # The cascade reaches the huishoudboekje ledger, whose append-only triggers also
            # refuse TRUNCATE: lifted for this statement only.
            for tabel in ("huishoudboekje_journaalpost", "huishoudboekje_mutatie"):
                cursor.execute(f"ALTER TABLE {tabel} DISABLE TRIGGER USER")
            cursor.execute(
                "TRUNCATE proactief_besluit, proactief_kandidaat, proactief_ronde, proactief_afmelding, proactief_ontvangst, "
                "proactief_momentopname, proactief_import, huishoudens_inkomen, huishoudens_toestemming, "
                "huishoudens_buddykoppeling, huishoudens_persoon, huishoudens_huishouden, huishoudens_adres CASCADE"
            )
            for tabel in ("huishoudboekje_journaalpost", "huishoudboekje_mutatie"):
                cursor.execute(f"ALTER TABLE {tabel} ENABLE TRIGGER USER")
            importeren = True
        else:
            cursor.execute("TRUNCATE proactief_besluit, proactief_kandidaat, proactief_ronde CASCADE")
            importeren = False
    gemeente, _ = Gemeente.objects.get_or_create(cbs_code="GM9999", defaults={"naam": "Voorbeeld", "slug": "voorbeeld"})
    team, _ = Team.objects.get_or_create(gemeente=gemeente, naam="Bench team")
    km, _ = Gebruiker.objects.get_or_create(
        username="bench.klantmanager", defaults={"soort": Soort.MEDEWERKER, "rol": Rol.KLANTMANAGER, "gemeente": gemeente}
    )
    km.teams.set([team])

    if importeren:
        klaar = _timer()
        inhoud = _csv(args.huishoudens)
        regels = inhoud.count(b"\n") - 1
        print(f"1. CSV generated ({len(inhoud) / 1e6:.1f} MB, {regels:,} person rows): {_fmt(klaar())}")
        klaar = _timer()
        upload = services.import_aanmaken(actor=km, gemeente=gemeente, team=team, inhoud=inhoud)
        upload = services.import_verwerken(import_id=upload.pk)
        print(f"2. import (parse, validate, create households, snapshots): {_fmt(klaar())}  "
              f"status={upload.status} nieuw={upload.nieuw:,} foute regels={len(upload.fouten)}")
    else:
        print(f"1-2. {args.huishoudens:,} households already imported (use --opnieuw to import again)")

    peildatum = dt.date.fromisoformat(args.peildatum)
    catalogus = catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
    from django.conf import settings
    from django.core.cache import cache

    selectors.populatie_vergeten(gemeente_id=gemeente.pk)
    cache.clear()  # the shared copy of the columns too
    klaar = _timer()
    ronde = services.ronde_uitvoeren(actor=km, gemeente=gemeente, peildatum=peildatum)
    eerste = klaar()
    print(f"3a. proactive run, population read from the database: {_fmt(eerste)}  "
          f"households={ronde.aantal_huishoudens:,} candidates written={ronde.aantal_kandidaten:,}  goal < 30 s")
    klaar = _timer()
    selectors.populatie_vergeten(gemeente_id=gemeente.pk)
    cache.clear()
    selectors.kolommen(gemeente_id=gemeente.pk)
    print(f"    of which loading the population from the database: {_fmt(klaar())}")
    klaar = _timer()
    ronde2 = services.ronde_uitvoeren(actor=km, gemeente=gemeente, peildatum=peildatum)
    print(f"3b. proactive run, population cached: {_fmt(klaar())}  candidates written={ronde2.aantal_kandidaten:,}")
    for code, data in sorted(ronde.per_regeling.items()):
        print(f"      {code:45s} {data['kandidaten']:>8,}")
    print(f"    candidate rows in the database: {Kandidaat.objects.count():,}; snapshots: {Momentopname.objects.count():,}")

    keuze = next(k for k in selectors.wat_als_keuzes(catalogus=catalogus)
                 if k.regeling == "individuele_inkomenstoeslag" and k.pad.endswith("percentage_bijstandsnorm"))
    waarden = sorted(set(keuze.stappen) | {keuze.huidig, 125.0})
    selectors.populatie_vergeten(gemeente_id=gemeente.pk)
    cache.clear()
    klaar = _timer()
    punten = selectors.wat_als(gemeente_id=gemeente.pk, peildatum=peildatum, catalogus=catalogus, keuze=keuze, waarden=waarden)
    print(f"4a. what-if, {len(waarden)} values, nothing cached (population from the database + screening): {_fmt(klaar())}")
    selectors.populatie_vergeten(gemeente_id=gemeente.pk)
    klaar = _timer()
    punten = selectors.wat_als(gemeente_id=gemeente.pk, peildatum=peildatum, catalogus=catalogus, keuze=keuze, waarden=waarden)
    print(f"4b. what-if in a new process: columns from Django's cache "
          f"({settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}) + screening: "
          f"{_fmt(klaar())}")
    tijden = []
    for _ in range(5):
        klaar = _timer()
        punten = selectors.wat_als(gemeente_id=gemeente.pk, peildatum=peildatum, catalogus=catalogus, keuze=keuze, waarden=waarden)
        tijden.append(klaar())
    mediaan = statistics.median(t[0] for t in tijden)
    print(f"4c. what-if, {len(waarden)} values, population cached per import: median {mediaan:.3f} s "
          f"(max {max(t[0] for t in tijden):.3f} s)  goal < 1 s")
    for punt in punten:
        print(f"      {keuze.pad.rsplit('.', 1)[1]} = {punt.waarde:6g}: households {punt.huishoudens!s:>8}  "
              f"cost per year {punt.kosten_per_jaar!s:>14}")

    import pickle

    from django.core.paginator import Paginator

    from perspectief.huishoudens import policies as huishouden_policies
    from perspectief.proactief.views import PAGE_SIZE

    kolommen = selectors.kolommen(gemeente_id=gemeente.pk)
    gedeeld = {naam: getattr(kolommen, naam) for naam in selectors.KOLOMNAMEN}
    print(f"5a. columns shared through Django's cache: {len(pickle.dumps(gedeeld)) / 1e6:.1f} MB")
    klaar = _timer()
    kandidaten = selectors.kandidaten_in_caseload(
        ronde=ronde2, zichtbaar=huishouden_policies.households_visible_to(km), regeling="voorbeeldpas"
    )
    pagina = Paginator(kandidaten, PAGE_SIZE).get_page(3)
    rijen = list(pagina.object_list)
    print(f"5b. candidate list page (count + page 3, voorbeeldpas): {_fmt(klaar())}  "
          f"{len(rijen)} rows of {pagina.paginator.count:,}")


if __name__ == "__main__":
    main()
