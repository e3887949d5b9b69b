"""One error shape for the whole API: {"error": code, "detail": message, "fields": {...}}.

- `error`: a stable, machine-readable code (`invalid`, `not_found`, `throttled`, …).
- `detail`: one message, in the request's language (Dutch by default), that a partner
  system can show to the person who made the mistake.
- `fields`: per input field, its messages; `{}` when the error is not about a field.
  Nested input is flattened to dotted names (`address.postcode`).

Every refusal (403, and the 404 that hides another organisation's record) is written to the
access log here, once, whatever the endpoint (ADR 21). A path under /api/ that matches no
endpoint, and a server error there, answer in the same shape (`page_not_found`, `server_error`).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import APIException, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from vangnet.accounts.policy import is_partner_system
from vangnet.audit.context import AuditContext
from vangnet.audit.services import record_unlogged_refusal

from .auth import RefusedAsNotFound


class ServiceUnavailable(APIException):
    """The API works, but something it needs (such as the region data) is not there yet."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Deze dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw.")
    default_code = "unavailable"


REFUSALS = (DjangoPermissionDenied, exceptions.PermissionDenied, RefusedAsNotFound)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if isinstance(exc, REFUSALS) and request is not None:
        record_refusal(exc, request)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling (and logging) takes over
    data = response.data
    if isinstance(exc, Throttled):
        # DRF's own Dutch text for this is half English and hard to follow.
        wait = getattr(exc, "wait", None)
        by_key = request is not None and is_partner_system(getattr(request, "user", None))
        data = {"detail": _throttled_message(wait, by_key=by_key)}
        response.headers.setdefault("Retry-After", str(max(1, math.ceil(wait or 1))))
    response.data = error_body(_error_code(exc), data)
    return response


def record_refusal(exc: Exception, request: Request) -> None:
    """One REFUSED access-log entry per refusal: the record when there is one, else the path
    (ids only, never personal data). A refusal a selector or service logged itself is skipped."""
    record_unlogged_refusal(
        exc,
        user=request.user,
        kind="api",
        path=request.path,
        audit=AuditContext.from_request(request._request),
    )
    exc.logged = True  # type: ignore[attr-defined]  # never twice, should it be handled again


def _throttled_message(wait: float | None, *, by_key: bool = False) -> str:
    if by_key:
        seconds = max(1, math.ceil(wait or 1))
        return ngettext(
            "Te veel verzoeken met deze API-sleutel. Probeer het over %(seconds)d seconde opnieuw.",
            "Te veel verzoeken met deze API-sleutel. Probeer het over %(seconds)d seconden "
            "opnieuw.",
            seconds,
        ) % {"seconds": seconds}
    if wait is None:
        return gettext("Te veel verzoeken vanaf dit adres. Probeer het later opnieuw.")
    seconds = max(1, math.ceil(wait))
    return ngettext(
        "Te veel verzoeken vanaf dit adres. Probeer het over %(seconds)d seconde opnieuw.",
        "Te veel verzoeken vanaf dit adres. Probeer het over %(seconds)d seconden opnieuw.",
        seconds,
    ) % {"seconds": seconds}


# --- Outside the endpoints: Django's 404 and 500 under /api/ ---------------------------
# core's handler404/handler500 (vangnet.core.views) answer with these under /api/.


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found_response() -> JsonResponse:
    """No endpoint here (or a malformed id): the same 404 as an endpoint's."""
    body = error_body("not_found", {"detail": str(exceptions.NotFound.default_detail)})
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


def server_error_response() -> JsonResponse:
    body = error_body(
        "error", {"detail": gettext("Er ging iets mis bij ons. Probeer het later opnieuw.")}
    )
    return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})


def error_body(code: str, data: Any) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    if isinstance(data, dict) and set(data) == {"detail"}:
        general = [str(data["detail"])]
    elif isinstance(data, dict):
        for name, messages in _flatten(data).items():
            if name == api_settings.NON_FIELD_ERRORS_KEY:
                general += messages
            else:
                fields[name] = messages
    else:
        general = _flatten(data).get("", [])
    detail = " ".join(general + [m for messages in fields.values() for m in messages])
    return {"error": code, "detail": detail, "fields": fields}


def _error_code(exc: Exception) -> str:
    if isinstance(exc, Http404):
        return "not_found"
    if isinstance(exc, DjangoPermissionDenied):
        return "permission_denied"
    return str(getattr(exc, "default_code", "error"))


def _flatten(data: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(data, dict):
        flat: dict[str, list[str]] = {}
        for key, value in data.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(data, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in data):
            return {prefix: [str(item) for item in data]} if data else {}
        flat = {}
        for index, item in enumerate(data):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix: [str(data)]}


# --- For the OpenAPI schema ------------------------------------------------------------

ErrorSerializer = inline_serializer(
    "Error",
    fields={
        "error": serializers.CharField(
            help_text="Machine-readable code: invalid, not_found, throttled, unavailable, …"
        ),
        "detail": serializers.CharField(help_text="A message to show a person (Dutch)."),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Messages per input field; empty when the error is not about a field.",
        ),
    },
)

ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="The input is not valid."),
    404: OpenApiResponse(ErrorSerializer, description="Not found."),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests from this address; the Retry-After header says when "
        "to try again.",
    ),
    503: OpenApiResponse(
        ErrorSerializer, description="Temporarily unavailable (for example: no region data)."
    ),
}

# What every endpoint behind a partner key can answer besides its own result (ADR 21).
PARTNER_ERROR_RESPONSES = {
    401: OpenApiResponse(
        ErrorSerializer, description="No API key, or one that is unknown or revoked."
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Your kind of organisation may not use this endpoint."
    ),
    404: OpenApiResponse(
        ErrorSerializer,
        description="Not found: no such record, or one that is not your organisation's (both "
        "answer alike).",
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests with this API key; the Retry-After header says after "
        "how many seconds to try again.",
    ),
}


def partner_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The partner errors plus these of ERROR_RESPONSES (such as 400 for an endpoint with input)."""
    return {**{code: ERROR_RESPONSES[code] for code in statuses}, **PARTNER_ERROR_RESPONSES}


def error_example(
    name: str, *, http_status: int, error: str, detail: str, field: str | None = None
) -> OpenApiExample:
    return OpenApiExample(
        name,
        value={"error": error, "detail": detail, "fields": {field: [detail]} if field else {}},
        response_only=True,
        status_codes=[str(http_status)],
    )
