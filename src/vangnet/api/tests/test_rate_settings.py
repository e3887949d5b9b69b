"""The partner limits are settings, checked when the application starts (not at request 100)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[4]


def check_with(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [sys.executable, str(PROJECT_DIR / "manage.py"), "check"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("name", ["API_PARTNER_RATE", "API_PARTNER_WRITE_RATE"])
def test_a_malformed_partner_rate_stops_the_start_with_its_name(name):
    refused = check_with(**{name: "veel"})

    assert refused.returncode != 0
    assert f"{name} must look like 120/minute" in refused.stderr


def test_a_well_formed_partner_rate_starts():
    assert check_with(API_PARTNER_RATE="600/hour", API_PARTNER_WRITE_RATE="5/m").returncode == 0
