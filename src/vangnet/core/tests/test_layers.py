"""The apps have a direction (docs/architecture.md, "Layers").

`lint-imports` (run by `make test`) checks the contract itself; these tests keep the
documented layers equal to the contract, and keep the contract honest: an import inside a
function hides an import from import-linter and from the reader, so outside an app's
`ready()` there is none.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import vangnet

PACKAGE = Path(vangnet.__file__).parent
REPOSITORY = PACKAGE.parent.parent


def contract_layers() -> list[str]:
    config = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return list(contract["layers"])


def documented_layers() -> list[str]:
    text = (REPOSITORY / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- layers:[^>]*-->\s*```text\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no layer list"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_documented_layers_are_the_contract():
    assert documented_layers() == contract_layers()


def test_every_app_and_top_level_module_has_a_layer():
    layered = {name.strip() for layer in contract_layers() for name in re.split("[|:]", layer)}
    ours = {
        f"vangnet.{path.name}"
        for path in PACKAGE.iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    } | {
        f"vangnet.{path.stem}"
        for path in PACKAGE.glob("*.py")
        if path.stem not in {"__init__", "settings"}
    }
    assert ours - layered == set()


def imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and function.name == "ready":
            continue  # models and receivers are loaded after the app registry is ready
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                ours = node.level > 0 or (node.module or "").startswith("vangnet")
            elif isinstance(node, ast.Import):
                ours = any(alias.name.startswith("vangnet") for alias in node.names)
            else:
                continue
            if ours:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_module_of_ours_is_imported_inside_a_function():
    found = [
        place
        for path in sorted(PACKAGE.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.parts)
        for place in imports_inside_functions(path)
    ]
    assert found == []
