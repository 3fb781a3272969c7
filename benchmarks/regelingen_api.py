"""Catalogue selector and JSON API, in process: prints figures, asserts nothing.

    .venv/bin/python benchmarks/regelingen_api.py [--requests 300]
    DATABASE_URL=postgres://perspectief:perspectief@127.0.0.1:5432/perspectief_bench_regelingen \
        .venv/bin/python benchmarks/regelingen_api.py

Uses its own database (default: a fresh SQLite file in a temporary directory; with
DATABASE_URL that database, migrated and given gemeente GM9999 when missing), publishes the
shipped Voorbeeld catalogue as version 1, and measures:

- `catalogus_voor_gemeente`: the first call (reads and parses the YAML) and later calls
  (one small query, the parsed catalogue from the per-process cache), with SQL queries;
- POST /api/v1/berekening/ and /api/v1/armoedeval/ through Django's test client (the whole
  middleware stack, no network), single thread: p50/p95/max;
- building the OpenAPI document once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _procent(waarden: list[float], p: float) -> float:
    waarden = sorted(waarden)
    return waarden[min(len(waarden) - 1, int(round(p / 100 * (len(waarden) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.test")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from perspectief.regelingen import selectors, services
    from perspectief.regelingen.api_schema import openapi_document
    from perspectief.regelingen.selectors import _gemeenten

    gemeente = _gemeenten().filter(cbs_code="GM9999").first() or _gemeenten().create(
        naam="Voorbeeld", cbs_code="GM9999", slug="voorbeeld")
    services.demo_catalogus_publiceren(gemeente_id=gemeente.pk)
    peildatum = __import__("datetime").date(2026, 3, 1)

    selectors._CACHE.clear()
    begin = time.perf_counter()
    selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
    koud = (time.perf_counter() - begin) * 1000
    warm = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(1000):
            begin = time.perf_counter()
            selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
            warm.append((time.perf_counter() - begin) * 1000)
    print(f"database: {connection.vendor}")
    print(f"catalogus_voor_gemeente: first call {koud:.2f} ms (read + parse); cached: "
          f"p50 {statistics.median(warm):.3f} ms, p95 {_procent(warm, 95):.3f} ms, "
          f"{len(queries) / 1000:.0f} query per call")
    reset_queries()

    huishouden = {
        "peildatum": "2026-03-01", "gemeente": "voorbeeld",
        "personen": [
            {"id": "a", "rol": "aanvrager", "geboortedatum": "1991-02-03",
             "inkomsten": [{"soort": "loon", "bruto_per_maand": 1400}], "vermogen": 500},
            {"id": "k1", "rol": "kind", "geboortedatum": "2018-06-01"},
            {"id": "k2", "rol": "kind", "geboortedatum": "2012-09-15"},
        ],
        "woning": {"soort": "huur", "kale_huur_per_maand": 720},
    }
    client = Client()
    for pad, body in (("/api/v1/berekening/", huishouden), ("/api/v1/armoedeval/", {"huishouden": huishouden, "uurloon": 14.4})):
        tekst = json.dumps(body)
        client.post(pad, tekst, content_type="application/json")  # warm up
        tijden = []
        for _ in range(args.requests):
            begin = time.perf_counter()
            response = client.post(pad, tekst, content_type="application/json")
            tijden.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, response.content[:500]
        print(f"POST {pad}: {args.requests} requests, p50 {statistics.median(tijden):.1f} ms, "
              f"p95 {_procent(tijden, 95):.1f} ms, max {max(tijden):.1f} ms")

    openapi_document.cache_clear()
    begin = time.perf_counter()
    openapi_document()
    print(f"OpenAPI document: built in {(time.perf_counter() - begin) * 1000:.0f} ms (once per process)")


if __name__ == "__main__":
    main()
