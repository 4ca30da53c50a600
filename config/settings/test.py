"""Test settings: PostgreSQL by default (the suite's real database), fast hashing.

Tests that need a server are skipped with the reason printed when it is absent
(see tests/conftest.py); under CI=true they fail instead.
"""

import os

# Set before base reads it: worker processes started by the integration tests inherit it.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-" + "x" * 20)

from .base import *  # noqa: E402,F401,F403
from .base import env  # noqa: E402

DATABASES = {
    "default": env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/tracker"),
}
# One test database per run, so two suites on one server (two developers, a benchmark)
# never drop each other's database.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=f"test_tracker_{os.getpid()}")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# One process: the tests that need a shared cache start their own processes against Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/minute", "user": "100000/minute"}
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/tracker-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
