"""Production refuses what would weaken the access log, and the README's list of required
production settings is exactly what settings.py requires (issue 12, hole 10).

The list of required settings is read from settings.py itself (every `required("NAME")`),
so a new required setting that the README or docs/operations.md forgets fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.test_settings import PRODUCTION_REQUIRED, production_env, run_manage

PROJECT_DIR = Path(__file__).resolve().parent.parent
SETTINGS = PROJECT_DIR / "src" / "vangnet" / "settings.py"


def required_in_settings() -> set[str]:
    """Every NAME in a `required("NAME")` call of settings.py."""
    tree = ast.parse(SETTINGS.read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "required"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def required_in_readme() -> list[str]:
    """The bullet list `- `NAME` ...` of the README's "Running in production" section."""
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    before_commands = section.split("```", 1)[0]
    return re.findall(r"^- `([A-Z_]+)`", before_commands, flags=re.MULTILINE)


def required_in_operations() -> set[str]:
    """The variables docs/operations.md marks **required** in its table."""
    text = (PROJECT_DIR / "docs" / "operations.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z_]+)` \| \*\*required\*\*", text, flags=re.MULTILINE))


def test_readme_lists_exactly_the_settings_production_requires():
    readme = required_in_readme()

    assert len(readme) == len(set(readme)), "a setting is listed twice"
    assert set(readme) == required_in_settings()


def test_operations_guide_marks_exactly_the_settings_production_requires():
    assert required_in_operations() == required_in_settings()


def test_the_refusal_tests_cover_every_required_setting():
    assert set(PRODUCTION_REQUIRED) == required_in_settings()


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:////tmp/vangnet-production.sqlite3", "sqlite://:memory:"],
)
def test_production_refuses_sqlite(database_url: str):
    # SQLite has no trigger that keeps the access log append-only.
    result = run_manage("check", env=production_env(DATABASE_URL=database_url))

    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


def test_development_still_runs_on_sqlite():
    result = run_manage("check", env={"DATABASE_URL": "sqlite:////tmp/vangnet-development.sqlite3"})

    assert result.returncode == 0, result.stderr
