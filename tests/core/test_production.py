"""Production mode as the Docker image runs it: collectstatic with the manifest, the secret key."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client, override_settings

from tests.factories import shipped_order

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(64)
TOKEN_KEY = Fernet.generate_key().decode()


def run_manage(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with production settings and this environment (None unsets)."""
    merged = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": STRONG_KEY,
        "TOKEN_KEYS": TOKEN_KEY,
        "DEBUG": None,
        "DJANGO_ALLOW_ASYNC_UNSAFE": None,
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in merged.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    result = run_manage("collectstatic", "--noinput", STATIC_ROOT=str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def manifest_storage(static_root: Path):
    return override_settings(
        STATIC_ROOT=static_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    )


def test_collectstatic_with_production_settings_writes_the_manifest(collected):
    assert (collected / "staticfiles.json").exists()
    assert list(collected.glob("vendor/bootstrap-*/bootstrap.bundle.min.*.js"))


def test_pages_render_with_the_manifest_and_link_the_hashed_files(collected, owner, login):
    order = shipped_order(tenant=owner.tenant)
    with manifest_storage(collected):
        pages = {
            "/accounts/login/": Client().get("/accounts/login/"),
            "/": login(owner).get("/"),
            "case create": login(owner).get(f"/after-sales/new/?order={order.pk}"),
        }
        for name, response in pages.items():
            assert response.status_code == 200, name
            assert re.search(r"bootstrap\.bundle\.min\.[0-9a-f]{12}\.js", response.text), name
        assert re.search(r"js/case_form\.[0-9a-f]{12}\.js", pages["case create"].text)


def test_static_files_are_served_cacheable_even_to_a_logged_in_user(collected, owner, login):
    with manifest_storage(collected):
        client = login(owner)
        page = client.get("/")
        assert "no-store" in page["Cache-Control"]
        url = re.search(r'src="(/static/vendor/bootstrap[^"]+\.js)"', page.text).group(1)
        response = client.get(url)
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x", "it is 1 characters long"),
        ("dev-only-insecure-key-change-me", "it is a development key"),
        ("django-insecure-" + secrets.token_urlsafe(50), "it is a development key"),
        ("abcd" * 20, "it uses only 4 different characters"),
    ],
    ids=["one letter", "dev default", "startproject key", "repeated pattern"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key, reason):
    result = run_manage("check", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr
    assert reason in result.stderr


def test_production_starts_with_a_generated_secret_key():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_keys_for_the_platforms_tokens():
    result = run_manage("check", TOKEN_KEYS=None)
    assert result.returncode != 0
    assert "TOKEN_KEYS" in result.stderr


def test_the_dockerfile_runs_its_collectstatic_line_as_written(tmp_path):
    """The full build (pip install in a fresh virtualenv) is `make image-check`; this runs the
    Dockerfile's own collectstatic line with this virtualenv, as CI's quick guard."""
    sys.path.insert(0, str(ROOT / ".ci"))
    from image_check import instructions

    runs = [args for keyword, args in instructions(ROOT / "Dockerfile") if keyword == "RUN"]
    (line,) = [args for args in runs if "collectstatic" in args]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY", "TOKEN_KEYS"))}
    env |= {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run(["/bin/sh", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
