"""Benchmark: the household list and detail pages under concurrent load, 100,000 households.

Run from the repository root (PostgreSQL must run; the script uses its own database
`perspectief_bench`, creates it when missing and fills it the first time, about 1-2 minutes):

    eval "$(scripts/services.sh start)"
    .venv/bin/python benchmarks/huishoudens_pagina.py

Options: --huishoudens 100000 --requests 1200 (per level) --threads 1,8 (levels) --workers 4
--seconds 300 (per level)
--opnieuw (regenerate the demo data) --explain (EXPLAIN ANALYZE the list and search queries)
--database-url postgres://... (another database; it is overwritten by demo_genereren!)

What it does:
1. Production-like settings (perspectief.conf.production: DEBUG off, secure cookies,
   manifest static files, persistent database connections with DB_CONN_MAX_AGE=60) with
   fixed benchmark-only keys, against the benchmark database; migrates and runs
   `manage.py demo_genereren --huishoudens N` when the demo data is missing or was written
   with other keys.
2. Starts gunicorn on 127.0.0.1 (a free port; only loopback) with N sync workers.
3. Logs in the demo klantmanager programmatically: one session per client thread with the
   user and its verified TOTP device (what the two login steps store), and runs 10
   searches per session through the real search form (POST), which keeps the term in the
   session and redirects to a URL with a token.
4. For each level of --threads: fires --requests requests (bounded, also by --seconds) from that many threads, round
   robin over: list first page, a later page, wijk filter, name search, BSN search, detail
   of a household in the caseload. Every list/detail request also writes an audit entry.
5. Prints per page type: count, errors, p50, p95, p99, max latency (ms, client side,
   including queueing in gunicorn) and the server-side time from the JSON access log, and
   the number of SQL queries per request (measured in-process with the same settings and
   data). It also samples pg_stat_activity during the run for backends waiting on a lock
   (the audit chain head is one row locked per entry) and measures audit_record throughput
   with 1 and 8 threads.

Goal (Foundation issue, Performance): p95 < 200 ms per page type. Never part of the test
suite; it prints figures, it asserts nothing.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from _webserver import ROOT, gunicorn  # benchmarks/ is on sys.path when a script here runs
from _webserver import ensure_database as _ensure_database
from _webserver import get as _get
from _webserver import manage as _manage
from _webserver import percentile as _percentile

DEFAULT_DATABASE_URL = "postgres://perspectief:perspectief@127.0.0.1:5432/perspectief_bench"
# Benchmark-only keys: fixed so the generated data stays readable between runs. Public, so
# never use them anywhere else.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "perspectief.conf.production",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-not-for-production",
    "BSN_ENCRYPTION_KEYS": "YmVuY2htYXJrLW9ubHkta2V5LW5vdC1zZWNyZXQtMDA=",
    "BSN_BLIND_INDEX_KEY": "benchmark-only-blind-index-key",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DB_CONN_MAX_AGE": "60",
    "LOG_LEVEL": "INFO",
    "SECURE_SSL_REDIRECT": "true",
}
PAGE_TYPES = ("lijst_eerste", "lijst_later", "lijst_wijk", "zoek_naam", "zoek_bsn", "detail")


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--huishoudens", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1200, help="requests per concurrency level")
    parser.add_argument("--threads", default="1,8", help="client threads; a comma list runs one level after another")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=300, help="stop firing after this many seconds")
    parser.add_argument("--opnieuw", action="store_true", help="regenerate the demo data first")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the list queries")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()






def _demo_ready(expected: int) -> bool:
    """True when the demo has the expected size and its BSNs were written with our keys."""
    from cryptography.fernet import InvalidToken

    from perspectief.huishoudens.bsn import bsn_blind_index, bsn_decrypt
    from perspectief.huishoudens.models import Huishouden, Persoon

    if Huishouden.objects.filter(gemeente__cbs_code="GM9999").count() != expected:
        return False
    persoon = Persoon.objects.filter(huishouden__gemeente__cbs_code="GM9999").exclude(bsn_versleuteld=None).first()
    try:
        return persoon is not None and bsn_blind_index(bsn_decrypt(persoon.bsn_versleuteld)) == persoon.bsn_index
    except InvalidToken:
        return False






def _sessions(count: int) -> list[str]:
    """Sessions of the demo klantmanager with the second factor verified, as after login."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from perspectief.toegang.models import Gebruiker

    user = Gebruiker.objects.get(username="demo.klantmanager")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["otp_device_id"] = device.persistent_id
        session.create()
        keys.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return keys


def _client(cookie: str):
    from django.test import Client

    name, value = cookie.split("=", 1)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.cookies[name] = value
    return client


def _searches(cookie: str, targets: dict, rng: random.Random) -> dict[str, list[str]]:
    """Searches through the real search form (POST), in this session: the URLs it redirects
    to carry only a token. A session keeps 10 searches: 3 names and 7 BSNs."""
    client = _client(cookie)
    paths: dict[str, list[str]] = {"zoek_naam": [], "zoek_bsn": []}
    for kind, terms in (("zoek_naam", rng.sample(targets["names"], 3)), ("zoek_bsn", rng.sample(targets["bsns"], 7))):
        for term in terms:
            response = client.post("/huishoudens/", {"zoekterm": term}, secure=True)
            if response.status_code != 302 or "zoekopdracht=" not in response["Location"]:
                raise SystemExit(f"the search form did not redirect to a search token ({response.status_code})")
            paths[kind].append(response["Location"])
    return paths


def _targets(rng: random.Random) -> dict:
    from perspectief.huishoudens import policies
    from perspectief.huishoudens.bsn import bsn_decrypt
    from perspectief.huishoudens.models import Persoon, Wijk
    from perspectief.toegang.models import Gebruiker

    user = Gebruiker.objects.get(username="demo.klantmanager")
    caseload = policies.households_visible_to(user)
    total = caseload.count()
    uuids = [str(u) for u in caseload.order_by("?").values_list("uuid", flat=True)[:300]]
    personen = list(Persoon.objects.filter(huishouden__in=caseload).order_by("?")[:50])
    bsns = [bsn_decrypt(p.bsn_versleuteld) for p in personen]
    wijken = list(Wijk.objects.filter(adressen__huishoudens__in=caseload).values_list("pk", flat=True).distinct())
    names = ["Jansen", "de Vries", "Yilmaz", "Bakker", "van den Berg", "Nowak"]
    return {"total": total, "pages": max(1, total // 25), "uuids": uuids, "bsns": bsns, "wijken": wijken, "names": names}


def _paths(targets: dict, rng: random.Random, kind: str, searches: dict[str, list[str]]) -> str:
    if kind == "lijst_eerste":
        return "/huishoudens/"
    if kind == "lijst_later":
        return f"/huishoudens/?pagina={rng.randint(2, targets['pages'])}"
    if kind == "lijst_wijk":
        return f"/huishoudens/?wijk={rng.choice(targets['wijken'])}&pagina={rng.randint(1, 20)}"
    if kind in searches:
        return rng.choice(searches[kind])
    return f"/huishoudens/{rng.choice(targets['uuids'])}/"


def _query_counts(cookie: str, targets: dict, searches: dict[str, list[str]], repeat: int = 10) -> dict[str, int]:
    """SQL queries per request, and the time of one request in-process without concurrency
    (median of `repeat`; total and the part spent in SQL), per page type."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cookie)
    rng = random.Random(7)
    counts = {}
    print(f"in-process, one request at a time (median of {repeat}): total ms / of which SQL ms / queries")
    for kind in PAGE_TYPES:
        totals, sql = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(_paths(targets, rng, kind, searches), secure=True)
                totals.append((time.perf_counter() - started) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        counts[kind] = len(queries.captured_queries) if response.status_code == 200 else -response.status_code
        line = f"  {kind:<14}{statistics.median(totals):7.1f}{statistics.median(sql):7.1f}{counts[kind]:5d}"
        if kind.startswith("zoek"):
            found = len(set(re.findall(rb"/huishoudens/[0-9a-f-]{36}/", response.content)))
            line += f"   (check: {found} households on the page)"
        print(line)
    return counts


def _explain(cookie: str, targets: dict, searches: dict[str, list[str]]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cookie)
    rng = random.Random(7)
    for kind in PAGE_TYPES:
        with CaptureQueriesContext(connection) as queries:
            client.get(_paths(targets, rng, kind, searches), secure=True)
        print(f"\n== EXPLAIN ANALYZE {kind}")
        for query in queries.captured_queries:
            sql = query["sql"]
            if "huishoudens_" not in sql or not sql.startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            total = next((line for line in plan if line.startswith("Execution Time")), "")
            print(f"-- {total}: {sql[:160]}...")
            for line in plan[:12]:
                print("   ", line)


def _lock_sampler(stop: threading.Event, samples: list) -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], autocommit=True
    ) as connection:
        while not stop.is_set():
            row = connection.execute(
                "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),"
                " count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE '%%audit_auditketting%%'),"
                " count(*) FILTER (WHERE state = 'active')"
                " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
            samples.append(row)
            time.sleep(0.02)


def _audit_throughput(threads: int, per_thread: int) -> float:
    from django.db import connection

    from perspectief.audit.services import audit_record

    def work():
        for _ in range(per_thread):
            audit_record(actor=None, actie="inzien", object_type="benchmark", doel="benchmark")
        connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return threads * per_thread / (time.perf_counter() - started)




def _run_level(
    *, port: int, threads: int, requests: int, seconds: float, cookies: list[str], targets: dict, seed: int,
    searches: list[dict[str, list[str]]],
):
    """Fires `requests` requests from `threads` threads; returns latencies, errors, duration, lock samples."""
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds
    stop = threading.Event()
    samples: list = []
    sampler = threading.Thread(target=_lock_sampler, args=(stop, samples), daemon=True)
    sampler.start()

    def fire(index: int):
        local = random.Random(seed * 1000 + index)
        cookie = cookies[index]
        while time.monotonic() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            kind = PAGE_TYPES[number % len(PAGE_TYPES)]
            path = _paths(targets, local, kind, searches[index])
            started = time.perf_counter()
            try:
                status, _body = _get(port, path, cookie)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    results[kind].append(elapsed)
                else:
                    errors[kind] += 1

    workers = [threading.Thread(target=fire, args=(i,)) for i in range(threads)]
    cpu_before = os.times()
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    duration = time.perf_counter() - started
    client_cpu = sum(os.times()[:2]) - sum(cpu_before[:2])
    stop.set()
    sampler.join(timeout=2)
    return results, errors, duration, samples, client_cpu


def _report_level(*, threads: int, workers: int, households: int, results, errors, duration, samples, client_cpu, queries):
    done = sum(len(v) for v in results.values())
    print(
        f"\n== {threads} client threads, {workers} gunicorn workers, {households} households: "
        f"{done} requests OK, {sum(errors.values())} errors in {duration:.1f} s = {done / duration:.1f} requests/s "
        f"(load generator used {client_cpu / duration * 100:.0f} % of one core; load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"{'page':<14}{'count':>7}{'err':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'queries':>9}   (ms, client side)")
    worst = 0.0
    for kind in PAGE_TYPES:
        values = results[kind]
        if not values:
            print(f"{kind:<14}{0:>7}{errors[kind]:>5}")
            continue
        p95 = _percentile(values, 95)
        worst = max(worst, p95)
        print(
            f"{kind:<14}{len(values):>7}{errors[kind]:>5}{statistics.median(values):>8.1f}"
            f"{p95:>8.1f}{_percentile(values, 99):>8.1f}{max(values):>8.1f}{queries[kind]:>9}"
        )
    if samples:
        waiting = [s[0] for s in samples]
        audit_waiting = [s[1] for s in samples]
        active = [s[2] for s in samples]
        print(
            f"pg_stat_activity, {len(samples)} samples: backends waiting on a lock: mean {statistics.mean(waiting):.2f}, "
            f"max {max(waiting)}; on the audit chain head: mean {statistics.mean(audit_waiting):.2f}, "
            f"max {max(audit_waiting)}; active backends: mean {statistics.mean(active):.2f}"
        )
    print(f"goal p95 < 200 ms: {'met' if worst < 200 else 'NOT met'} (worst page type p95 {worst:.1f} ms)")


def main() -> None:
    args = _parse_args()
    levels = [int(level) for level in str(args.threads).split(",")]
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": args.database_url}
    static_root = ROOT / "var" / "bench-static"
    env["STATIC_ROOT"] = str(static_root)
    os.environ.update({k: v for k, v in env.items() if k in BENCH_ENV or k in ("DATABASE_URL", "STATIC_ROOT")})
    sys.path.insert(0, str(ROOT / "src"))

    _ensure_database(args.database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    if args.opnieuw or not _demo_ready(args.huishoudens):
        started = time.perf_counter()
        _manage(env, "demo_genereren", "--huishoudens", str(args.huishoudens))
        print(f"demo_genereren --huishoudens {args.huishoudens}: {time.perf_counter() - started:.1f} s (wall, incl. start-up)")
    from django.db import connection

    connection.cursor().execute("ANALYZE")

    rng = random.Random(args.seed)
    targets = _targets(rng)
    cookies = _sessions(max(levels) + 1)
    searches = [_searches(cookie, targets, rng) for cookie in cookies]
    print(
        f"caseload of demo.klantmanager: {targets['total']} households ({targets['pages']} pages); "
        f"{len(targets['wijken'])} wijken; {len(targets['uuids'])} detail targets; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores before the run"
    )

    queries = _query_counts(cookies[-1], targets, searches[-1])
    if args.explain:
        _explain(cookies[-1], targets, searches[-1])

    with gunicorn(env, workers=args.workers, log_prefix="perspectief-bench-") as (port, log_name):
        # Warm up every worker (imports, template cache, connections).
        for kind in PAGE_TYPES * args.workers * 2:
            _get(port, _paths(targets, rng, kind, searches[0]), cookies[0])
        for level in levels:
            log_start = Path(log_name).stat().st_size
            outcome = _run_level(
                port=port, threads=level, requests=args.requests, seconds=args.seconds,
                cookies=cookies, targets=targets, seed=args.seed, searches=searches,
            )
            results, errors, duration, samples, client_cpu = outcome
            _report_level(
                threads=level, workers=args.workers, households=args.huishoudens, results=results, errors=errors,
                duration=duration, samples=samples, client_cpu=client_cpu, queries=queries,
            )
            server_ms: dict[str, list[float]] = defaultdict(list)
            with open(log_name) as log:
                log.seek(log_start)
                for line in log:
                    if '"perspectief.request"' in line and '"duration_ms"' in line:
                        record = json.loads(line)
                        server_ms[record.get("view") or "?"].append(record["duration_ms"])
            for view, values in sorted(server_ms.items()):
                if view.startswith("huishoudens:"):
                    print(
                        f"server time in Django, {view:<20} n={len(values):>5}  p50 {statistics.median(values):6.1f}"
                        f"  p95 {_percentile(values, 95):6.1f}  max {max(values):6.1f} ms"
                    )
    os.unlink(log_name)

    single = _audit_throughput(1, 300)
    parallel = _audit_throughput(8, 100)
    print(f"\naudit_record alone (one entry, chain head locked): 1 thread {single:.0f}/s, 8 threads {parallel:.0f}/s")


if __name__ == "__main__":
    main()
