"""A worker killed with SIGKILL in the middle of a send loses nothing and sends nothing twice
(issue 11 §5): real Celery worker processes on Redis, the sandbox marketplace slow to answer."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
import redis
from celery import Celery
from django.db import connection

from channels.models import OutboundAction, OutboundStatus
from orders.services import order_cancel
from tests.factories import UserFactory
from tests.orders.relay_setup import calls_with, on_sandbox, placed_order, sandbox_cancellations
from tests.sandbox_fixtures import connect_tiktok

REDIS_URL = os.environ.get("TEST_RELAY_REDIS_URL", "redis://127.0.0.1:6379/12")
ROOT = Path(__file__).resolve().parents[2]
TASK = "orders.relay_tasks.deliver_outbox"


def _start_worker(queue: str, sandbox_url: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "TIKTOK_API_BASE": sandbox_url,
        "TIKTOK_AUTH_BASE": sandbox_url,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)  # the workers are other processes: rows must be committed
def test_a_worker_killed_mid_send_loses_nothing_and_the_platform_acts_once(sandbox, settings, tenant):
    # given two seller cancels of one store, written (the on-commit wake-up held back: the workers deliver)
    store, shop = connect_tiktok(sandbox, settings, tenant)
    seller = UserFactory(tenant=tenant, owner=True)
    orders = [placed_order(sandbox, store, shop) for _ in range(2)]
    with mock.patch("orders.relay_tasks.deliver_outbox.delay"):
        for order in orders:
            order_cancel(order=order, actor=seller, reason="Out of Stock")
    first, second = OutboundAction.objects.order_by("created_at", "pk")
    # and the platform slow to answer the first cancel
    sandbox.control("POST", "faults", {"delay": 4, "count": 1, "path": "/return_refund/202309/cancellations"})

    queue = f"test-relay-{uuid.uuid4().hex}"
    client = Celery(broker=REDIS_URL, backend=REDIS_URL)
    doomed = _start_worker(queue, sandbox.url)
    try:
        # when a worker is killed -9 while the first cancel is on the wire
        client.send_task(TASK, queue=queue)
        _wait_for(lambda: calls_with(sandbox, first.idempotency_key) == 1, "the first send", timeout=90)
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
        # the platform finishes what it was asked, though nobody hears its answer
        _wait_for(lambda: on_sandbox(sandbox, orders[0])["status"] == "CANCELLED", "the platform's cancel")
        first.refresh_from_db()
        assert (first.status, first.attempts) == (OutboundStatus.PENDING, 0)  # the claim was rolled back

        # and another worker runs the relay (as beat does)
        survivor = _start_worker(queue, sandbox.url)
        try:
            client.send_task(TASK, queue=queue)  # the task keeps no result: the rows say what it did
            _wait_for(lambda: not OutboundAction.objects.filter(status=OutboundStatus.PENDING).exists(), "delivery")
        finally:
            survivor.terminate()
            output, _ = survivor.communicate(timeout=30)
    finally:
        if doomed.poll() is None:
            doomed.kill()
        client.close()
        # the killed worker's message waits unacked for the broker's visibility timeout: drop it with
        # the rest of this test's Redis database
        redis.Redis.from_url(REDIS_URL).flushdb()

    # then both actions are Sent, each cancel happened once on the platform
    assert "Traceback" not in output, output
    for action, order in zip((first, second), orders, strict=True):
        action.refresh_from_db()
        assert action.status == OutboundStatus.DELIVERED, action.last_error
        assert on_sandbox(sandbox, order)["status"] == "CANCELLED"
        assert len(sandbox_cancellations(sandbox, store, order)) == 1
    assert calls_with(sandbox, first.idempotency_key) == 2  # sent again, with the same key
    assert calls_with(sandbox, second.idempotency_key) == 1
    assert first.delivered_at < second.delivered_at  # the store's actions in the order they were written
