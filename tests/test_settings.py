"""Settings: development needs nothing, production refuses to start without what protects people.

Each case starts a fresh Python process with a clean environment, the way an operator starts
the application: settings are read once, at start-up.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

PROJECT_DIR = Path(__file__).resolve().parent.parent
MANAGE = str(PROJECT_DIR / "manage.py")

PRODUCTION_REQUIRED = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "AUDIT_LOG_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_HASH_KEY",
    "PUBLIC_BASE_URL",
]


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        "VANGNET_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "vangnet.example.org",
        # Never connected to: `check` does not touch the database unless asked to.
        "DATABASE_URL": "postgres://vangnet@db.invalid:5432/vangnet",
        "AUDIT_LOG_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "FIELD_HASH_KEY": secrets.token_urlsafe(48),
        "PUBLIC_BASE_URL": "https://vangnet.example.org",
    }
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=PROJECT_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_development_starts_with_nothing_set():
    result = run_manage("check", env={})

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", PRODUCTION_REQUIRED)
def test_production_refuses_to_start_without(missing: str):
    env = production_env()
    del env[missing]

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", env=production_env(SECRET_KEY="too-short"))

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr


def test_unknown_environment_name_is_refused():
    result = run_manage("check", env={"VANGNET_ENV": "staging"})

    assert result.returncode != 0
    assert "VANGNET_ENV must be 'development' or 'production'" in result.stderr


def test_production_with_everything_set_passes_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_development_field_key():
    from vangnet.settings import _DEVELOPMENT_FIELD_KEY

    result = run_manage("check", env=production_env(FIELD_ENCRYPTION_KEYS=_DEVELOPMENT_FIELD_KEY))

    assert result.returncode != 0
    assert "must not hold the development key" in result.stderr
