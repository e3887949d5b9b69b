"""No adapter queries personal data itself (DESIGN.md: reads that show personal data go through
selectors, which apply the policy and write the access log).

Adapters are the views, the socket consumers and the API endpoints. A query of a model that
holds data about people (`<Model>.objects`) in one of them is a read that no selector checked
or logged: the test names the file and the line, and the fix is to call (or add) a selector.
"""

from __future__ import annotations

import ast
from pathlib import Path

import vangnet

# Models that hold data about the people Veilig Thuis works for (or with): visitors, children,
# families, reporters, professionals' records.
PERSONAL_MODELS = frozenset(
    {
        "Conversation",
        "Message",
        "Handover",
        "ContinuityCode",
        "Contact",
        "AdviceDossier",
        "DossierPerson",
        "DossierEvent",
        "Report",
        "Reporter",
        "ReportPerson",
        "JournalEntry",
        "SafetyCondition",
        "MonitoringMoment",
        "ReporterFeedback",
        "MeldcodeRecord",
        "AdviceRequest",
    }
)


def adapter_modules() -> list[Path]:
    root = Path(vangnet.__file__).parent
    return sorted(
        path
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and (path.name in {"views.py", "consumers.py", "api.py"} or path.name.endswith("_views.py"))
    )


def personal_queries(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(Path(vangnet.__file__).parent)}:{node.lineno} {node.value.id}.objects"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id in PERSONAL_MODELS
    ]


def test_the_scan_sees_the_adapters():
    names = {path.name for path in adapter_modules()}
    assert {"views.py", "consumers.py", "api.py", "staff_views.py", "partner_views.py"} <= names


def test_no_adapter_queries_personal_data_itself():
    found = [hit for path in adapter_modules() for hit in personal_queries(path)]
    assert found == [], "read these through a selector (policy + access log):\n" + "\n".join(found)
