"""Tests that need PostgreSQL or Redis skip on a developer machine without them, but fail in
CI: there (`CI` or `PERSPECTIEF_REQUIRE_SERVICES` set) a missing service is an error."""

import os

import pytest
from django.db import connection


def services_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("PERSPECTIEF_REQUIRE_SERVICES"))


def _missing(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (required here: CI or PERSPECTIEF_REQUIRE_SERVICES is set)")
    pytest.skip(reason)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL (scripts/services.sh start)")


def require_redis() -> str:
    """Returns REDIS_URL once a Redis server answers there."""
    url = os.environ.get("REDIS_URL")
    if not url:
        _missing("needs Redis: set REDIS_URL (scripts/services.sh start)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        _missing(f"Redis at REDIS_URL does not answer: {error.__class__.__name__}")
    return url
