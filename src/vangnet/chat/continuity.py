"""Continuity without a name: personal codes that lead back to the same employee (seed 000).

An employee gives a child a continuity code at the end of a conversation; with it, a later
chat (by the child, or the child with a trusted adult) goes to the same employee when she is
available, otherwise to her team, and lands in the same advice dossier. A volunteer of a
partner helpline gives a child a short join code to enter a warm handover chat.

Codes use an alphabet without look-alikes (no I, L, O, U) and are stored only as a keyed
hash. Guessing is limited per address and per browser, and every wrong guess is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.contacts.codes import (
    CONTINUITY_LENGTH,
    JOIN_LENGTH,
    digest,
    generate,
)
from vangnet.contacts.models import AdviceDossier
from vangnet.contacts.services import open_dossier
from vangnet.errors import DomainError

from .errors import ChatError
from .messaging import append_message, employee_name
from .models import (
    ContinuityCode,
    Conversation,
    ConversationStatus,
    Handover,
    HandoverStatus,
    MessageKind,
    Sender,
)

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


class CodeRefused(DomainError):
    """The code is wrong, expired, revoked, or tried too often; the message says which."""


# --- guessing ---------------------------------------------------------------------------


def _failure_keys(address: str | None, session_key: str | None) -> list[str]:
    keys = [f"vangnet:codefail:ip:{address or 'unknown'}"]
    if session_key:
        keys.append(f"vangnet:codefail:session:{session_key}")
    return keys


def _check_not_blocked(address: str | None, session_key: str | None) -> None:
    if any((cache.get(key) or 0) >= MAX_FAILURES for key in _failure_keys(address, session_key)):
        raise CodeRefused(
            _(
                "Te veel pogingen met een code. Probeer het over een kwartier opnieuw, "
                "of bel 0800-2000."
            )
        )


def _register_failure(
    address: str | None, session_key: str | None, audit: AuditContext | None
) -> None:
    for key in _failure_keys(address, session_key):
        cache.add(key, 0, FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, FAILURE_WINDOW_SECONDS)
    record_access(
        user=None,
        username="bezoeker",
        action=AccessLogAction.REFUSED,
        object_type="chat.continuitycode",
        reason="onjuiste, verlopen of ingetrokken code",
        audit=audit,
    )


# --- continuity codes -----------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: Any


def ensure_dossier(*, conversation: Conversation, by: User) -> AdviceDossier:
    if conversation.dossier_id is not None:
        return conversation.dossier  # type: ignore[return-value]  # dossier_id is set

    dossier = open_dossier(region=conversation.region, by=by)
    Conversation.objects.filter(pk=conversation.pk).update(dossier=dossier)
    conversation.dossier = dossier
    return dossier


def issue_continuity_code(
    *, conversation: Conversation, by: User, audit: AuditContext | None = None
) -> IssuedCode:
    """Give the visitor a code back to `by`; it is sent in the chat and shown once."""
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not may(by, Action.HANDLE_CHAT, locked):
            raise AccessDenied(action=Action.HANDLE_CHAT, obj=locked)
        if locked.assigned_to_id != by.pk or locked.status != ConversationStatus.ACTIVE:
            raise ChatError(_("Alleen in een lopende chat die u heeft aangenomen."))
        dossier = ensure_dossier(conversation=locked, by=by)
        code = generate(CONTINUITY_LENGTH)
        expires = timezone.now() + timedelta(days=settings.CHAT_CONTINUITY_CODE_DAYS)
        ContinuityCode.objects.create(
            digest=digest(code),
            dossier=dossier,
            employee=by,
            region=locked.region,
            expires_at=expires,
        )
        record_access(
            user=by,
            action=AccessLogAction.CREATE,
            obj=dossier,
            roles=roles_for(by, Action.HANDLE_CHAT, locked),
            audit=audit,
            reason="continuïteitscode uitgegeven",
        )
        name = employee_name(by)
        phone = by.phone_number

        def message() -> str:  # in the visitor's language (messaging.append_message)
            route = (
                _(" Je kunt %(name)s ook bellen: %(phone)s.") % {"name": name, "phone": phone}
                if phone
                else ""
            )
            return _(
                "Jouw persoonlijke code is %(code)s. Bewaar hem goed, bijvoorbeeld in je "
                "hoofd of op papier. Als je deze code invult als je weer chat, kom je bij "
                "%(name)s terecht, of bij haar team als zij er niet is. De code is geldig tot "
                "%(date)s.%(route)s"
            ) % {
                "code": code,
                "name": name,
                "date": timezone.localtime(expires).strftime("%d-%m-%Y"),
                "route": route,
            }

        append_message(locked, sender=Sender.SYSTEM, kind=MessageKind.EVENT, body=message)
    return IssuedCode(code=code, expires_at=expires)


def revoke_continuity_code(
    *, code_id: int, by: User, audit: AuditContext | None = None
) -> ContinuityCode:
    """Revoke a code; ContinuityCode.DoesNotExist for an id that is no code."""
    with transaction.atomic():
        code = ContinuityCode.objects.select_for_update().select_related("dossier").get(pk=code_id)
        if not may(by, Action.HANDLE_CHAT, code.dossier):
            raise AccessDenied(action=Action.HANDLE_CHAT, obj=code.dossier)
        if code.revoked_at is None:
            code.revoked_at = timezone.now()
            code.save(update_fields=["revoked_at"])
            record_access(
                user=by,
                action=AccessLogAction.CHANGE,
                obj=code.dossier,
                audit=audit,
                reason="continuïteitscode ingetrokken",
            )
    return code


def redeem_continuity_code(
    code: str, *, address: str | None, session_key: str | None, audit: AuditContext | None = None
) -> ContinuityCode:
    _check_not_blocked(address, session_key)
    found = (
        ContinuityCode.objects.select_related("employee", "dossier", "region")
        .filter(digest=digest(code))
        .first()
    )
    if found is None or not found.is_valid():
        _register_failure(address, session_key, audit)
        if found is not None and found.revoked_at is not None:
            raise CodeRefused(
                _("Deze code is ingetrokken. Je kunt gewoon een nieuwe chat beginnen.")
            )
        if found is not None:
            raise CodeRefused(_("Deze code is verlopen. Je kunt gewoon een nieuwe chat beginnen."))
        raise CodeRefused(_("Deze code kennen we niet. Kijk hem nog eens na."))
    ContinuityCode.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    found.times_used += 1
    ContinuityCode.objects.filter(pk=found.pk).update(times_used=found.times_used)
    return found


# --- join codes of warm handovers ------------------------------------------------------


def new_join_code(handover: Handover) -> str:
    code = generate(JOIN_LENGTH)
    handover.join_digest = digest(code)
    handover.join_expires_at = timezone.now() + timedelta(minutes=30)
    return code


def redeem_join_code(
    code: str, *, address: str | None, session_key: str | None, audit: AuditContext | None = None
) -> Handover:
    _check_not_blocked(address, session_key)
    handover = (
        Handover.objects.select_related("conversation")
        .filter(join_digest=digest(code), channel=Handover.Channel.CHAT)
        .first()
    )
    if (
        handover is None
        or handover.conversation is None
        or handover.join_expires_at is None
        or handover.join_expires_at < timezone.now()
        or handover.status not in (HandoverStatus.REQUESTED, HandoverStatus.ACCEPTED)
    ):
        _register_failure(address, session_key, audit)
        raise CodeRefused(
            _("Deze code klopt niet of is verlopen. Vraag de vrijwilliger om een nieuwe.")
        )
    # One child per code: once used, it cannot bring in someone else.
    Handover.objects.filter(pk=handover.pk).update(join_digest="")
    return handover
