"""The team lead's floor view (ADR 0033): thin adapters over chat.floor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied
from vangnet.audit.context import AuditContext
from vangnet.regions.models import Region

from . import assignment, floor, satisfaction
from .errors import ChatError


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _region(request: HttpRequest, user: User) -> Region:
    region: Region | None = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(action=floor.LEAD)
    return region


def _floor_page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    user = _user(request)
    data = floor.floor_for(
        by=user, region=_region(request, user), audit=AuditContext.from_request(request)
    )
    if getattr(request, "htmx", False):
        return render(request, "chat/staff/_floor.html", {"floor": data, **extra}, status=status)
    answers = satisfaction.summary_for(by=user, region=data.region)
    return render(
        request,
        "chat/staff/floor.html",
        {"floor": data, "answers": answers, **extra},
        status=status,
    )


@require_GET
def floor_page(request: HttpRequest) -> HttpResponse:
    return _floor_page(request)


def _look_page(
    request: HttpRequest, chat: Any, *, note_error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "chat/staff/floor_look.html",
        {
            "conversation": chat,
            "note_error": note_error,
            "max_length": settings.CHAT_MESSAGE_MAX_LENGTH,
        },
        status=status,
    )


@require_POST
def look(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    try:
        chat = floor.look_into(
            by=user,
            conversation_id=conversation_id,
            reason=request.POST.get("reason", ""),
            audit=AuditContext.from_request(request),
        )
    except ChatError as error:
        # A page of its own, not the live floor: a refresh of the floor would wipe the error.
        return render(
            request,
            "chat/staff/floor_look_reason.html",
            {
                "chat_id": conversation_id,
                "look_error": str(error),
                "reason": request.POST.get("reason", "")[:300],
            },
            status=400,
        )
    return _look_page(request, chat)


@require_POST
def note(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    chat = floor.chat_for_lead(
        by=user, conversation_id=conversation_id, audit=AuditContext.from_request(request)
    )
    try:
        floor.add_note(
            by=user,
            conversation=chat,
            body=request.POST.get("note", ""),
            audit=AuditContext.from_request(request),
        )
    except ChatError as error:
        return _look_page(request, chat, note_error=str(error), status=400)
    messages.success(request, _("De notitie staat in het gesprek; de bezoeker ziet haar niet."))
    return _look_page(request, chat)


@require_POST
def take_over(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    chat = floor.chat_for_lead(
        by=user, conversation_id=conversation_id, audit=AuditContext.from_request(request)
    )
    try:
        floor.take_over(by=user, conversation=chat, audit=AuditContext.from_request(request))
    except ChatError as error:
        messages.error(request, str(error))
        return redirect("chat_staff:floor")
    return redirect(f"{reverse('chat_staff:console')}?chat={chat.pk}")


@require_POST
def return_chats(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _user(request)
    count = floor.return_employee_chats(
        by=user, employee_id=user_id, audit=AuditContext.from_request(request)
    )
    messages.success(
        request,
        _("%(count)s chat(s) staan weer vooraan in de wachtrij.") % {"count": count},
    )
    return redirect("chat_staff:floor")


@require_POST
def capacity(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _user(request)
    employee = floor.employee_for_lead(by=user, employee_id=user_id)
    try:
        value = int(request.POST.get("capacity", ""))
    except ValueError:
        value = 0
    try:
        assignment.set_capacity(user=employee, capacity=value, by=user)
    except ChatError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s neemt nu %(count)s chats tegelijk.")
            % {"name": employee.display_name, "count": value},
        )
    return redirect("chat_staff:floor")
