"""The advice desk's call-back queue (/staff/advice-requests/): professionals who asked
Veilig Thuis for advice without naming the family, from the meldcode assistant."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, require
from vangnet.audit.context import AuditContext
from vangnet.errors import show_on_form

from . import selectors, services
from .forms import CompleteAdviceRequestForm
from .models import AdviceRequestStatus


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    require(user, Action.HANDLE_ADVICE_REQUEST)
    return user


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    show = "done" if request.GET.get("show") == "done" else "open"
    page_obj = selectors.advice_request_page(
        user=user,
        region=getattr(request, "active_region", None),
        show=show,
        params=request.GET,
        audit=AuditContext.from_request(request),
    )
    return render(
        request,
        "meldcode/staff/queue.html",
        {"page_obj": page_obj, "show": show, "query_prefix": f"show={show}&"},
    )


@require_GET
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _user(request)
    advice_request = selectors.advice_request_for(
        user=user, request_id=request_id, audit=AuditContext.from_request(request)
    )
    return render(
        request,
        "meldcode/staff/detail.html",
        {
            "advice_request": advice_request,
            "form": CompleteAdviceRequestForm(),
            "Status": AdviceRequestStatus,
        },
    )


@require_POST
def take(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _user(request)
    advice_request = selectors.advice_request_for(
        user=user, request_id=request_id, audit=AuditContext.from_request(request), log_view=False
    )
    try:
        services.take_advice_request(
            advice_request=advice_request, by=user, audit=AuditContext.from_request(request)
        )
    except services.MeldcodeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("U heeft het terugbelverzoek opgepakt. Bel de professional terug.")
        )
    return redirect("advice_requests:detail", request_id=advice_request.pk)


@require_POST
def complete(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _user(request)
    advice_request = selectors.advice_request_for(
        user=user, request_id=request_id, audit=AuditContext.from_request(request), log_view=False
    )
    form = CompleteAdviceRequestForm(request.POST)
    if form.is_valid():
        try:
            contact = services.complete_advice_request(
                advice_request=advice_request,
                by=user,
                audit=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except services.MeldcodeError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _("Het advies is vastgelegd als contact in adviesdossier %(ref)s.")
                % {"ref": advice_request.dossier.reference},
            )
            return redirect("contacts:detail", contact_id=contact.pk)
    return render(
        request,
        "meldcode/staff/detail.html",
        {"advice_request": advice_request, "form": form, "Status": AdviceRequestStatus},
        status=400,
    )
