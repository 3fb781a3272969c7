#!/usr/bin/env bash
# Starts the local services the full test suite uses: PostgreSQL and Redis (Debian packages).
# Idempotent: running it twice is fine. Used by .ci/run and by developers.
#   scripts/services.sh start   -> prints the environment variables to export
set -euo pipefail

PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

start_postgresql() {
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^${PG_VERSION} main$"; then
    pg_createcluster "$PG_VERSION" main --port "$PG_PORT" >/dev/null
  fi
  pg_ctlcluster "$PG_VERSION" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 1
  done
  runuser -u postgres -- psql -q -p "$PG_PORT" -tc "SELECT 1 FROM pg_roles WHERE rolname='perspectief'" | grep -q 1 ||
    runuser -u postgres -- psql -q -p "$PG_PORT" -c "CREATE ROLE perspectief LOGIN SUPERUSER PASSWORD 'perspectief'"
  runuser -u postgres -- psql -q -p "$PG_PORT" -tc "SELECT 1 FROM pg_database WHERE datname='perspectief'" | grep -q 1 ||
    runuser -u postgres -- createdb -p "$PG_PORT" -O perspectief perspectief
}

start_redis() {
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
}

case "${1:-start}" in
  start)
    start_postgresql
    start_redis
    echo "export DATABASE_URL=postgres://perspectief:perspectief@127.0.0.1:${PG_PORT}/perspectief"
    echo "export REDIS_URL=redis://127.0.0.1:${REDIS_PORT}/0"
    ;;
  *) echo "usage: $0 start" >&2; exit 2 ;;
esac
