"""The visitor's side of the chat: intake, the conversation page, leaving.

No account and no name: the browser session holds which conversation is theirs. Nothing
about the conversation goes into a URL, and the page keeps no transcript on the device.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.audit.context import AuditContext, client_address
from vangnet.contacts import codes
from vangnet.errors import show_on_form
from vangnet.regions.selectors import RoutingUnavailable, national_desk

from . import continuity, handovers, satisfaction, selectors, services
from .forms import IntakeForm
from .load import LOAD
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
        # The session holds which chat is the visitor's: each visit to the page starts its
        # time anew, and the page warns an idle visitor before it runs out.
        request.session.modified = True
        return render(
            request,
            "chat/conversation.html",
            {
                "conversation": conversation,
                "ended": conversation.status
                not in (ConversationStatus.WAITING, ConversationStatus.ACTIVE),
                "max_length": settings.CHAT_MESSAGE_MAX_LENGTH,
                "session_seconds": settings.SESSION_COOKIE_AGE,
                "warn_seconds": settings.CHAT_IDLE_WARNING_SECONDS,
                "ask_feedback": request.session.get(satisfaction.SESSION_KEY)
                != str(conversation.public_id),
                "feedback_now": satisfaction.may_answer(request.session, conversation),
            },
        )
    if not _chat_available():
        return _closed(request)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not _takes_new_chat(data.get("code") or ""):
            return _full(request, form)
        intake = services.Intake(
            nickname=data["nickname"],
            age=data["age"],
            gender=data["gender"],
            postcode=data["postcode"],
        )
        try:
            conversation = _start_or_join(request, intake, data.get("code") or "")
        except continuity.CodeRefused as error:
            show_on_form(form, error, field="code")
        except services.ChatClosed:
            return _closed(request)
        except services.ChatError as error:
            show_on_form(form, error, field="postcode")
        else:
            request.session.cycle_key()
            request.session[selectors.SESSION_KEY] = str(conversation.public_id)
            return redirect("chat:chat")
    status = 400 if form.is_bound else 200
    context = {"form": form, "full": not LOAD.takes_new_chats()}
    return render(request, "chat/intake.html", context, status=status)


def _takes_new_chat(code: str) -> bool:
    """Not more chats than this process carries (ADR 0036): while it is busy, or carries
    CHAT_MAX_CONVERSATIONS, a new chat waits. A child joining the warm handover a volunteer
    started is let in: the volunteer is already waiting for them."""
    if len(codes.normalise(code)) == codes.JOIN_LENGTH:
        return True
    return LOAD.takes_new_chats()


def _full(request: HttpRequest, form: IntakeForm) -> HttpResponse:
    """The chat is full: the form stays filled in; wait (the page tries again by itself
    after a while) or call. 503 with Retry-After, so a script knows it too."""
    retry_after = settings.CHAT_FULL_RETRY_SECONDS
    context = {"form": form, "full": True, "retry_after": retry_after}
    response = render(request, "chat/intake.html", context, status=503)
    response["Retry-After"] = str(retry_after)
    # Expected under load, not a fault: chat.load logs once when the process turns busy;
    # Django would log every refused intake as an error.
    response._has_been_logged = True  # type: ignore[attr-defined]  # read by django.utils.log.log_response
    return response


def _start_or_join(request: HttpRequest, intake: services.Intake, code: str):
    """A new chat; with a continuity code back to the same employee; with a join code into
    the warm handover the volunteer started."""
    if not code.strip():
        return services.start_chat(intake=intake)
    address = client_address(request)
    session_key = request.session.session_key
    if len(codes.normalise(code)) == codes.JOIN_LENGTH:
        handover = continuity.redeem_join_code(
            code, address=address, session_key=session_key, audit=AuditContext.from_request(request)
        )
        return handovers.child_joins(handover=handover)
    found = continuity.redeem_continuity_code(
        code, address=address, session_key=session_key, audit=AuditContext.from_request(request)
    )
    return services.start_chat(intake=intake, continuity=found)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Leave the chat (or, after it ended, clear it away to start anew)."""
    conversation = selectors.visitor_conversation(request.session)
    if conversation is not None:
        services.leave_chat(conversation=conversation)
        request.session.pop(selectors.SESSION_KEY, None)
        messages.info(request, _("Je hebt de chat verlaten. Je kunt altijd opnieuw beginnen."))
    return redirect("chat:chat")


@require_POST
def still_here(request: HttpRequest) -> HttpResponse:
    """The visitor answered the idle warning: the session's time starts anew."""
    if selectors.visitor_conversation(request.session) is not None:
        request.session.modified = True
    return HttpResponse(status=204)


def leave_on_quick_exit(request: HttpRequest, **kwargs: Any) -> None:
    """Quick exit ends a running chat too: the employee sees that the visitor had to go.

    Receiver of core's `quick_exit` event (connected in ChatConfig.ready)."""
    conversation = selectors.visitor_conversation(request.session)
    if conversation is not None:
        services.leave_chat(conversation=conversation, reason="quick_exit")


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """The visitor's anonymous answer to the one question after the chat."""
    conversation = selectors.visitor_conversation(request.session)
    try:
        satisfaction.record_answer(
            session=request.session,
            conversation=conversation,
            helped=request.POST.get("helped", ""),
            comment=request.POST.get("comment", ""),
        )
    except satisfaction.AnswerRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Dank je wel voor je antwoord."))
    return redirect("chat:chat")
