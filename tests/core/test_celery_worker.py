import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)  # the worker is another process: the row must be committed
def test_a_task_round_trips_through_a_real_worker_and_redis(tenant):
    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex}"  # a queue of its own, so no other worker takes the task
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = Celery(broker=REDIS_URL, backend=REDIS_URL)
    try:
        result = client.send_task("accounts.tasks.tenant_ping", args=[tenant.pk], queue=queue)
        assert result.get(timeout=60) == tenant.name
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        client.close()
    assert "Traceback" not in output, output
