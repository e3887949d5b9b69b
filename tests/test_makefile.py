"""The Makefile's serving targets: what `make demo` and `make serve` hand the application."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

# A recipe read with the project's Makefile sees the environment every target's commands get.
PROBE = "probe:\n\t@printenv PUBLIC_BASE_URL\n"


def public_base_url(*args: str, environ: dict[str, str] | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    env.update(environ or {})
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-", "probe", *args],
        cwd=PROJECT_DIR,
        env=env,
        input=PROBE,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.strip()


def test_the_status_link_follows_the_address_the_demo_serves_on():
    assert public_base_url() == "http://127.0.0.1:8000"
    assert public_base_url("PORT=8123") == "http://127.0.0.1:8123"
    assert public_base_url("HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"


def test_an_explicit_public_base_url_wins():
    given = {"PUBLIC_BASE_URL": "https://vangnet.example.nl"}
    assert public_base_url("PORT=8123", environ=given) == "https://vangnet.example.nl"
