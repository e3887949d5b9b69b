"""The local team's or SAVE team's side of a transfer (partner workspace, /partner/transfers/).

A team member sees only the reports transferred to their own organisation, and of those only
what the transfer document holds; accepting gives the team the lead (seed 001).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, require, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access

from . import selectors, services
from .models import Report
from .transfer_document import transfer_document as build_document
from .transfer_document import transfer_pdf
from .workflow import ReportState, WorkflowError


def _team_member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    require(user, Action.ACCEPT_TRANSFER)
    if user.organisation is None:
        raise AccessDenied(_("Uw account hoort niet bij een lokaal team of SAVE-team."))
    return user


def _transfer(request: HttpRequest, report_id: int) -> tuple[User, Report]:
    user = _team_member(request)
    # Another team's transfer: AccessDenied, which the 403 page logs (once).
    report = selectors.partner_transfer(principal=user, report_id=report_id)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=report,
        roles=roles_for(user, Action.ACCEPT_TRANSFER, report),
        audit=AuditContext.from_request(request),
        reason="overdracht",
    )
    return user, report


@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    user = _team_member(request)
    transfers = selectors.transfers_for(principal=user).order_by("-transferred_at")[:100]
    return render(request, "reports/partner/list.html", {"transfers": transfers})


@require_GET
def transfer_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    _user, report = _transfer(request, report_id)
    return render(
        request,
        "reports/partner/detail.html",
        {
            "report": report,
            "document": build_document(report),
            "can_accept": report.state == ReportState.TRANSFER_PENDING,
        },
    )


@require_GET
def transfer_document(request: HttpRequest, report_id: int) -> HttpResponse:
    _user, report = _transfer(request, report_id)
    response = HttpResponse(transfer_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="overdracht-{report.reference}.pdf"'
    return response


@require_POST
def transfer_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    user, report = _transfer(request, report_id)
    try:
        services.accept_transfer(report=report, by=user, audit=AuditContext.from_request(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Overdracht geaccepteerd. Uw team heeft nu de regie."))
    return redirect("partner_reports:transfer", report_id=report_id)
