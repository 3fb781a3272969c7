"""Benchmark: plan, prepare, approve and export a payment batch of 10,000 payments, and
run the signals over 10,000 households, on PostgreSQL.

Run from the repository root (PostgreSQL must run; the script uses its own database
`hhb_betaalbatch_bench`, creates it when missing and empties the huishoudboekje tables
every run):

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/huishoudboekje_betaalbatch.py
    .venv/bin/python benchmarks/huishoudboekje_betaalbatch.py --huishoudens 10000 --leefgeld vast --keep /tmp/bench

What it does and prints (seconds, wall clock; CPU time of this process in brackets):
1. Creates N households with a deelname, a monthly rent (one of 20 landlords, on a day
   1..28, half with a betalingskenmerk) and a monthly benefit, in bulk.
   99 % of the households have their rent plus 400.00 on their ledger account, 1 % are
   25.00 short.
2. ``betalingen_plannen`` for one month from the first Monday after today: exactly one
   rent term per household, so N payments. Leefgeld (``--leefgeld``): ``budget`` asks
   ``budget.overzichten`` for every household with money (the real cost: N more payments
   but for the 1 % without money), ``vast`` pretends 50.00 each without asking the budget,
   ``geen`` leaves leefgeld out (fixed costs only). Then the same planning again: nothing
   new (idempotent).
3. ``batch_voorbereiden`` up to the last execution day of that month: one conditional
   UPDATE. Every payment keeps its own execution date (one payment block per date).
4. ``batch_goedkeuren`` by a second budgetbeheerder: builds the pain.001.001.09, validates
   it against the official XSD, stores it and marks the payments sent.
5. Export: reads the stored file back from the database and writes it to disk, as the
   download does. For reference (not in the total): ``read_credit_transfer`` of the file
   with XSD validation, checking count, total and end-to-end ids.
   Goal: 2 + 3 + 4 + 5 under 10 s.
6. ``signalen_bijwerken`` over all N households, with two months of booked benefit lines
   (some late, some off in amount, some twice, some missing) and some negative balances.

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
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _meten import ensure_database as _database  # noqa: E402  (benchmarks/ is on sys.path)
from _meten import timer as _timer  # noqa: E402
from _meten import fmt as _fmt  # noqa: E402

ACCOUNT = "NL36ABNA5632579034"
UWV = ("UWV Uitkeringen", "NL44RABO0123456789")


def _ibans(bank: str, n: int, start: int) -> list[str]:
    from schwifty import IBAN

    return [str(IBAN.generate("NL", bank_code=bank, account_code=f"{start + i:010d}").compact) for i in range(n)]


def _een_maand_later(dag: dt.date) -> dt.date:
    jaar, maand = divmod(dag.month, 12)
    return dag.replace(year=dag.year + jaar, month=maand + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--huishoudens", type=int, default=10_000)
    parser.add_argument("--leefgeld", choices=("budget", "vast", "geen"), default="budget")
    parser.add_argument("--database-url",
                        default="postgres://perspectief:perspectief@127.0.0.1:5432/hhb_betaalbatch_bench")
    parser.add_argument("--keep", type=Path, help="write the pain.001 in this folder and keep it")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.base")
    _database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from perspectief.contrib.bankformaten import make_betalingskenmerk, next_execution_date, read_credit_transfer
    from perspectief.huishoudboekje import betalingen
    from perspectief.huishoudboekje.betalingen import (
        batch_bestandsnaam,
        batch_goedkeuren,
        batch_voorbereiden,
        betalingen_plannen,
    )
    from perspectief.huishoudboekje.models import (
        Afspraak,
        Bankbestand,
        Banktransactie,
        Betaalbatch,
        Betaling,
        Deelname,
        Organisatie,
        Rekening,
        Signaal,
        Tussenrekening,
    )
    from perspectief.huishoudboekje.signalen import signalen_bijwerken
    from perspectief.huishoudens.models import Adres, Gemeente, Huishouden
    from perspectief.toegang.constants import Rol, Soort
    from perspectief.toegang.models import Gebruiker

    n = args.huishoudens
    print(f"Huishoudboekje payment batch benchmark: {n:,} households, leefgeld '{args.leefgeld}', "
          f"PostgreSQL {connection.cursor().connection.info.server_version}")
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
    voorbereider, goedkeurder = (
        Gebruiker.objects.get_or_create(
            username=f"bench.budgetbeheerder{i}",
            defaults={"soort": Soort.MEDEWERKER, "rol": Rol.BUDGETBEHEERDER, "gemeente": gemeente},
        )[0]
        for i in (1, 2)
    )
    tussenrekening = Tussenrekening.objects.create(gemeente=gemeente, iban=ACCOUNT, bic="ABNANL2A",
                                                   naam="Gemeente Voorbeeld Huishoudboekje")

    # --- 1. setup ---------------------------------------------------------------------------
    klaar = _timer()
    rnd = random.Random(20261123)
    huishoudens = list(Huishouden.objects.filter(gemeente=gemeente, naam__startswith="Bench ").order_by("pk"))
    if len(huishoudens) < n:
        adressen = Adres.objects.bulk_create(
            [Adres(straat="Benchstraat", huisnummer=i + 1, postcode="9999 AA", woonplaats="Voorbeeld")
             for i in range(len(huishoudens), n)], batch_size=5000,
        )
        huishoudens += Huishouden.objects.bulk_create(
            [Huishouden(gemeente=gemeente, adres=a, naam=f"Bench {a.huisnummer}", aantal_personen=1) for a in adressen],
            batch_size=5000,
        )
    deelnames = Deelname.objects.bulk_create(
        [Deelname(huishouden=h, tussenrekening=tussenrekening, budgetbeheerder=voorbereider,
                  startdatum=dt.date(2025, 1, 1), leefgeld_frequentie="week", leefgeld_dag=rnd.randrange(5),
                  leefgeld_iban="NL91ABNA0417164300", leefgeld_naam=h.naam) for h in huishoudens[:n]],
        batch_size=5000,
    )
    verhuurders = [
        Organisatie.objects.create(gemeente=gemeente, naam=f"Woningstichting {i}") for i in range(20)
    ]
    verhuurder_ibans = _ibans("INGB", 20, 1000)
    uwv = Organisatie.objects.create(gemeente=gemeente, naam=UWV[0])
    huur, uitkering = [], []
    for i, deelname in enumerate(deelnames):
        huur.append(Afspraak(
            deelname=deelname, richting="uitgave", rubriek="huur", omschrijving=f"Huur {i}",
            organisatie=verhuurders[i % 20], tegenrekening_iban=verhuurder_ibans[i % 20],
            bedrag=Decimal(rnd.randint(45000, 95000)) / 100, frequentie="maand", dag=1 + rnd.randrange(28),
            geldig_vanaf=dt.date(2025, 1, 1), betalingskenmerk=make_betalingskenmerk(10_000_000 + i) if i % 2 else "",
        ))
        uitkering.append(Afspraak(
            deelname=deelname, richting="inkomen", rubriek="uitkering", omschrijving="Uitkering", organisatie=uwv,
            tegenrekening_iban=UWV[1], bedrag=Decimal(rnd.randint(90000, 140000)) / 100, marge_bedrag=Decimal("5.00"),
            marge_dagen=3, frequentie="maand", dag=1 + rnd.randrange(28), geldig_vanaf=dt.date(2025, 1, 1),
        ))
    Afspraak.objects.bulk_create(huur + uitkering, batch_size=5000)
    # Ledger accounts: most households have their rent and 400.00 on the account; one in a
    # hundred is 25.00 short (no leefgeld, and a negative-balance signal in step 6).
    Rekening.objects.bulk_create(
        [Rekening(gemeente=gemeente, soort="huishouden", naam=f"Huishouden {d.pk}", deelname=d,
                  saldo=Decimal("25.00") if i % 100 == 0 else -(huur[i].bedrag + Decimal("400.00")))
         for i, d in enumerate(deelnames)],
        batch_size=5000,
    )
    print(f"setup: {len(deelnames):,} deelnames, {len(huur) + len(uitkering):,} afspraken in {_fmt(klaar())}")

    if args.leefgeld == "vast":
        betalingen._leefgeld_bedragen = lambda *, deelnames, peildatum: {d.pk: Decimal("50.00") for d in deelnames}
    elif args.leefgeld == "geen":
        betalingen._leefgeld_bedragen = lambda *, deelnames, peildatum: {d.pk: Decimal("0.00") for d in deelnames}

    vandaag = timezone.localdate()
    peildatum = vandaag + dt.timedelta(days=7 - vandaag.weekday())  # next Monday
    tot = _een_maand_later(peildatum) - dt.timedelta(days=1)
    uitvoerdatum = tot
    while True:  # the last execution day on or before tot
        if next_execution_date(uitvoerdatum) == uitvoerdatum:
            break
        uitvoerdatum -= dt.timedelta(days=1)
    uitvoerdatum = max(uitvoerdatum, next_execution_date(peildatum))

    # --- 2. planning ---------------------------------------------------------------------------
    gc.collect()
    klaar = _timer()
    gepland = betalingen_plannen(tussenrekening=tussenrekening, peildatum=peildatum, tot=tot)
    t_plan = klaar()
    leefgeld = Betaling.objects.filter(soort="leefgeld").count()
    print(f"2. betalingen_plannen {peildatum}..{tot}:      {_fmt(t_plan)}  {gepland:,} payments "
          f"({gepland - leefgeld:,} rent, {leefgeld:,} leefgeld)")
    klaar = _timer()
    opnieuw = betalingen_plannen(tussenrekening=tussenrekening, peildatum=peildatum, tot=tot)
    print(f"   the same planning again:                  {_fmt(klaar())}  {opnieuw:,} new")

    # --- 3. prepare ----------------------------------------------------------------------------------
    gc.collect()
    klaar = _timer()
    batch = batch_voorbereiden(actor=voorbereider, tussenrekening=tussenrekening, uitvoerdatum=uitvoerdatum)
    t_voor = klaar()
    print(f"3. batch_voorbereiden on {uitvoerdatum}:        {_fmt(t_voor)}  {batch.aantal:,} payments, "
          f"total {batch.totaal:,.2f}")

    # --- 4. approve ----------------------------------------------------------------------------------
    gc.collect()
    klaar = _timer()
    batch = batch_goedkeuren(actor=goedkeurder, batch=batch)
    t_goed = klaar()
    print(f"4. batch_goedkeuren (pain.001 + XSD):        {_fmt(t_goed)}  {len(batch.bestand) / 1e6:.1f} MB")

    # --- 5. export -------------------------------------------------------------------------------------
    with tempfile.TemporaryDirectory() as folder:
        map_ = args.keep or Path(folder)
        map_.mkdir(parents=True, exist_ok=True)
        gc.collect()
        klaar = _timer()
        opgeslagen = Betaalbatch.objects.get(pk=batch.pk)
        pad = map_ / batch_bestandsnaam(opgeslagen)
        pad.write_bytes(bytes(opgeslagen.bestand))
        t_export = klaar()
        print(f"5. export (read from the database, write):   {_fmt(t_export)}  {pad.name}")
        totaal = tuple(a + b + c + d for a, b, c, d in zip(t_plan, t_voor, t_goed, t_export, strict=True))
        print(f"   total 2 + 3 + 4 + 5 (goal < 10 s):         {_fmt(totaal)}")
        klaar = _timer()
        gelezen = read_credit_transfer(pad.read_bytes())
        ids = set(Betaling.objects.filter(batch=batch).values_list("end_to_end_id", flat=True))
        klopt = (gelezen.number_of_transactions == batch.aantal and gelezen.control_sum == batch.totaal
                 and {p.end_to_end_id for p in gelezen.payments} == ids)
        dagen = len({p.requested_execution_date for p in gelezen.payments})
        print(f"   reference: read_credit_transfer + XSD:    {_fmt(klaar())}  count, total and ids match: {klopt}, "
              f"{dagen} execution dates (one payment block each)")

    # --- 6. signals ------------------------------------------------------------------------------------
    bestand = Bankbestand.objects.create(tussenrekening=tussenrekening, sha256="b" * 64, bestandsnaam="bench.xml",
                                         status="klaar")
    signaal_peildatum = vandaag
    # Two months back and this month up to today.
    maanden = [signaal_peildatum.replace(day=1)]
    for _ in range(2):
        maanden.insert(0, (maanden[0] - dt.timedelta(days=1)).replace(day=1))
    regels = []
    for i, afspraak in enumerate(uitkering):
        for maand in maanden:
            termijn = maand.replace(day=afspraak.dag)
            soort = i % 50
            if soort == 0:
                continue  # missing
            bedrag = afspraak.bedrag - Decimal("20.00") if soort == 1 else afspraak.bedrag
            dag = termijn + dt.timedelta(days=rnd.randint(-2, 2))
            if dag > signaal_peildatum:
                continue
            keer = 2 if soort == 2 else 1
            for k in range(keer):
                regels.append(Banktransactie(
                    tussenrekening=tussenrekening, bankbestand=bestand, kenmerk=f"b{i}-{maand:%Y%m}-{k}",
                    boekdatum=dag, richting="inkomen", bedrag=bedrag, tegenrekening_iban=UWV[1], status="geboekt",
                    afspraak=afspraak, deelname_id=afspraak.deelname_id,
                ))
    regels.append(Banktransactie(tussenrekening=tussenrekening, bankbestand=bestand, kenmerk="laatste",
                                 boekdatum=signaal_peildatum, richting="uitgave", bedrag=Decimal("1.00")))
    Banktransactie.objects.bulk_create(regels, batch_size=5000)
    gc.collect()
    klaar = _timer()
    nieuw = signalen_bijwerken(peildatum=signaal_peildatum)
    t_sig = klaar()
    per_soort = dict(Signaal.objects.values_list("soort").annotate(n=Count("pk")).order_by())
    print(f"6. signalen_bijwerken on {signaal_peildatum} ({len(regels):,} lines): {_fmt(t_sig)}  "
          f"{nieuw:,} new {per_soort}")
    klaar = _timer()
    opnieuw = signalen_bijwerken(peildatum=signaal_peildatum)
    print(f"   the same run again:                       {_fmt(klaar())}  {opnieuw:,} new")


if __name__ == "__main__":
    main()
