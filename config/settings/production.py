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
TOKEN_KEYS = env.list("TOKEN_KEYS")  # no default: the platforms' tokens are never sealed with the dev key
DEBUG = False

# The marketplaces' real hosts (shared/reference/marketplaces*.md); keys only from the environment.
CHANNEL_APIS = {
    "tiktok": {
        "app_key": env("TIKTOK_APP_KEY", default=""),
        "app_secret": env("TIKTOK_APP_SECRET", default=""),
        "service_id": env("TIKTOK_SERVICE_ID", default=""),
        "api_base": env("TIKTOK_API_BASE", default="https://open-api.tiktokglobalshop.com"),
        "auth_base": env("TIKTOK_AUTH_BASE", default="https://auth.tiktok-shops.com"),
        "authorize_url": env("TIKTOK_AUTHORIZE_URL", default="https://services.tiktokshop.com/open/authorize"),
    },
    "shopee": {
        "partner_id": env.int("SHOPEE_PARTNER_ID", default=0),
        "partner_key": env("SHOPEE_PARTNER_KEY", default=""),
        "api_base": env("SHOPEE_API_BASE", default="https://partner.shopeemobile.com"),
    },
    "lazada": {
        "app_key": env("LAZADA_APP_KEY", default=""),
        "app_secret": env("LAZADA_APP_SECRET", default=""),
        "api_base": env("LAZADA_API_BASE", default="https://api.lazada.{site}/rest"),
        "auth_base": env("LAZADA_AUTH_BASE", default="https://auth.lazada.com/rest"),
        "authorize_url": env("LAZADA_AUTHORIZE_URL", default="https://auth.lazada.com/oauth/authorize"),
    },
}

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
