"""Benchmark: the regelingencheck's result page under gunicorn with PostgreSQL, 50 concurrent users.

Run from the repository root (PostgreSQL must run; the script uses its own database
`regelingencheck_bench`, creates it when missing and migrates it):

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/regelingencheck_resultaat.py

Options: --users 50 (concurrent client threads) --requests 2000 (per scenario) --seconds 120
(per scenario) --workers 4 (gunicorn sync workers) --denktijd 0 (seconds a user waits between
two requests; 0 = back to back, a stress test) --database-url postgres://...

What it does:
1. Production settings (perspectief.conf.production: DEBUG off, persistent connections with
   DB_CONN_MAX_AGE=60) with fixed benchmark-only keys; migrates; creates gemeente Voorbeeld
   (GM9999, the catalogue shipped with rekenregels) when missing.
2. Fills completed questionnaires through the services (5 household kinds: single, single
   parent, couple with children, couple with income, unknown facts) and one anonymous session
   per check, as the browser would have after the last step.
3. Starts gunicorn on 127.0.0.1 only (a free port), waits for /health/, warms every worker up.
4. Scenario "eerste keer": every request is the first view of a just-completed check, so
   the page runs the rules engine (rekenregels.bereken with the explanation), builds the
   summary and stores it. Scenario "opnieuw": the same checks viewed again (a reload, the
   code reopened, back from the PDF): the stored summary is shown if the answers, the date
   and the catalogue are unchanged.
5. Prints per scenario: requests, errors, throughput, p50/p95/p99/max latency (ms, client
   side, including queueing in gunicorn), and the in-process time of one request (the
   engine alone, and the whole view) without concurrency.

Goal (issue 4, Performance): p95 < 150 ms with 50 concurrent users. Never part of the test
suite: it prints figures, it asserts nothing. Loopback only, bounded in requests and time.
"""

import argparse
import os
import statistics
import sys
import threading
import time

from _webserver import ROOT, gunicorn  # benchmarks/ is on sys.path when a script here runs
from _webserver import ensure_database as _ensure_database
from _webserver import get as _get
from _webserver import manage as _manage
from _webserver import percentile as _percentile

DEFAULT_DATABASE_URL = "postgres://perspectief:perspectief@127.0.0.1:5432/regelingencheck_bench"
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "perspectief.conf.production",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-not-for-production",
    "BSN_ENCRYPTION_KEYS": "YmVuY2htYXJrLW9ubHkta2V5LW5vdC1zZWNyZXQtMDA=",
    "BSN_BLIND_INDEX_KEY": "benchmark-only-blind-index-key",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DB_CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
    "SECURE_SSL_REDIRECT": "true",
}

# Completed questionnaires (the answers as the forms store them).
_BASIS = {"leeftijden": {"aanvrager": {"geboortedatum": None, "leeftijd": 35}},
          "inkomen": {"aanvrager": {"soort": "geen", "bruto_per_maand": None}, "laag_inkomen": "3_jaar_of_langer"},
          "wonen": {"soort": "huur", "kale_huur": "650.00", "servicekosten": "30.00"}, "vermogen": {"bedrag": "500.00"}}
HUISHOUDENS = [
    {**_BASIS, "huishouden": {"partner": False, "kinderen": 0, "volwassenen": 0}},
    {**_BASIS, "huishouden": {"partner": False, "kinderen": 1, "volwassenen": 0},
     "leeftijden": {"aanvrager": {"geboortedatum": None, "leeftijd": 35}, "kind1": {"geboortedatum": None, "leeftijd": 8}}},
    {**_BASIS, "huishouden": {"partner": True, "kinderen": 2, "volwassenen": 0},
     "leeftijden": {"aanvrager": {"geboortedatum": "1985-03-01", "leeftijd": None}, "partner": {"geboortedatum": None, "leeftijd": 41},
                    "kind1": {"geboortedatum": None, "leeftijd": 5}, "kind2": {"geboortedatum": None, "leeftijd": 13}},
     "inkomen": {"aanvrager": {"soort": "loon", "bruto_per_maand": "1800.00"}, "partner": {"soort": "geen", "bruto_per_maand": None},
                 "laag_inkomen": "1_tot_3_jaar"}},
    {**_BASIS, "huishouden": {"partner": True, "kinderen": 0, "volwassenen": 0},
     "leeftijden": {"aanvrager": {"geboortedatum": None, "leeftijd": 60}, "partner": {"geboortedatum": None, "leeftijd": 58}},
     "inkomen": {"aanvrager": {"soort": "uitkering", "bruto_per_maand": "1500.00"},
                 "partner": {"soort": "loon", "bruto_per_maand": "900.00"}, "laag_inkomen": "korter_dan_1_jaar"}},
    {**_BASIS, "huishouden": {"partner": False, "kinderen": 0, "volwassenen": 1},
     "leeftijden": {"aanvrager": {"geboortedatum": None, "leeftijd": 24}, "volwassene1": {"geboortedatum": None, "leeftijd": 50}},
     "inkomen": {"aanvrager": {"soort": "weet_niet", "bruto_per_maand": None},
                 "volwassene1": {"soort": "uitkering", "bruto_per_maand": "1300.00"}, "laag_inkomen": "weet_niet"},
     "wonen": {"soort": "huur", "kale_huur": None, "servicekosten": None}, "vermogen": {"bedrag": None}},
]
PATH = "/check/voorbeeld/uitkomst/"


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    parser.add_argument("--seconds", type=float, default=120, help="time limit per scenario")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--denktijd", type=float, default=0.0,
                        help="seconds each user waits between requests (0: back to back, a stress test)")
    return parser.parse_args()










def _checks(count: int) -> list[str]:
    """`count` completed checks, each with its own anonymous session; returns the cookies."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from perspectief.huishoudens.models import Gemeente
    from perspectief.regelingencheck import services
    from perspectief.regelingencheck.constants import SESSIE_SLEUTEL

    gemeente, _ = Gemeente.objects.get_or_create(
        cbs_code="GM9999", defaults={"naam": "Voorbeeld", "slug": "voorbeeld", "wijkteam_telefoon": "0800 1234567"}
    )
    cookies = []
    for index in range(count):
        check = services.check_start(gemeente=gemeente)
        for stap, antwoord in HUISHOUDENS[index % len(HUISHOUDENS)].items():
            services.check_stap_opslaan(check=check, stap=stap, antwoord=antwoord)
        session = SessionStore()
        session[SESSIE_SLEUTEL] = {gemeente.slug: str(check.pk)}
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def _in_process(cookie: str, repeat: int = 20) -> dict[str, float]:
    """Median ms of one request in-process (no concurrency): the engine alone, a first view
    (engine + summary + save + render) and a repeated view (stored summary + render)."""
    from django.test import Client
    from django.utils import timezone

    from perspectief.regelingen.selectors import catalogus_voor_gemeente
    from perspectief.regelingencheck.antwoorden import engine_huishouden
    from perspectief.regelingencheck.models import CheckAntwoorden
    from rekenregels import bereken

    name, value = cookie.split("=", 1)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.cookies[name] = value
    client.get(PATH)
    check = CheckAntwoorden.objects.order_by("aangemaakt_op").last()
    vandaag = timezone.localdate()
    huishouden = engine_huishouden(antwoorden=check.antwoorden, peildatum=vandaag)
    catalogus = catalogus_voor_gemeente(gemeente=check.gemeente, peildatum=vandaag)
    engine, eerste, opnieuw = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        bereken(huishouden, catalogus=catalogus)
        engine.append((time.perf_counter() - started) * 1000)
    for _ in range(repeat):
        CheckAntwoorden.objects.all().update(uitkomst_sleutel="")
        started = time.perf_counter()
        assert client.get(PATH).status_code == 200
        eerste.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        assert client.get(PATH).status_code == 200
        opnieuw.append((time.perf_counter() - started) * 1000)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as vragen:
        client.get(PATH)
    print(f"in-process, repeated view: {len(vragen)} SQL queries")
    return {"engine": statistics.median(engine), "eerste keer": statistics.median(eerste),
            "opnieuw": statistics.median(opnieuw)}




def _run(*, port: int, cookies: list[str], users: int, requests: int, seconds: float, denktijd: float = 0.0):
    """`users` threads in a closed loop; request i uses cookie i (each cookie used once when
    len(cookies) >= requests, which makes every request a first view in that scenario)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds

    def fire():
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                status, body = _get(port, PATH, cookies[number % len(cookies)])
            except OSError:
                status, body = 0, b""
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200 and b"Uw uitkomst" in body:
                    latencies.append(elapsed)
                else:
                    errors += 1
            if denktijd:
                time.sleep(denktijd)

    threads = [threading.Thread(target=fire) for _ in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def _report(name: str, latencies: list[float], errors: int, duration: float, *, users: int, workers: int,
            denktijd: float) -> float:
    if not latencies:
        print(f"{name}: no successful requests ({errors} errors)")
        return float("inf")
    p95 = _percentile(latencies, 95)
    print(
        f"{name:<12} {len(latencies):>6} ok {errors:>4} err {len(latencies) / duration:>7.1f} req/s   "
        f"p50 {statistics.median(latencies):>6.1f}  p95 {p95:>6.1f}  p99 {_percentile(latencies, 99):>6.1f}  "
        f"max {max(latencies):>6.1f} ms   ({users} users, think time {denktijd:g} s, {workers} workers)"
    )
    return p95


def main() -> None:
    args = _parse_args()
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": args.database_url}
    env["STATIC_ROOT"] = str(ROOT / "var" / "bench-static")
    os.environ.update({k: v for k, v in env.items() if k in BENCH_ENV or k in ("DATABASE_URL", "STATIC_ROOT")})
    sys.path.insert(0, str(ROOT / "src"))

    _ensure_database(args.database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    from perspectief.regelingencheck.models import CheckAntwoorden

    CheckAntwoorden.objects.all().delete()
    started = time.perf_counter()
    eerste = _checks(args.requests)
    print(f"{len(eerste)} completed checks with sessions in {time.perf_counter() - started:.1f} s")
    tijden = _in_process(_checks(1)[0])
    print("in-process, one request, median ms: " + ", ".join(f"{k} {v:.1f}" for k, v in tijden.items()))

    with gunicorn(env, workers=args.workers, log_prefix="regelingencheck-bench-") as (port, log_name):
        warm = _checks(args.workers * 4)
        for cookie in warm * 2:  # imports, templates, catalogue and parameter caches per worker
            _get(port, PATH, cookie)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores before the run")
        resultaten = {}
        for naam in ("eerste keer", "opnieuw"):
            latencies, errors, duration = _run(
                port=port, cookies=eerste, users=args.users, requests=args.requests, seconds=args.seconds,
                denktijd=args.denktijd,
            )
            resultaten[naam] = _report(naam, latencies, errors, duration, users=args.users, workers=args.workers,
                                       denktijd=args.denktijd)
        worst = max(resultaten.values())
        print(f"goal p95 < 150 ms: {'met' if worst < 150 else 'NOT met'} "
              f"(eerste keer {resultaten['eerste keer']:.1f} ms, opnieuw {resultaten['opnieuw']:.1f} ms); "
              f"load average {os.getloadavg()[0]:.1f} after the run")
    CheckAntwoorden.objects.all().delete()

if __name__ == "__main__":
    main()
