"""The visitor's side of the chat: intake, the conversation page, leaving.

No account and no name: the browser session holds which conversation is theirs. Nothing
about the conversation goes into a URL, and the page keeps no transcript on the device.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.regions.selectors import RoutingUnavailable, national_desk

from . import selectors, services
from .forms import IntakeForm
from .models import ConversationStatus
from .opening import chat_hours_open, opening_hours


def _closed(request: HttpRequest, status: int = 200) -> HttpResponse:
    return render(request, "chat/closed.html", {"hours": opening_hours()}, status=status)


def _chat_available() -> bool:
    """Within opening hours and the regions are loaded (a closed region may overflow)."""
    try:
        national_desk()
    except RoutingUnavailable:
        return False
    return chat_hours_open()


@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest) -> HttpResponse:
    conversation = selectors.visitor_conversation(request.session)
    if conversation is not None:
        if request.method == "POST":
            return redirect("chat:chat")
        return render(
            request,
            "chat/conversation.html",
            {
                "conversation": conversation,
                "ended": conversation.status
                not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE),
                "max_length": settings.CHAT_MESSAGE_MAX_LENGTH,
            },
        )
    if not _chat_available():
        return _closed(request)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.start_chat(
                intake=services.Intake(
                    nickname=data["nickname"],
                    age=data["age"],
                    gender=data["gender"],
                    postcode=data["postcode"],
                )
            )
        except services.ChatClosed:
            return _closed(request)
        except services.ChatError as error:
            form.add_error("postcode", str(error))
        else:
            request.session.cycle_key()
            request.session[selectors.SESSION_KEY] = str(conversation.public_id)
            return redirect("chat:chat")
    status = 400 if form.is_bound else 200
    return render(request, "chat/intake.html", {"form": form}, status=status)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Leave the chat (or, after it ended, clear it away to start anew)."""
    conversation = selectors.visitor_conversation(request.session)
    if conversation is not None:
        services.leave_chat(conversation=conversation)
        request.session.pop(selectors.SESSION_KEY, None)
        messages.info(request, _("Je hebt de chat verlaten. Je kunt altijd opnieuw beginnen."))
    return redirect("chat:chat")


def leave_on_quick_exit(request: HttpRequest) -> None:
    """Quick exit ends a running chat too: the employee sees that the visitor had to go."""
    conversation = selectors.visitor_conversation(request.session)
    if conversation is not None:
        services.leave_chat(conversation=conversation, reason="quick_exit")
