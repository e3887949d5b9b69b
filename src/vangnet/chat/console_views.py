"""The employee's console (ADR 0033): several chats on one screen, accept next."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, may, require
from vangnet.audit.context import AuditContext
from vangnet.regions.selectors import social_map_for

from . import assignment, console, queue_push, selectors
from .errors import ChatError
from .forms import ForwardForm, OutcomeForm
from .models import Availability, ConversationStatus
from .presence import available_employees


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _colleagues(region_id: int, user: User) -> list[tuple[int, str]]:
    ids = [pk for pk in available_employees(region_id) if pk != user.pk]
    return [(u.pk, u.display_name) for u in User.objects.filter(pk__in=ids).order_by("first_name")]


@require_GET
def console_page(request: HttpRequest) -> HttpResponse:
    """My open chats side by side: the conversation with its message box, and beside it the
    visitor's details, the dossier's history, standard texts, the social map, forwarding and
    the closing registration."""
    user = _user(request)
    require(user, Action.HANDLE_CHAT)
    chats = console.console_chats(user=user, audit=AuditContext.from_request(request))
    resources: dict[int, list[object]] = {}
    texts: dict[int, list[object]] = {}
    panes: list[dict[str, Any]] = []
    for item in chats:
        chat = item.conversation
        if chat.region_id not in resources:
            resources[chat.region_id] = list(social_map_for(region=chat.region))
            texts[chat.region_id] = list(console.standard_texts_for(region_id=chat.region_id))
        prefix = f"chat{chat.pk}_%s"
        panes.append(
            {
                "item": item,
                "chat": chat,
                "can_send": chat.status == ConversationStatus.ACTIVE,
                "resources": resources[chat.region_id],
                "texts": texts[chat.region_id],
                "forward_form": ForwardForm(
                    colleagues=_colleagues(chat.region_id, user), auto_id=prefix
                ),
                "outcome_form": OutcomeForm(auto_id=prefix),
            }
        )
    selected = request.GET.get("chat", "")
    availability = Availability.objects.filter(user=user).first()
    return render(
        request,
        "chat/staff/console.html",
        {
            "panes": panes,
            "selected": selected if any(str(p["chat"].pk) == selected for p in panes) else "",
            "waiting_count": console.waiting_count(user),
            # For the counts the queue socket pushes (ADR 0035): the numbers first.
            "queue_numbers": json.dumps(
                {str(k): v for k, v in queue_push.numbers(selectors.chat_regions(user)).items()}
            ),
            "queue_counts": json.dumps(
                {str(k): v for k, v in selectors.waiting_counts(user).items()}
            ),
            "capacity": assignment.capacity_of(user),
            "running": sum(1 for p in panes if p["can_send"]),
            "available": bool(availability and availability.is_available),
            "can_lead": may(user, Action.MANAGE_CHAT_DESK),
            "can_keep_texts": may(user, Action.MANAGE_SOCIAL_MAP),
            "max_length": settings.CHAT_MESSAGE_MAX_LENGTH,
        },
    )


@require_POST
def accept_next(request: HttpRequest) -> HttpResponse:
    """Take the longest-waiting chat I may take, within my capacity."""
    user = _user(request)
    try:
        chat = assignment.accept_next(user=user, audit=AuditContext.from_request(request))
    except ChatError as error:
        messages.error(request, str(error))
        return redirect("chat_staff:console")
    return redirect(f"{reverse('chat_staff:console')}?chat={chat.pk}")


@require_GET
def transcript(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The transcript of a chat the employee may see, to print or to download; logged as an
    export (the download carries no name of the visitor in its file name)."""
    user = _user(request)
    chat = console.transcript_for_export(
        user=user, conversation_id=conversation_id, audit=AuditContext.from_request(request)
    )
    lines = console.transcript_lines(chat)
    if request.GET.get("download") == "1":
        body = "\n".join(f"[{at:%d-%m-%Y %H:%M}] {who}: {text}" for at, who, text in lines)
        response = HttpResponse(body + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="chat-{chat.pk}.txt"'
        return response
    return render(request, "chat/staff/transcript.html", {"conversation": chat, "lines": lines})
