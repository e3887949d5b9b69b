"""The employee's side of the chat: the live queue, a conversation, forwarding and close."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, require
from vangnet.audit.context import AuditContext
from vangnet.errors import show_on_form
from vangnet.regions.models import Region
from vangnet.regions.selectors import social_map_for

from . import continuity, desks, handovers, presence, queue_push, selectors, services
from .forms import DeskForm, ForwardForm, OutcomeForm
from .models import (
    Availability,
    ContinuityCode,
    Conversation,
    ConversationStatus,
    Gender,
    HandoverStatus,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _after(request: HttpRequest) -> str:
    """Back to where the employee works: the console, or the queue."""
    return "chat_staff:console" if request.POST.get("next") == "console" else "chat_staff:queue"


def _queue_context(request: HttpRequest, user: User) -> dict[str, object]:
    # The numbers of the queues' last changes first: every change up to them is in what is
    # read next, and the page applies the pushed changes after them (ADR 0035).
    regions = selectors.chat_regions(user)
    numbers = queue_push.numbers(regions)
    counts = selectors.waiting_counts(user)
    page_obj = selectors.waiting_chats(
        user=user, audit=AuditContext.from_request(request), page=request.GET.get("page")
    )
    mine = selectors.my_chats(user=user, audit=AuditContext.from_request(request))
    return {
        "page_obj": page_obj,
        "waiting": page_obj.object_list,
        "mine": mine,
        "phone_handovers": selectors.open_phone_handovers(
            user=user, audit=AuditContext.from_request(request)
        ),
        "queue_state": {
            "numbers": json.dumps({str(k): v for k, v in numbers.items()}),
            "counts": json.dumps({str(k): counts.get(k, 0) for k in regions}),
            "mine": json.dumps([chat.pk for chat in mine]),
            "page_size": selectors.WAITING_PAGE_SIZE,
        },
    }


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, Action.HANDLE_CHAT)
    availability = Availability.objects.filter(user=user).first()
    context = _queue_context(request, user)
    context.update(
        available=bool(availability and availability.is_available),
        can_manage_desk=may(user, Action.MANAGE_CHAT_DESK),
        genders=json.dumps({str(value): str(label) for value, label in Gender.choices}),
    )
    return render(request, "chat/staff/queue.html", context)


@require_GET
def queue_fragment(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, Action.HANDLE_CHAT)
    return render(request, "chat/staff/_queue.html", _queue_context(request, user))


@require_POST
def availability(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, Action.HANDLE_CHAT)
    available = request.POST.get("available") == "1"
    presence.set_availability(user=user, available=available)
    messages.success(
        request,
        _("U staat op beschikbaar voor chats.") if available else _("U staat op afwezig."),
    )
    return redirect("chat_staff:queue")


@require_POST
def accept(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    conversation = selectors.conversation_for_staff(
        user=user,
        conversation_id=conversation_id,
        audit=AuditContext.from_request(request),
        log=False,
    )
    try:
        services.accept_chat(
            conversation=conversation, by=user, audit=AuditContext.from_request(request)
        )
    except services.ChatError as error:
        messages.error(request, str(error))
        return redirect("chat_staff:queue")
    return redirect("chat_staff:conversation", conversation_id=conversation.pk)


def _colleagues(conversation: Conversation, user: User) -> list[tuple[int, str]]:
    ids = [pk for pk in presence.available_employees(conversation.region_id) if pk != user.pk]
    return [(u.pk, u.display_name) for u in User.objects.filter(pk__in=ids).order_by("first_name")]


def _conversation_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    outcome_form: OutcomeForm | None = None,
    forward_form: ForwardForm | None = None,
    status: int = 200,
) -> HttpResponse:

    user = _user(request)
    mine = conversation.assigned_to_id == user.pk
    return render(
        request,
        "chat/staff/conversation.html",
        {
            "conversation": conversation,
            "mine": mine,
            "can_send": mine and conversation.status == ConversationStatus.ACTIVE,
            "can_close": mine and conversation.needs_outcome,
            "outcome_form": outcome_form or OutcomeForm(),
            "forward_form": forward_form or ForwardForm(colleagues=_colleagues(conversation, user)),
            "resources": list(social_map_for(region=conversation.region)) if mine else [],
            # The conversation's own handover: read (and logged) with the conversation.
            "handover": getattr(conversation, "handover", None),
            "max_length": settings.CHAT_MESSAGE_MAX_LENGTH,
        },
        status=status,
    )


@require_GET
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = selectors.conversation_for_staff(
        user=_user(request),
        conversation_id=conversation_id,
        audit=AuditContext.from_request(request),
    )
    return _conversation_page(request, chat)


@require_POST
def send_resource(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    chat = selectors.conversation_for_staff(
        user=user,
        conversation_id=conversation_id,
        audit=AuditContext.from_request(request),
        log=False,
    )
    try:
        entry_id = int(request.POST.get("entry", ""))
    except ValueError:
        entry_id = 0
    try:
        services.send_resource(
            conversation=chat, by=user, entry_id=entry_id, client_key=request.POST.get("key", "")
        )
    except services.ChatError as error:
        if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx middleware
            return HttpResponse(str(error), status=400)
        messages.error(request, str(error))
    if request.htmx:  # type: ignore[attr-defined]  # set by django-htmx middleware
        return HttpResponse(status=204)
    return redirect("chat_staff:conversation", conversation_id=chat.pk)


@require_POST
def forward(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    chat = selectors.conversation_for_staff(
        user=user,
        conversation_id=conversation_id,
        audit=AuditContext.from_request(request),
        log=False,
    )
    form = ForwardForm(request.POST, colleagues=_colleagues(chat, user))
    if form.is_valid():
        to_user = (
            User.objects.filter(pk=form.cleaned_data["to_user"]).first()
            if form.cleaned_data["to_user"]
            else None
        )
        try:
            services.forward_chat(
                conversation=chat,
                by=user,
                to_user=to_user,
                to_region=form.cleaned_data["to_region"],
                note=form.cleaned_data["note"],
                audit=AuditContext.from_request(request),
            )
        except services.ChatError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("De chat is doorverbonden."))
            return redirect(_after(request))
    return _conversation_page(request, chat, forward_form=form, status=400)


@require_POST
def close(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    chat = selectors.conversation_for_staff(
        user=user,
        conversation_id=conversation_id,
        audit=AuditContext.from_request(request),
        log=False,
    )
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            contact = services.close_chat(
                conversation=chat,
                by=user,
                outcome=form.registration(),
                audit=AuditContext.from_request(request),
            )
        except services.ChatError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _("De chat is afgesloten en geregistreerd als adviescontact %(id)s.")
                % {"id": contact.pk},
            )
            return redirect(_after(request))
    return _conversation_page(request, chat, outcome_form=form, status=400)


@require_POST
def give_code(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = _user(request)
    chat = selectors.conversation_for_staff(
        user=user,
        conversation_id=conversation_id,
        audit=AuditContext.from_request(request),
        log=False,
    )
    try:
        issued = continuity.issue_continuity_code(
            conversation=chat, by=user, audit=AuditContext.from_request(request)
        )
    except services.ChatError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Continuïteitscode %(code)s is in de chat gestuurd. Lees hem zo nodig voor.")
            % {"code": issued.code},
        )
    return redirect("chat_staff:conversation", conversation_id=chat.pk)


@require_POST
def revoke_code(request: HttpRequest, code_id: int) -> HttpResponse:
    """Revoke a continuity code (lost, shared with the wrong person, no longer wanted)."""
    user = _user(request)
    require(user, Action.HANDLE_CHAT)
    try:
        code = continuity.revoke_continuity_code(
            code_id=code_id, by=user, audit=AuditContext.from_request(request)
        )
    except ContinuityCode.DoesNotExist as missing:
        raise Http404 from missing
    messages.success(request, _("De code is ingetrokken; hij werkt niet meer."))
    return redirect("contacts:dossier", dossier_id=code.dossier_id)


@require_POST
def accept_phone_handover(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = _user(request)
    handover = selectors.handover_for_staff(user=user, handover_id=handover_id, audit=None)
    try:
        handovers.accept_phone_handover(
            handover=handover, by=user, audit=AuditContext.from_request(request)
        )
    except services.ChatError as error:
        messages.error(request, str(error))
        return redirect("chat_staff:queue")
    return redirect("chat_staff:phone_handover", handover_id=handover.pk)


@require_http_methods(["GET", "POST"])
def phone_handover(request: HttpRequest, handover_id: int) -> HttpResponse:
    """A three-way phone call: the agreements, and the registration of the call."""
    user = _user(request)
    handover = selectors.handover_for_staff(
        user=user, handover_id=handover_id, audit=AuditContext.from_request(request)
    )
    form = OutcomeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                contact = handovers.register_phone_handover(
                    handover=handover,
                    by=user,
                    outcome=form.registration(),
                    audit=AuditContext.from_request(request),
                )
            except services.ChatError as error:
                show_on_form(form, error)
            else:
                messages.success(
                    request,
                    _("Het gesprek is geregistreerd als adviescontact %(id)s.")
                    % {"id": contact.pk},
                )
                return redirect("chat_staff:queue")
        status = 400
    else:
        status = 200
    return render(
        request,
        "chat/staff/phone_handover.html",
        {
            "handover": handover,
            "form": form,
            "can_register": handover.accepted_by_id == user.pk
            and handover.status == HandoverStatus.ACCEPTED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """A team lead sets how the chat desk of the active region works."""
    user = _user(request)
    region: Region | None = getattr(request, "active_region", None)
    if region is None or not may(user, Action.MANAGE_CHAT_DESK, region):
        raise AccessDenied(action=Action.MANAGE_CHAT_DESK, obj=region)
    chat_desk = desks.desk_for(region)
    form = DeskForm(request.POST or None, instance=chat_desk)
    if request.method == "POST":
        if form.is_valid():
            desks.update_desk(
                desk=chat_desk,
                by=user,
                changes=form.cleaned_data,
                audit=AuditContext.from_request(request),
            )
            messages.success(request, _("De instellingen van het chatloket zijn opgeslagen."))
            return redirect("chat_staff:desk")
        return render(request, "chat/staff/desk.html", {"form": form, "region": region}, status=400)
    return render(request, "chat/staff/desk.html", {"form": form, "region": region})
