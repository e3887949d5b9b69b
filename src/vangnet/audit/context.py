"""What the access log records about where an action came from (ADR 0034).

Services and selectors do not take the HTTP request: the adapters (views, API, consumers)
build an `AuditContext` once and pass it on. No context (`None`) means no request: a task,
a command, a test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a proxy, Axes' ipware settings decide which header is trusted (settings.py).
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return address or None


def active_region_code(request: HttpRequest | None) -> str:
    region = getattr(request, "active_region", None) if request is not None else None
    return region.code if region is not None else ""


@dataclass(frozen=True)
class AuditContext:
    """From which address, in which region an action was done; read once from the request.

    Who (the user) and in which role are given to the log by the service itself, as is
    why (`reason`) where it differs per action."""

    ip_address: str | None = None
    region_code: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> AuditContext:
        """For a view or an API endpoint: the client address and the active region."""
        return cls(ip_address=client_address(request), region_code=active_region_code(request))
