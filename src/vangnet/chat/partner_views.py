"""The helpline volunteer's side of a warm handover (partner workspace, /partner/handovers/).

A volunteer sees only the handovers they requested, and of a chat only the conversation
while they take part in it: after stepping out, or once Veilig Thuis closed the chat, the
words are no longer theirs to read (nothing of Veilig Thuis' dossier ever is).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, require
from vangnet.errors import show_on_form

from . import handovers, selectors, services
from .forms import HandoverForm
from .models import Handover, HandoverStatus

JOIN_CODE_SESSION_KEY = "vangnet_join_code"


def _volunteer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    require(user, Action.REQUEST_HANDOVER)
    if user.organisation is None:
        raise AccessDenied(_("Uw account hoort niet bij een hulplijn."))
    return user


def own_handover(*, user: User, handover_id: int, request: HttpRequest) -> Handover:
    # Another's handover: AccessDenied, which the 403 page logs (once).
    return selectors.partner_handover(principal=user, handover_id=handover_id)


@require_GET
def handover_list(request: HttpRequest) -> HttpResponse:
    user = _volunteer(request)
    mine = selectors.partner_handovers(principal=user).order_by("-created_at")[:50]
    return render(request, "chat/partner/list.html", {"handovers": mine})


@require_http_methods(["GET", "POST"])
def handover_new(request: HttpRequest) -> HttpResponse:
    user = _volunteer(request)
    form = HandoverForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                handover, join_code = handovers.request_handover(
                    organisation=user.organisation,  # type: ignore[arg-type]  # a volunteer has an organisation
                    by=user,
                    request=handovers.HandoverRequest(
                        channel=data["channel"],
                        consent=data["consent"],
                        summary_by=data["summary_by"],
                        volunteer_stays=data["volunteer_stays"],
                        child_anonymous=data["child_anonymous"],
                        summary=data["summary"],
                        is_urgent=data["is_urgent"],
                        postcode=data["postcode"],
                        nickname=data["nickname"],
                        age=data["age"],
                    ),
                )
            except services.ChatError as error:
                show_on_form(form, error)
            else:
                # Shown once, on the next page; only its hash is kept.
                request.session[JOIN_CODE_SESSION_KEY] = {str(handover.pk): join_code}
                return redirect("partner:handover", handover_id=handover.pk)
        return render(request, "chat/partner/new.html", {"form": form}, status=400)
    return render(request, "chat/partner/new.html", {"form": form})


@require_GET
def handover_detail(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = _volunteer(request)
    handover = own_handover(user=user, handover_id=handover_id, request=request)
    codes = request.session.pop(JOIN_CODE_SESSION_KEY, {})
    conversation = handover.conversation
    in_conversation = bool(
        conversation is not None
        and conversation.volunteer_present
        and conversation.volunteer_id == user.pk
        and handover.status in (HandoverStatus.REQUESTED, HandoverStatus.ACCEPTED)
    )
    return render(
        request,
        "chat/partner/detail.html",
        {
            "handover": handover,
            "join_code": codes.get(str(handover.pk), ""),
            "in_conversation": in_conversation,
            "max_length": settings.CHAT_MESSAGE_MAX_LENGTH,
        },
    )


@require_POST
def handover_leave(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = _volunteer(request)
    handover = own_handover(user=user, handover_id=handover_id, request=request)
    if handover.conversation is not None:
        services.volunteer_leaves(conversation=handover.conversation, by=user)
        messages.success(request, _("Je hebt het gesprek verlaten. Het gesprek gaat verder."))
    return redirect("partner:handover", handover_id=handover.pk)


@require_POST
def handover_cancel(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = _volunteer(request)
    handover = own_handover(user=user, handover_id=handover_id, request=request)
    try:
        handovers.cancel_handover(handover=handover, by=user)
    except services.ChatError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De overdracht is geannuleerd."))
    return redirect("partner:handover", handover_id=handover.pk)
