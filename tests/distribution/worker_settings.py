"""The worker of test_push_worker.py: the project's settings with a short broker visibility timeout,
restored every second, so a message whose worker was killed comes back in seconds, not minutes."""

from config.settings.base import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
