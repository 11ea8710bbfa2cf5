"""pytest: PostgreSQL from DATABASE_URL (pytest-django creates its own test_* database)."""

from config.env import env
from config.settings.base import *  # noqa: F403

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/aftersales")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/aftersales-test-media")
