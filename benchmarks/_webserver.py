"""Shared pieces of the benchmarks that load the platform under gunicorn on loopback:
a PostgreSQL database of their own, manage.py, a free port, plain HTTP GETs, a gunicorn
process that is up and answering /health/, and nearest-rank percentiles.

Loopback only (127.0.0.1): these benchmarks never send traffic anywhere else.
"""

import contextlib
import http.client
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _meten import ensure_database  # noqa: F401  (re-exported for the scripts that import it from here)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, cookie: str = "", *, timeout: float = 60) -> tuple[int, bytes]:
    """One GET to 127.0.0.1 as if behind the TLS proxy of production."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, log_prefix: str) -> Iterator[tuple[int, str]]:
    """Runs gunicorn on a free loopback port until the block ends; yields (port, log path)."""
    port = free_port()
    log_file = tempfile.NamedTemporaryFile(prefix=log_prefix, suffix=".log", delete=False)
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "perspectief.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--backlog", "256", "--timeout", "60"],
        env=env, cwd=ROOT, stdout=log_file, stderr=log_file, start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if get(port, "/health/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not start; see {log_file.name}")
        yield port, log_file.name
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, -(-len(ordered) * pct // 100) - 1))
    return ordered[int(index)]
