"""Settings read from the environment (django-environ), with embedded defaults.

With nothing set, the tracker runs on a SQLite file under var/ and Celery runs its
tasks eagerly in-process, so one command works on a bare machine. Production sets
DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) and runs `celery worker`s.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# The production switch: HTTPS only (HSTS, redirect, secure cookies) behind a TLS proxy.
DJANGO_SECURE = env.bool("DJANGO_SECURE", default=False)
# A deployment (a broker, or the secure switch) must bring its own key: with the built-in dev
# key anyone who reads this file could forge sessions, CSRF tokens and password resets.
# Only the embedded default (eager tasks, bin/demo) and local benchmarks may fall back to it.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and (CELERY_BROKER_URL or DJANGO_SECURE):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: a deployment (CELERY_BROKER_URL or DJANGO_SECURE set) refuses to start "
            "with the built-in development key"
        )
    SECRET_KEY = "dev-only-insecure-key-change-me"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    # Swagger UI assets served from this app's static files: no CDN at runtime.
    "drf_spectacular_sidecar",
    "simple_history",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before LocaleMiddleware: the UI language follows the switch (cookie), never the browser.
    "tracker.dashboard.middleware.IgnoreAcceptLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # tracker.dashboard is a package of the tracker app, not an app, so its tags are named here.
            "libraries": {"dashboard": "tracker.dashboard.templatetags.dashboard"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Celery eager tasks and the dev server share the file; wait rather than fail on a lock.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tracker" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Chart.js comes from the npm registry at setup (`npm ci --prefix tracker/dashboard`) and is
# served from our own static files, so dashboards work offline and never call a CDN.
STATICFILES_DIRS = [
    ("dashboard/vendor/chartjs", BASE_DIR / "tracker" / "dashboard" / "node_modules" / "chart.js" / "dist"),
]

# Uploads larger than this are refused before they reach the pipeline.
TRACKER_MAX_UPLOAD_BYTES = env.int("TRACKER_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = TRACKER_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = TRACKER_MAX_UPLOAD_BYTES + 1024 * 1024
# Verdicts below this confidence are shown first in the curation queue.
TRACKER_REVIEW_CONFIDENCE = env.float("TRACKER_REVIEW_CONFIDENCE", default=0.6)

CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="tracker")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it finished, so a killed worker's task runs again;
# that is safe because every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
# How long an unacknowledged task waits before Redis hands it to another worker; it must
# outlast the longest task, or a slow task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The stuck sweep (services.stuck_sweep): a document or tracking queued or processing for
# longer than this has lost its task (worker killed, database cut mid-task, broker down when
# it was sent). Past the hard time limit no live run can still hold it.
TRACKER_STUCK_AFTER = env.int("TRACKER_STUCK_AFTER", default=CELERY_TASK_TIME_LIMIT + 60)
# Re-queued at most this many times after being found stuck processing, then failed.
TRACKER_STUCK_REQUEUES = env.int("TRACKER_STUCK_REQUEUES", default=2)
# Run by `celery beat` (docker/compose.yaml) or a worker started with -B; `manage.py
# sweep_stuck` does the same from cron.
CELERY_BEAT_SCHEDULE = {
    "stuck-sweep": {"task": "tracker.stuck_sweep", "schedule": env.int("TRACKER_SWEEP_EVERY", default=300)},
}

# Throttle counts (and anything else cached) must be shared by every web process, or each
# gunicorn worker counts alone and the limit multiplies by the number of workers. Redis when
# a cache or broker URL is set; local memory only on the embedded default (one process).
CACHE_URL = env("CACHE_URL", default="") or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="tracker"),
            # Fail fast in an outage: the request gets a JSON 503, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if DJANGO_SECURE:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # TLS ends at the proxy in front (docker/compose.yaml); it must set X-Forwarded-Proto
    # itself and drop any value a client sent, or a client could claim https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.TrackerAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.TokenAuthentication",
        "tracker.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PagePagination",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "tracker.api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tracker.api.negotiation.FormatNegotiation",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's, except that a Redis outage lets requests through instead of failing them.
        "tracker.api.throttling.AnonThrottle",
        "tracker.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="600/minute"),
        "user": env("THROTTLE_USER", default="3000/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Pledge tracker API",
    "DESCRIPTION": "Pledges of Chinese government work reports and what the next year's review says of them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.csv_bodies_as_text",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "tracker.models.Status.choices",
        "PledgeKindEnum": "tracker.models.PledgeKind.choices",
        "SectionKindEnum": "tracker.models.SectionKind.choices",
        "LevelEnum": "tracker.models.Level.choices",
        "ProcessingStateEnum": "tracker.models.ProcessingState.choices",
        "CurationEnum": "tracker.models.Curation.choices",
        "ChainKindEnum": "tracker.models.ChainKind.choices",
        "ChainCurationEnum": "tracker.models.ChainCuration.choices",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
