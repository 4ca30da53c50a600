"""Production settings (issue 13 reliability, issue 15.7): the DJANGO_SECURE switch passes
`check --deploy`, and a deployment without a SECRET_KEY refuses to start."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SECURE", "CELERY_BROKER_URL",
                                                            "DEBUG", "DATABASE_URL", "CACHE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env},
    )


def test_check_deploy_is_clean_under_django_secure():
    key = secrets.token_urlsafe(50)
    secure = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DJANGO_SECURE="true", SECRET_KEY=key, DEBUG="false", ALLOWED_HOSTS="tracker.example.org")
    assert secure.returncode == 0, secure.stdout + secure.stderr
    # Not one warning of any kind (the schema's enum names are checked by --deploy too).
    assert "System check identified no issues (0 silenced)." in secure.stdout + secure.stderr
    # The switch is what makes it clean: without it the same environment warns.
    plain = _manage("check", "--deploy", SECRET_KEY=key, ALLOWED_HOSTS="tracker.example.org")
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in plain.stdout + plain.stderr


def test_a_deployment_without_secret_key_refuses_to_start():
    for env in ({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}, {"DJANGO_SECURE": "true"}):
        result = _manage("check", **env)
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr
    # The embedded default (no broker, bin/demo) still starts with the development key.
    assert _manage("check").returncode == 0


def test_compose_runs_the_secure_switch_behind_a_tls_proxy():
    compose = yaml.safe_load((REPO / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    for name in ("web", "worker", "migrate"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SECURE"] == "${DJANGO_SECURE:-true}"
        assert "SECURE_HSTS_SECONDS" in environment and "SECRET_KEY" in environment
    # Only the proxy is published: plain HTTP never reaches gunicorn from outside.
    assert "ports" not in services["web"]
    assert "443:443" in services["proxy"]["ports"]
    caddyfile = (REPO / "docker" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "trusted_proxies" not in caddyfile  # clients' X-Forwarded-Proto is never believed
