"""Production: everything from the environment, secure by default (`check --deploy` clean)."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env, secret_key_weakness
from config.settings.base import *  # noqa: F403

SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
if weakness := secret_key_weakness(SECRET_KEY):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for production: {weakness}. Generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
DEBUG = False

for database in DATABASES.values():  # noqa: F405
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # gunicorn's workers keep theirs

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
