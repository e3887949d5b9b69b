"""One error shape for the whole API: {"error": code, "detail": message, "fields": {...}}.

- `error`: a stable, machine-readable code (`invalid`, `not_found`, `throttled`, …).
- `detail`: one message, in the request's language (Dutch by default), that a partner
  system can show to the person who made the mistake.
- `fields`: per input field, its messages; `{}` when the error is not about a field.
  Nested input is flattened to dotted names (`address.postcode`).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, Throttled
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class ServiceUnavailable(APIException):
    """The API works, but something it needs (such as the region data) is not there yet."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Deze dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw.")
    default_code = "unavailable"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling (and logging) takes over
    data = response.data
    if isinstance(exc, Throttled):
        # DRF's own Dutch text for this is half English and hard to follow.
        data = {"detail": _throttled_message(getattr(exc, "wait", None))}
    response.data = error_body(_error_code(exc), data)
    return response


def _throttled_message(wait: float | None) -> str:
    if wait is None:
        return gettext("Te veel verzoeken vanaf dit adres. Probeer het later opnieuw.")
    seconds = max(1, math.ceil(wait))
    return ngettext(
        "Te veel verzoeken vanaf dit adres. Probeer het over %(seconds)d seconde opnieuw.",
        "Te veel verzoeken vanaf dit adres. Probeer het over %(seconds)d seconden opnieuw.",
        seconds,
    ) % {"seconds": seconds}


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


def error_example(
    name: str, *, http_status: int, error: str, detail: str, field: str | None = None
) -> OpenApiExample:
    return OpenApiExample(
        name,
        value={"error": error, "detail": detail, "fields": {field: [detail]} if field else {}},
        response_only=True,
        status_codes=[str(http_status)],
    )
