"""Test settings: PostgreSQL by default (the suite's real database), fast hashing.

Tests that need a server are skipped with the reason printed when it is absent
(see tests/conftest.py); under CI=true they fail instead.
"""

import os

from .base import *  # noqa: F401,F403
from .base import env

DATABASES = {
    "default": env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/tracker"),
}
# One test database per run, so two suites on one server (two developers, a benchmark)
# never drop each other's database.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=f"test_tracker_{os.getpid()}")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/minute", "user": "100000/minute"}
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/tracker-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
