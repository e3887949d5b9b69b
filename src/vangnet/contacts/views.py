"""The contact register of the active region: list, detail, and break-the-glass."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may_break_glass
from vangnet.accounts.services import AccountError
from vangnet.accounts.services import break_glass as break_glass_service

from . import selectors
from .models import AdviceDossier, Contact


@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    region = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(_("U bent nog niet aan een regio gekoppeld."))
    page_obj = selectors.contact_page(
        user=user, region=region, page=request.GET.get("page"), request=request
    )
    return render(request, "contacts/list.html", {"page_obj": page_obj, "region": region})


@require_GET
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        contact = selectors.contact_detail(user=user, contact_id=contact_id, request=request)
    except Contact.DoesNotExist as exc:
        raise Http404 from exc
    except AccessDenied:
        return render(
            request,
            "contacts/denied.html",
            {
                "contact_id": contact_id,
                "can_break_glass": may_break_glass(user, Action.VIEW_CONTACT),
            },
            status=403,
        )
    return render(request, "contacts/detail.html", {"contact": contact})


@require_POST
def break_glass(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    contact = get_object_or_404(Contact, pk=contact_id)
    try:
        break_glass_service(
            user=user,
            action=Action.VIEW_CONTACT,
            obj=contact,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except AccountError as exc:
        return render(
            request,
            "contacts/denied.html",
            {
                "contact_id": contact_id,
                "can_break_glass": True,
                "error": str(exc),
                "reason": request.POST.get("reason", ""),
            },
            status=400,
        )
    messages.warning(
        request, _("Noodtoegang verleend voor één uur. Dit is vastgelegd in het toegangslog.")
    )
    return redirect("contacts:detail", contact_id=contact_id)


@require_GET
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        dossier = selectors.dossier_detail(user=user, dossier_id=dossier_id, request=request)
    except AdviceDossier.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "contacts/dossier.html",
        {
            "dossier": dossier,
            "history": selectors.dossier_history(dossier),
            "codes": dossier.continuity_codes.select_related("employee").order_by("-created_at"),
        },
    )
