"""Writing into a conversation, shared by every chat action: the one place a message is
appended (with its sequence number and real-time event), the state event, the row lock, the
access-log entry for a conversation, and what makes a message sendable."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Field
from django.utils import translation
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access

from . import events, queue_push
from .errors import ChatError
from .models import (
    Conversation,
    Message,
    MessageKind,
)


def employee_name(user: User) -> str:
    return user.first_name.strip() or _("Medewerker")


def serialise(message: Message) -> dict[str, Any]:
    return {
        "seq": message.sequence,
        "sender": message.sender,
        "author": message.author_name,
        "kind": message.kind,
        "body": message.body,
        "url": message.link_url,
        "at": message.created_at.isoformat(),
        "key": message.client_key,
    }


def append_message(
    conversation: Conversation,
    *,
    sender: str,
    body: str | Callable[[], str],
    kind: str = MessageKind.TEXT,
    author: User | None = None,
    link_url: str = "",
    client_key: str = "",
    numbered: bool = False,
) -> Message:
    """Add one message with the next sequence number. The caller holds the row lock (or
    created the conversation in this transaction), so its `last_sequence` is current;
    `numbered`: the caller took the number already (`take_number`)."""
    if callable(body):
        # Written for the visitor: in their language, not in that of the employee acting.
        with translation.override(conversation.language):
            body = body()
    if not numbered:
        conversation.last_sequence += 1
        Conversation.objects.filter(pk=conversation.pk).update(
            last_sequence=conversation.last_sequence
        )
    message = Message(
        conversation=conversation,
        sequence=conversation.last_sequence,
        sender=sender,
        author=author,
        author_name=employee_name(author) if author is not None else "",
        kind=kind,
        body=body,
        link_url=link_url,
        client_key=client_key,
    )
    # The database enforces the sequence and the idempotency key (unique constraints); the
    # callers handle the IntegrityError. Checking them here too would cost two queries, and
    # checking that the conversation and the author exist one more each (foreign keys,
    # which the database checks as well).
    message.full_clean(
        exclude=["conversation", "author"], validate_unique=False, validate_constraints=False
    )
    _insert(message)
    events.publish(
        events.conversation_group(conversation.pk),
        {
            "type": "chat.message",
            "message": serialise(message),
            "access": events.access_key(conversation),
        },
    )
    return message


@functools.cache
def _insert_statement(vendor: str) -> tuple[str, tuple[Field[Any, Any], ...]]:
    """The INSERT of a new message, made once per database vendor, and the fields in its order."""
    fields = tuple(field for field in Message._meta.concrete_fields if not field.primary_key)
    primary_key = Message._meta.pk
    assert primary_key is not None and all(field.column for field in fields)
    quote = connection.ops.quote_name
    table = quote(Message._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    returned = quote(str(primary_key.column))
    statement = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608  (names from the model)
        f"RETURNING {returned}"
    )
    return statement, fields


def _insert(message: Message) -> None:
    """`message.save()` of a new message, in the statement Django would send, without building
    it anew each time: the ORM's building was a sixth of the database thread's time per message
    (docs/performance.md, ADR 0039). The fields prepare their values as `save()` has them
    prepared; the database checks the constraints (an `IntegrityError`, as from `save()`).
    `RETURNING`, as in `take_number`: PostgreSQL and SQLite 3.35+ (Django 6 asks 3.37)."""
    statement, fields = _insert_statement(connection.vendor)
    values = [
        field.get_db_prep_save(getattr(message, field.attname), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        (message.pk,) = cursor.fetchone()
    message._state.adding = False
    message._state.db = connection.alias


def state_changed(conversation: Conversation, *regions: int) -> None:
    events.publish(
        events.conversation_group(conversation.pk),
        {
            "type": "chat.state",
            "conversation": conversation.pk,
            "access": events.access_key(conversation),
        },
    )
    # The queue pages are told what changed, not only that something did (ADR 0035).
    for region_id, change in queue_push.changes(
        conversation.pk, {conversation.region_id, *regions}
    ):
        events.publish(events.queue_group(region_id), change)


def lock_conversation(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def log_access(
    user: User,
    action: AccessLogAction,
    conversation: Conversation,
    audit: AuditContext | None = None,
) -> None:
    record_access(
        user=user,
        action=action,
        obj=conversation,
        roles=roles_for(user, Action.HANDLE_CHAT, conversation),
        audit=audit,
    )


def require_chat_rights(user: User, conversation: Conversation) -> None:
    if not may(user, Action.HANDLE_CHAT, conversation):
        raise AccessDenied(action=Action.HANDLE_CHAT, obj=conversation)


def require_unicode(text: str) -> str:
    """Text that is not valid Unicode (a lone surrogate from a JSON escape) cannot be stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ChatError(
            _("Dit bericht bevat tekens die niet kunnen worden verstuurd. Pas het aan.")
        ) from error
    return text


def clean_body(body: str) -> str:
    text = require_unicode((body or "").replace("\x00", "").strip())
    if not text:
        raise ChatError(_("Een leeg bericht kan niet worden verstuurd."))
    if len(text) > settings.CHAT_MESSAGE_MAX_LENGTH:
        raise ChatError(
            _("Een bericht mag hoogstens %(max)d tekens hebben.")
            % {"max": settings.CHAT_MESSAGE_MAX_LENGTH}
        )
    return text


def clean_key(client_key: str) -> str:
    key = (client_key or "").strip()
    if not key or len(key) > 64 or not key.replace("-", "").isalnum():
        raise ChatError(_("Dit bericht kon niet worden verstuurd (ongeldige sleutel)."))
    return key


# What a message's checks need of the conversation, read back by the statement that numbers it.
_NUMBERED_FIELDS = ("last_sequence", "status", "assigned_to_id", "region_id", "volunteer_present")


def _column(name: str) -> str:
    field = Conversation._meta.get_field(name)
    assert isinstance(field, Field) and field.column  # a concrete field of the model
    return connection.ops.quote_name(field.column)


@functools.cache
def _numbering_statement(vendor: str) -> str:
    """`take_number`'s statement, made once per database vendor."""
    columns = ", ".join(_column(name.removesuffix("_id")) for name in _NUMBERED_FIELDS)
    table = connection.ops.quote_name(Conversation._meta.db_table)
    sequence, pk = _column("last_sequence"), _column("id")
    return (
        f"UPDATE {table} SET {sequence} = {sequence} + 1 "  # noqa: S608  (names from the model)
        f"WHERE {pk} = %s RETURNING {columns}"
    )


def take_number(conversation: Conversation) -> Conversation:
    """Lock the conversation and take its next sequence number in one statement
    (`UPDATE … RETURNING`, PostgreSQL and SQLite alike): the copy returned holds the number in
    `last_sequence` and the conversation's state as the lock found it. A check that then
    fails rolls the number back with the transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_numbering_statement(connection.vendor), [conversation.pk])
        row = cursor.fetchone()
    if row is None:
        raise Conversation.DoesNotExist
    locked = copy.copy(conversation)
    for name, value in zip(_NUMBERED_FIELDS, row, strict=True):
        setattr(locked, name, bool(value) if name == "volunteer_present" else value)
    return locked


def stored_message(conversation: Conversation, sender: str, key: str) -> Message | None:
    """The message this sender already stored under this idempotency key: a retry is
    answered with it instead of being stored twice."""
    return Message.objects.filter(conversation=conversation, sender=sender, client_key=key).first()
