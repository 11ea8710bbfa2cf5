import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with this environment (None unsets a variable)."""
    unset = dict.fromkeys(["SECRET_KEY", "TOKEN_KEYS", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"])
    merged = {**os.environ, **unset, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in merged.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        TOKEN_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="aftersales.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_default_is_sqlite_with_in_process_tasks():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=None,
        CELERY_BROKER_URL=None,
    )
    assert result.stdout.splitlines()[-1].split() == ["django.db.backends.sqlite3", "True", "True"], result.stderr


def test_the_suite_runs_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero on drift


def _printed(expression: str, **env: str | None) -> list[str]:
    result = _manage("shell", "-c", f"from django.conf import settings as s; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


SESSIONS = "s.SESSION_ENGINE.rsplit('.', 1)[-1], s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]"


def test_sessions_are_read_from_a_cache_only_when_every_worker_shares_it():
    # a per-process cache would keep a logged-out session alive in the other workers: the database
    alone = _printed(SESSIONS, DJANGO_SETTINGS_MODULE="config.settings.base", CACHE_URL=None)
    assert alone == ["db", "LocMemCache"]
    shared = _printed(SESSIONS, DJANGO_SETTINGS_MODULE="config.settings.base", CACHE_URL="redis://127.0.0.1:6379/2")
    assert shared == ["cached_db", "RedisCache"]


def test_production_keeps_its_database_connections_and_checks_them_before_reuse():
    production = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "TOKEN_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": "postgres://app@db:5432/aftersales",
    }
    connection = "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']"
    assert _printed(connection, **production) == ["60", "True"]
    assert _printed(connection, **production, CONN_MAX_AGE="0") == ["0", "True"]
    # the development server starts a thread per request: kept connections would only pile up
    assert _printed(connection, DJANGO_SETTINGS_MODULE="config.settings.base", CONN_MAX_AGE=None) == ["0", "True"]
