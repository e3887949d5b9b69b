"""Public pages (start page), error pages and the health endpoint."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from vangnet.api import errors as api_errors
from vangnet.audit.context import AuditContext
from vangnet.audit.services import record_unlogged_refusal
from vangnet.core import events

from .health import check_channel_layer, check_database


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "core/start.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the channel layer answer, else 503."""
    checks = {"database": check_database(), "channel_layer": check_channel_layer()}
    healthy = all(problem is None for problem in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: problem or "ok" for name, problem in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@require_POST
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Quick exit: forget this browser's session on the server too (the page already left)."""
    events.quick_exit.send(sender=quick_exit, request=request)
    request.session.flush()
    response = HttpResponse(status=204)
    # The browser forgets everything of this site: its cache, storage and cookies. Browsers
    # without Clear-Site-Data still drop the cookies, which are expired here one by one.
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    for name in (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    ):
        response.delete_cookie(name, samesite="Lax")
    return response


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/error.html", {"status": 400}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Every refusal lands in the access log, once: here, unless a selector already logged it."""
    record_unlogged_refusal(
        exception,
        user=request.user,
        kind="page",
        path=request.path,
        audit=AuditContext.from_request(request),
    )
    message = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return render(request, "core/error.html", {"status": 403, "message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 page; under /api/ the API's JSON 404."""
    if api_errors.is_api_request(request):
        return api_errors.not_found_response()
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 page; under /api/ the API's JSON 500."""
    if api_errors.is_api_request(request):
        return api_errors.server_error_response()
    return render(request, "core/error.html", {"status": 500}, status=500)
