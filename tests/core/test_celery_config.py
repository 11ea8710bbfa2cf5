"""What a killed worker leaves behind: its unacked tasks come back to the queue within minutes."""

from config.celery import app


def test_tasks_are_acked_after_they_run_and_requeued_when_the_worker_dies():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1


def test_the_broker_redelivers_an_unacked_task_within_minutes_not_an_hour():
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert 10 * 60 < timeout <= 30 * 60  # above retry_backoff's 10-minute cap, well under the default hour


def test_every_task_of_the_project_inherits_the_settings():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert ours
    for name, task in ours.items():
        assert task.acks_late is True, name
        assert task.reject_on_worker_lost is True, name
