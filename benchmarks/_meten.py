"""Shared by the benchmark scripts: the benchmark's own database, and wall and CPU time.

benchmarks/ is on sys.path when a script here runs, so scripts import this as `_meten`."""

import time
from urllib.parse import urlsplit, urlunsplit


def ensure_database(url: str) -> None:
    """Creates the benchmark's own PostgreSQL database when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"database {name} created")


def timer():
    """Starts a measurement; calling the result returns (wall seconds, CPU seconds of this
    process) since the start."""
    wall, cpu = time.perf_counter(), time.process_time()
    return lambda: (time.perf_counter() - wall, time.process_time() - cpu)


def fmt(t, width: int = 6) -> str:
    return f"{t[0]:{width}.2f} s (CPU {t[1]:.2f} s)"
