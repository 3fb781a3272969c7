"""Background work: eager, in-process, in the embedded default; a real Celery worker on
Redis at scale (marked `redis`: skipped without Redis locally, a failure in CI)."""

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from celery import Celery
from celery.result import EagerResult
from django.conf import settings
from django.db import connection

from perspectief.audit.services import audit_record
from perspectief.audit.tasks import audit_verify_task
from perspectief.celery import app as perspectief_app

from .required_services import require_postgresql, require_redis

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.skipif("CELERY_BROKER_URL" in os.environ, reason="this test is about the embedded default")
@pytest.mark.django_db
def test_tasks_run_eagerly_in_process_in_the_embedded_default():
    assert settings.CELERY_BROKER_URL == "memory://"
    assert perspectief_app.conf.task_always_eager is True
    for number in range(3):
        audit_record(actor=None, actie="inzien", object_type="test", object_id=number)
    result = audit_verify_task.delay()
    # Eager: the task ran in this process, inside this test's uncommitted transaction.
    assert isinstance(result, EagerResult)
    assert result.get() == {"checked": 3, "problems": []}


def test_the_task_is_registered_under_its_stable_name():
    perspectief_app.loader.import_default_modules()
    assert "perspectief.audit.tasks.audit_verify_task" in perspectief_app.tasks
    assert audit_verify_task.name == "perspectief.audit.tasks.audit_verify_task"


def _database_url_for_the_worker() -> str:
    """The test database (test_<name>), so the worker sees what this test committed."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_task():
    redis_url = require_redis()
    require_postgresql()  # an in-memory SQLite test database is invisible to another process
    for number in range(5):
        audit_record(actor=None, actie="inzien", object_type="test", object_id=number)

    queue = f"perspectief-test-{uuid.uuid4().hex[:12]}"  # never taken by anyone else's worker
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "perspectief.conf.test",
        "DATABASE_URL": _database_url_for_the_worker(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "perspectief", "worker", "--pool=solo", "--concurrency=1",
        "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=INFO",
    ]
    # Not the current app: shared tasks of later tests must keep using the project's (eager) app.
    client = Celery("perspectief-test-client", broker=redis_url, backend=redis_url, set_as_current=False)
    with tempfile.TemporaryFile("w+") as log:
        worker = subprocess.Popen(command, cwd=REPOSITORY, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            result = client.send_task("perspectief.audit.tasks.audit_verify_task", queue=queue)
            try:
                value = result.get(timeout=90)
            except Exception:
                log.seek(0)
                pytest.fail(f"the worker did not answer; its output:\n{log.read()}")
            assert value == {"checked": 5, "problems": []}
            assert result.successful()
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            client.close()
        log.seek(0)
        output = log.read()
    assert worker.pid != os.getpid()
    assert "perspectief.audit.tasks.audit_verify_task" in output  # registered and run by that worker
    assert "succeeded" in output
