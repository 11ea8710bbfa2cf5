"""Exactly-once push through a real Celery worker on Redis: a task delivered twice, and a worker
killed in the middle of a push (its transaction dies with it; the message comes back to another
worker), both leave the supplier one return."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection, transaction

from aftersales.models import Case
from distribution.models import PushStatus, ReturnPush, SupplierReturn
from tests.distribution.helpers import distribution_order, make_bridge
from tests.factories import make_case

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parents[2]
TASK = "distribution.tasks.return_push_task"

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _worker(queue: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.distribution.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo", "-l", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    return output


def _wait(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _record() -> ReturnPush:
    bridge = make_bridge()
    return make_case(order=distribution_order(bridge).order, actor=bridge.distributor).distribution_push


def test_a_task_delivered_twice_pushes_once():
    push = _record()
    queue = f"test-{uuid.uuid4().hex}"
    worker = _worker(queue)
    client = Celery(broker=REDIS_URL, backend=REDIS_URL)
    try:
        results = [client.send_task(TASK, args=[push.pk], queue=queue) for _ in range(2)]
        assert [r.get(timeout=90) for r in results] == [PushStatus.PUSHED, PushStatus.PUSHED]
    finally:
        output = _stop(worker)
        client.close()
    assert "Traceback" not in output, output
    assert SupplierReturn.objects.filter(push=push).count() == 1


def _blocked_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")  # live, unlike pg_stat_activity
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_push_leaves_the_push_to_the_next_worker_once():
    push = _record()
    queue = f"test-{uuid.uuid4().hex}"
    client = Celery(broker=REDIS_URL, backend=REDIS_URL)
    first = _worker(queue)
    try:
        with transaction.atomic():  # hold the case, so the worker's push waits inside its transaction
            Case.objects.select_for_update().get(pk=push.case_id)
            result = client.send_task(TASK, args=[push.pk], queue=queue)
            _wait(_blocked_on_a_lock)
            first.send_signal(signal.SIGKILL)  # killed mid-push: its transaction is rolled back
            first.wait(timeout=30)
        assert not SupplierReturn.objects.exists()
        second = _worker(queue)
        try:
            assert result.get(timeout=90) == PushStatus.PUSHED  # the message came back to this worker
        finally:
            output = _stop(second)
    finally:
        if first.poll() is None:
            _stop(first)
        client.close()
    assert "Traceback" not in output, output
    assert SupplierReturn.objects.filter(push=push).count() == 1
    push.refresh_from_db()
    assert push.status == PushStatus.PUSHED
