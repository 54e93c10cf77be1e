"""Configuration comes from the environment, with safe production defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from coiin.settings import database_from_url, env_bool

PROBE = (
    "import json, django; from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'secure': "
    "s.SESSION_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, 'email': s.EMAIL_BACKEND, "
    "'db': s.DATABASES['default']['ENGINE']}))"
)


def run_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"COIIN_DEV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL",
                          "EMAIL_HOST"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "coiin.settings", "COIIN_DEV": "0", **env})
    return subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True,  # noqa: S603
                          text=True, timeout=60)


def test_production_needs_a_secret_key():
    result = run_settings()
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr


def test_production_defaults_are_safe():
    result = run_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["debug"] is False
    assert got["hosts"] == []
    assert got["secure"] is True
    assert got["hsts"] == 31_536_000  # a year
    assert got["email"] == "django.core.mail.backends.console.EmailBackend"


def test_development_defaults():
    got = json.loads(run_settings(COIIN_DEV="1").stdout)
    assert got["debug"] is True
    assert "127.0.0.1" in got["hosts"]
    assert got["hsts"] == 0  # never on a laptop's plain HTTP


def test_smtp_when_configured():
    got = json.loads(run_settings(COIIN_DEV="1", EMAIL_HOST="smtp.example.org").stdout)
    assert got["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_postgres_url():
    db = database_from_url("postgres://alice:s%40cret@db.example.org:5433/coiin?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "alice", "s@cret", "db.example.org", "5433", "coiin")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_urls(tmp_path):
    absolute = database_from_url(f"sqlite:///{tmp_path}/x.sqlite3")
    assert absolute["NAME"] == f"{tmp_path}/x.sqlite3"
    assert database_from_url("sqlite:///:memory:")["NAME"] == ":memory:"


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="must start with sqlite:/// or postgres://"):
        database_from_url("mysql://root@localhost/x")


def test_env_bool_names_a_bad_value(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false, not 'maybe'"):
        env_bool("DEBUG", False)
