"""Operations: the health endpoint, and JSON log lines with a request id and no personal data."""

import io
import json
import logging
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError

from ..factories import test_bsn as make_test_bsn
from ..toegang.world import KLANTMANAGER, build_world, client_for


def test_health_answers_json_200(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_is_down(client, db, caplog):
    with mock.patch("perspectief.core.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused by 10.0.0.5")
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "fout", "database": "fout"}
    assert b"10.0.0.5" not in response.content  # the reason is logged, not shown
    errors = [r for r in caplog.records if r.name == "perspectief.core.views"]
    assert [(r.levelname, r.getMessage()) for r in errors] == [
        ("ERROR", "health: database unreachable (OperationalError)")
    ]


@contextmanager
def json_log_output():
    """The text the configured JSON log handler writes, while the block runs."""
    handlers = [
        h for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and h.formatter.__class__.__name__ == "JsonFormatter"
    ]
    assert len(handlers) == 1, "settings.LOGGING should configure one JSON console handler"
    handler = handlers[0]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_a_request_writes_json_log_lines_with_its_request_id_and_no_personal_data():
    world = build_world()
    client = client_for(world, KLANTMANAGER)
    bsn = make_test_bsn(1)
    with json_log_output() as output:
        response = client.get(f"/huishoudens/{world.eigen.uuid}/", HTTP_X_REQUEST_ID="verzoek-42")
        search = client.post("/huishoudens/", {"zoekterm": bsn})
    assert response.status_code == 200 and response["X-Request-ID"] == "verzoek-42"
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    detail_lines = [line for line in lines if line["request_id"] == "verzoek-42"]
    assert detail_lines == [{
        "time": detail_lines[0]["time"], "level": "INFO", "logger": "perspectief.request", "message": "request",
        "request_id": "verzoek-42", "method": "GET", "route": "huishoudens/<uuid:uuid>/",
        "view": "huishoudens:detail", "status": 200, "duration_ms": detail_lines[0]["duration_ms"],
    }]
    search_lines = [line for line in lines if line["request_id"] == search["X-Request-ID"]]
    assert [(line["method"], line["route"], line["status"]) for line in search_lines] == [("POST", "huishoudens/", 302)]
    text = output.getvalue()
    for personal in (bsn, "Bakker", "Fenna", "9999 AB", "Dorpsstraat", str(world.eigen.uuid)):
        assert personal not in text


@pytest.mark.django_db
def test_a_path_typed_with_personal_data_is_not_logged(client):
    with json_log_output() as output:
        response = client.get("/huishoudens/Fenna-Bakker-111222333/")
    assert response.status_code == 404
    (line,) = [json.loads(line) for line in output.getvalue().splitlines()]
    assert line["route"] is None and line["status"] == 404
    assert "Fenna" not in output.getvalue() and "111222333" not in output.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(("header", "expected"), [("abc-123", "abc-123"), ("ab<script>c", "abscriptc")])
def test_request_id_from_a_proxy_is_kept_but_cleaned(client, header, expected):
    assert client.get("/health/", HTTP_X_REQUEST_ID=header)["X-Request-ID"] == expected


@pytest.mark.django_db
def test_request_id_is_generated_when_missing_or_unusable(client):
    for headers in ({}, {"HTTP_X_REQUEST_ID": "<>!"}):
        request_id = client.get("/health/", **headers)["X-Request-ID"]
        assert len(request_id) == 32 and all(c in "0123456789abcdef" for c in request_id)
