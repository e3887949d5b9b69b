"""The reporter's status page (Wmo 2015 art. 4.1.1 feedback): received, who handles it, closed.

No login: the reporter has the reference and the secret link. The page never shows findings
about the family, nor who the family or the reporter are; only what the law lets a reporter
hear: that the report was received, whether a follow-up started and by whom, and the closure.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Report
from .services import status_token_matches
from .status import reporter_view


@never_cache
@require_GET
def status(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    report = (
        Report.objects.select_related("region", "transferred_to")
        .filter(reference=reference)
        .first()
    )
    # One answer for an unknown reference and a wrong secret: nothing to learn by guessing.
    if report is None or not status_token_matches(report, token):
        raise Http404
    return render(request, "reports/status.html", {"status": reporter_view(report)})
