"""The reporter's status page: a secret link plus the report's reference, and nothing more
than the law allows — what the reporter was told, and who handles the report now."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access

from .models import Report
from .services import token_hash


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Kenmerk van uw melding"),
        max_length=20,
        help_text=_("Dat staat in de bevestiging, bijvoorbeeld ME-2026-1A2B3C."),
        error_messages={"required": _("Vul het kenmerk van uw melding in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


@require_http_methods(["GET", "POST"])
def report_status(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "reports/status.html", {"form": ReferenceForm()})
    form = ReferenceForm(request.POST)
    report = None
    if form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper()
        report = (
            Report.objects.select_related("region", "lead_organisation")
            .filter(reference=reference, status_token_hash=token_hash(token))
            .first()
        )
        if report is None:
            form.add_error(
                "reference",
                _("Dit kenmerk hoort niet bij deze link. Controleer het kenmerk en de link."),
            )
    if report is None:
        return render(request, "reports/status.html", {"form": form}, status=400)
    record_access(
        user=None,
        action=AccessLogAction.VIEW,
        obj=report,
        reason="statuspagina van de melder",
        request=request,
    )
    return render(
        request,
        "reports/status.html",
        {"report": report, "feedback": list(report.feedback.all())},
    )
