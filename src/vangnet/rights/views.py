"""The team lead's view of the retention. Thin adapters: parse, call one selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied

from . import selectors

KIND_LABELS = {
    "reports": _("meldingen"),
    "advice_dossiers": _("adviesdossiers"),
    "contacts": _("contacten"),
    "chat_transcripts": _("chatgesprekken (tekst)"),
    "meldcode_records": _("meldcodedossiers"),
    "access_log_entries": _("toegangslogregels"),
}


@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    region = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(_("U bent nog niet aan een regio gekoppeld."))
    preview = selectors.upcoming_deletions(
        user=user, region=region, page=request.GET.get("page"), request=request
    )
    runs = [
        {
            "run": run,
            "counts": [(str(KIND_LABELS.get(k, k)), n) for k, n in run.counts.items()],
            "failed": [str(KIND_LABELS.get(k, k)) for k in run.failed],
        }
        for run in preview.runs
    ]
    return render(
        request,
        "rights/retention.html",
        {"preview": preview, "region": region, "runs": runs},
    )
