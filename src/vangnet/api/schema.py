"""Additions to the OpenAPI document that drf-spectacular cannot say per endpoint."""

from __future__ import annotations

from typing import Any

RETRY_AFTER = {
    "Retry-After": {
        "description": "After how many seconds the next request will be accepted.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def document_retry_after(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Every 429 answer carries Retry-After (vangnet.api.errors); the document says so."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            too_many = operation.get("responses", {}).get("429")
            if too_many is not None:
                too_many.setdefault("headers", {}).update(RETRY_AFTER)
    return result
