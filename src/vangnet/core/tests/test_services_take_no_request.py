"""Services and selectors do not take the HTTP request (ADR 0034).

What the access log needs of a request (the client address, the active region) reaches them
as an `audit.context.AuditContext` that the adapter (view, API endpoint, consumer) built.
The test names the function and the parameter that takes a request anyway; the fix is to take
`audit: AuditContext | None` and let the adapter call `AuditContext.from_request(request)`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import vangnet

ROOT = Path(vangnet.__file__).parent

# Modules of services and selectors that are not called services.py or selectors.py.
CHAT_SERVICES = frozenset(
    {
        "assignment.py",
        "console.py",
        "continuity.py",
        "desks.py",
        "floor.py",
        "handovers.py",
        "messaging.py",
        "presence.py",
        "queue.py",
        "retention.py",
        "standard_texts.py",
    }
)
ADAPTERS = frozenset({"views.py", "forms.py", "urls.py", "apps.py", "admin.py", "__init__.py"})

# (module, function): a parameter called `request` that is not the HTTP request.
ALLOWED = frozenset(
    {
        # A helpline's handover request (`HandoverRequest`), a domain object.
        ("chat/handovers.py", "request_handover"),
    }
)


def service_modules() -> list[Path]:
    found = set(ROOT.glob("*/services.py")) | set(ROOT.glob("*/selectors.py"))
    found |= {ROOT / "chat" / name for name in CHAT_SERVICES}
    for app in ("rights", "insights"):
        found |= {
            path
            for path in (ROOT / app).glob("*.py")
            if path.name not in ADAPTERS and not path.name.endswith("_views.py")
        }
    return sorted(found)


def requests_taken(path: Path) -> list[str]:
    module = path.relative_to(ROOT).as_posix()
    source = path.read_text(encoding="utf-8")
    hits = [f"{module}: mentions HttpRequest"] if "HttpRequest" in source else []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        for argument in arguments:
            annotation = ast.unparse(argument.annotation) if argument.annotation else ""
            if (argument.arg == "request" and (module, node.name) not in ALLOWED) or (
                "HttpRequest" in annotation
            ):
                hits.append(f"{module}:{node.lineno} {node.name}({argument.arg}: {annotation})")
    return hits


def test_the_scan_sees_the_services():
    names = {path.relative_to(ROOT).as_posix() for path in service_modules()}
    assert {
        "audit/services.py",
        "reports/services.py",
        "reports/selectors.py",
        "chat/floor.py",
        "rights/services.py",
        "insights/selectors.py",
    } <= names
    assert all((ROOT / module).exists() for module, _function in ALLOWED)


def test_no_service_or_selector_takes_the_request():
    found = [hit for path in service_modules() for hit in requests_taken(path)]
    assert found == [], "take `audit: AuditContext | None` instead (ADR 0034):\n" + "\n".join(found)
