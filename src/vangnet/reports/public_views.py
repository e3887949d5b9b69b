"""The reporter's status page (Wmo 2015 art. 4.1.1 feedback): received, who handles it, closed.

No login: the reporter has the reference and the secret link. The page never shows findings
about the family, nor who the family or the reporter are; only what the law lets a reporter
hear: that the report was received, whether a follow-up started and by whom, and the closure.

The secret never stays in the address bar or the history: the link trades it for a short
session and redirects to the same address without it (ADR 0023).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import report_for_reporter
from .services import status_link_generation, status_token_matches
from .status import reporter_view

# session key -> {reference: [epoch seconds until which the status page may be shown, the
# generation of the link that opened it]}. A new link changes the generation: the old session
# ends with the old link (ADR 0032).
SESSION_KEY = "vangnet_report_status"


def _granted(request: HttpRequest, now: float) -> dict[str, list[Any]]:
    """The unexpired grants of this browser (anything else in the session is dropped)."""
    kept: dict[str, list[Any]] = {}
    for ref, grant in request.session.get(SESSION_KEY, {}).items():
        if isinstance(grant, list) and len(grant) == 2 and int(grant[0]) > now:
            kept[ref] = grant
    return kept


@never_cache
@require_GET
def status_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """The link from the e-mail: check the secret, remember it for a while, drop it from the URL."""
    report = report_for_reporter(reference)
    # One answer for an unknown reference and a wrong secret: nothing to learn by guessing.
    if report is None or not status_token_matches(report, token):
        raise Http404
    now = int(time.time())
    granted = _granted(request, now)
    granted[report.reference] = [
        now + settings.REPORT_STATUS_SESSION_MINUTES * 60,
        status_link_generation(report),
    ]
    request.session[SESSION_KEY] = granted
    return redirect("report_status", reference=report.reference)


@never_cache
@require_GET
def status(request: HttpRequest, reference: str) -> HttpResponse:
    grant = _granted(request, time.time()).get(reference)
    report = report_for_reporter(reference) if grant is not None else None
    # Checked on every request: a link issued since this session began ends it at once.
    if report is None or grant is None or grant[1] != status_link_generation(report):
        return render(request, "reports/status_expired.html", status=404)
    return render(request, "reports/status.html", {"status": reporter_view(report)})
