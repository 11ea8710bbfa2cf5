"""The periodic sync through a real Celery worker on Redis (db 11): sync_all_stores fans out one
sync_store per connected store, the worker pulls them from the sandbox marketplace, orders arrive."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from orders.models import Order
from tests import counts
from tests.factories import TenantFactory
from tests.sandbox_fixtures import connect_tiktok

REDIS_URL = os.environ.get("SYNC_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
ROOT = Path(__file__).resolve().parents[2]


def start_worker(sandbox_url: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "SANDBOX_URL": sandbox_url,  # every platform host of the worker points at the test's sandbox
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default", "--pool", "solo"]
    return subprocess.Popen(
        [*command, "-l", "warning"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)  # the worker is another process: rows must be committed
def test_sync_all_stores_on_a_real_worker_brings_the_orders_in(sandbox, settings):
    redis.Redis.from_url(REDIS_URL).flushdb()  # db 11 is this test's: no message of an earlier run
    first, shop_a = connect_tiktok(sandbox, settings, TenantFactory(), name="Shop A")
    second, shop_b = connect_tiktok(sandbox, settings, TenantFactory(), name="Shop B")
    for shop, count in ((shop_a, 120), (shop_b, 3)):
        sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"], "count": count})
    worker = start_worker(sandbox.url)
    client = Celery(broker=REDIS_URL, backend=REDIS_URL)
    try:
        fanned = client.send_task("orders.tasks.sync_all_stores", queue="default")
        assert fanned.get(timeout=60) == 2
        deadline = time.monotonic() + 60
        while Order.objects.count() < 123 and time.monotonic() < deadline:
            time.sleep(0.2)
        pulled = client.send_task("orders.tasks.sync_store", args=[second.pk], queue="default")
        assert pulled.get(timeout=60) == {"created": 0, "changed": 0, "requests": 0}  # nothing twice
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        client.close()
    assert "Traceback" not in output, output
    assert Order.objects.filter(store=first).count() == 120 and Order.objects.filter(store=second).count() == 3
    assert counts.kept() == counts.fresh()
