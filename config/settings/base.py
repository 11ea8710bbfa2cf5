"""Settings for every mode, read from the environment (12-factor).

With no environment at all this is the embedded default: SQLite file, Celery tasks run
in-process, DEBUG on. `production.py` hardens it; `test.py` is what pytest uses.
"""

from csp.constants import NONE, SELF, UNSAFE_INLINE

from config.env import BASE_DIR, DEV_SECRET_KEY, env

SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=True)
# Keys that seal the platforms' tokens at rest (core.secrets), newest first; a new one goes in front
# and the old stays until every token has been refreshed. Generate one with
# python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'
TOKEN_KEYS = env.list("TOKEN_KEYS", default=["ZGV2LW9ubHktdG9rZW4ta2V5LW5vdC1mb3ItcHJvZCE="])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "csp",
    "template_partials",
    "guardian",
    "axes",
    "core",
    "accounts",
    "channels.apps.SalesChannelsConfig",
    "inventory",
    "orders",
    "aftersales",
    "refunds",
    "distribution",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.PrivateNoStoreMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    "core.tenancy.TenantMiddleware",
    "core.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the locked-out page
]

# Content-Security-Policy: scripts and styles only from our own static files, so injected markup
# runs nothing. No inline <script>, event handler or eval (htmx's allowEval is off): behaviour lives
# in static/js. Inline style *attributes* stay allowed (style-src-attr): a few layout widths use
# them, and an attribute can neither run code nor load anything outside img-src/font-src ('self').
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # Bootstrap's icons are data: SVGs in its CSS
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "config.urls"
# `manage.py seed_demo` runs these in order; each app seeds its own part, the project orders them.
DEMO_STEPS = [
    "accounts.demo.seed_accounts",
    "channels.demo.seed_stores",
    "inventory.demo.seed_warehouses",
    "inventory.demo.seed_catalogue",
    "orders.demo.seed_orders",
    "refunds.demo.seed_cases",  # the cases (aftersales.demo) walked to their tabs, refunds included
    "distribution.demo.seed_distribution",  # Demo Seller distributes for Demo Supplier: both sides' tabs
    "core.counts.demo_recount",  # the seed's bulk writes record no kept counts: start them from a GROUP BY
]
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% partialdef %} everywhere, as in Django 6.0 where it is built in
            "builtins": ["template_partials.templatetags.partials", "core.templatetags.formats"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.navigation.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# On PostgreSQL the app connects (DATABASE_URL) as a role that owns nothing; the tables' owner,
# which only migrations need, is this second connection: `manage.py migrate --database owner`,
# then `manage.py grant_app_role` (README, "Database roles").
if env("MIGRATE_DATABASE_URL", default=""):
    DATABASES["owner"] = env.db("MIGRATE_DATABASE_URL")
# Persistent connections: a request reuses its worker's connection instead of opening one (a few ms
# and a backend process each time). Off by default because the development server runs each request
# in a new thread, which would only leave connections behind; production turns it on.
for database in DATABASES.values():
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    database["CONN_HEALTH_CHECKS"] = True  # a connection the server dropped is replaced, not an error
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # `make run` writes from two processes (the server and the channel sync loop): a writer waits
        # for the other's transaction instead of failing at once, and takes the write lock at BEGIN so
        # two readers never deadlock upgrading to writers.
        database["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row, pages are private
GUARDIAN_RAISE_403 = True
# A working day, sliding: a session ends after 10 hours without a request (renewed by
# core.middleware.SlidingSessionMiddleware), so an operator's shift is never cut short, and whoever
# left the desk yesterday logs in again in the morning. The cookie outlives closing the browser on
# purpose: a closed tab mid-shift should not lose the session, and browsers that restore tabs keep
# "session" cookies anyway.
SESSION_COOKIE_AGE = 10 * 60 * 60
# CACHE_URL names a cache every worker shares (redis://...); without one each process has its own.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SHARED_CACHE = CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] not in {"LocMemCache", "DummyCache"}
# With a shared cache a request reads its session from the cache, not from the database. A per-process
# cache would keep a logged-out session alive in the other workers' memory, so sessions stay in the
# database there. Either way a deactivated user or company is refused on the next request: the user
# row is read from the database on every request (accounts.backends.RoleBackend.get_user).
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if SHARED_CACHE else 'db'}"
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one account, or from one address,
# further logins are refused for AXES_COOLOFF_TIME hours, on /accounts/login/ and /admin/login/ alike.
# Admin > Axes > Access attempts: delete a row to unlock (or the "Unlock login" action on users).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account, and per address
AXES_RESET_ON_SUCCESS = True  # for that account only (accounts.lockout.LockoutHandler)
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_TRUSTED_PROXY_COUNT = env.int("AXES_TRUSTED_PROXY_COUNT", default=0)  # trusted proxies adding X-Forwarded-For
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"  # the page saying what to do, status 429
AXES_VERBOSE = False

# Password reset mails; the console by default (printed to the web process's log).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="AfterSales Ops <no-reply@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="Asia/Kuala_Lumpur")
USE_I18N = True
USE_TZ = True
# Amounts are shown with babel in this locale (core.templatetags.formats.money); times in each user's
# own zone (User.time_zone, activated by core.middleware.UserTimeZoneMiddleware).
MONEY_LOCALE = env("MONEY_LOCALE", default="en_MY")

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads (core.uploads): the files of one request together, and how many. RequestCap reads the
# request's length first and drops the files of a request over the cap unstored; the form says why.
UPLOAD_MAX_REQUEST_SIZE = 60 * 1024 * 1024  # a 50 MB video and some photos
UPLOAD_MAX_FILES = 10
FILE_UPLOAD_HANDLERS = [
    "core.uploads.RequestCap",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

FORM_RENDERER = "core.forms.BootstrapRenderer"

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker was killed goes back to the queue instead of being acked as failed (tasks are
# idempotent, so a redelivery is safe).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis redelivers a message not acked within this time: a killed worker's tasks come back in
# minutes, not Kombu's default hour. It stays above the longest retry countdown (retry_backoff
# caps at 10 minutes), since a task waiting on a countdown is held unacked by its worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 15 * 60}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # the kept tab counts (core/counts.py): their ledger collapsed often, checked against a GROUP BY hourly
    "counts-compact": {"task": "core.tasks.counts_compact_task", "schedule": 5 * 60},
    "counts-reconcile": {"task": "core.tasks.counts_reconcile_task", "schedule": 60 * 60},
    # the marketplaces' access tokens renewed before they expire (channels.connections.REFRESH_AHEAD)
    "connections-refresh": {"task": "channels.tasks.connections_refresh_task", "schedule": 60},
    # Auto-push's backstop: a record To Push whose task was lost between its commit and the enqueue
    "distribution-auto-push-relay": {"task": "distribution.tasks.auto_push_relay", "schedule": 5 * 60},
}

# The marketplaces (channels.adapters). Every host defaults to the sandbox marketplace the project ships
# (`python -m sandbox`, started by `make run`), with its demo app keys; production.py points them at the
# real hosts, and the real keys come from the environment.
SANDBOX_URL = env("SANDBOX_URL", default="http://127.0.0.1:8765")
CHANNEL_APIS = {
    "tiktok": {
        "app_key": env("TIKTOK_APP_KEY", default="sandbox-tiktok-app"),
        "app_secret": env("TIKTOK_APP_SECRET", default="sandbox-tiktok-secret"),
        "service_id": env("TIKTOK_SERVICE_ID", default="7000000000000000001"),
        "api_base": env("TIKTOK_API_BASE", default=SANDBOX_URL),
        "auth_base": env("TIKTOK_AUTH_BASE", default=SANDBOX_URL),
        "authorize_url": env("TIKTOK_AUTHORIZE_URL", default=f"{SANDBOX_URL}/open/authorize"),
    },
    "shopee": {
        "partner_id": env.int("SHOPEE_PARTNER_ID", default=2000001),
        "partner_key": env("SHOPEE_PARTNER_KEY", default="sandbox-shopee-partner-key"),
        "api_base": env("SHOPEE_API_BASE", default=SANDBOX_URL),
    },
    "lazada": {
        "app_key": env("LAZADA_APP_KEY", default="100001"),
        "app_secret": env("LAZADA_APP_SECRET", default="sandbox-lazada-secret"),
        # {site} is the store's country: api.lazada.com.my for MY (marketplaces.md, Lazada hosts)
        "api_base": env("LAZADA_API_BASE", default=SANDBOX_URL),
        "auth_base": env("LAZADA_AUTH_BASE", default=SANDBOX_URL),
        "authorize_url": env("LAZADA_AUTHORIZE_URL", default=f"{SANDBOX_URL}/oauth/authorize"),
    },
}
# The outbox relay (orders.relay): an action is tried this many times, the n-th wait about
# BACKOFF x 2^(n-1) seconds (jittered, at most an hour), before it is listed as Sync failed. Beat
# delivers what a commit's wake-up missed, and the retries once they are due.
CHANNEL_OUTBOX_TRIES = env.int("CHANNEL_OUTBOX_TRIES", default=5)
CHANNEL_OUTBOX_BACKOFF = env.int("CHANNEL_OUTBOX_BACKOFF", default=30)
CELERY_BEAT_SCHEDULE["outbox-deliver"] = {"task": "orders.relay_tasks.deliver_outbox", "schedule": 30}

# The order sync (orders.sync): how often each connected store is pulled, and how far back each pull
# reaches before where the last one ended (the platforms write update times late).
CHANNEL_SYNC_EVERY = env.int("CHANNEL_SYNC_EVERY", default=60)
CHANNEL_SYNC_OVERLAP = env.int("CHANNEL_SYNC_OVERLAP", default=10 * 60)
# A store's sync lease (one worker at a time): renewed on every page, it runs out this long after a
# worker died.
CHANNEL_SYNC_LEASE = env.int("CHANNEL_SYNC_LEASE", default=5 * 60)
CELERY_BEAT_SCHEDULE["orders-sync-all-stores"] = {
    "task": "orders.tasks.sync_all_stores",
    "schedule": CHANNEL_SYNC_EVERY,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # httpx logs every request's full URL at INFO; TikTok's token calls carry app_secret and the
    # seller's auth_code / refresh_token in the query string (the platform's documented form).
    "loggers": {name: {"level": "WARNING"} for name in ("httpx", "httpcore")},
}
