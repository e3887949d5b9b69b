"""The staff socket's quick check (ADR 0036): one statement per message, and still every way
access can end closes the socket at the next message at the latest — also when the news of
it never arrived (no `access.changed`, no state event: a change made behind the services'
back, or a channel layer that lost the push).

What the person at the socket would notice is asserted: the close code the page acts on, the
message not stored and not passed on, and nothing more for a `hello`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Subquery
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts import websocket
from vangnet.accounts.middleware import IDLE_KEY
from vangnet.accounts.models import Membership, Role, User
from vangnet.chat import consumers
from vangnet.chat.models import Conversation, Message
from vangnet.testing.auth import login_verified

from .helpers import region_with_postcode
from .test_chat_sockets import next_of, send
from .test_socket_revocation import closed_with, gets_nothing_more, opened, running_chat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_news(monkeypatch):
    """Neither the backstop nor a pushed re-check does the work: only the next frame."""
    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 3600)
    monkeypatch.setattr(websocket, "_send_access_changed", lambda user_id: None)


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def logged_out_elsewhere(client: Client, user: User, chat: Conversation) -> None:
    SessionStore(session_key=session_key(client)).delete()


def session_expired(client: Client, user: User, chat: Conversation) -> None:
    Session.objects.filter(session_key=session_key(client)).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )


def idle_too_long(client: Client, user: User, chat: Conversation) -> None:
    session = SessionStore(session_key=session_key(client))
    session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()


def security_stamp_changed(client: Client, user: User, chat: Conversation) -> None:
    User.objects.filter(pk=user.pk).update(security_stamp=uuid.uuid4())


def password_changed(client: Client, user: User, chat: Conversation) -> None:
    user.set_password("een-heel-ander-wachtwoord")
    User.objects.filter(pk=user.pk).update(password=user.password)


def deactivated(client: Client, user: User, chat: Conversation) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)


def second_factor_removed(client: Client, user: User, chat: Conversation) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def chat_role_removed(client: Client, user: User, chat: Conversation) -> None:
    Membership.objects.filter(user=user, role=Role.ADVICE_DESK).delete()


def chat_role_moved_to_another_region(client: Client, user: User, chat: Conversation) -> None:
    twente = region_with_postcode("Twente", "7511")
    Membership.objects.filter(user=user, role=Role.ADVICE_DESK).update(region=twente)


def conversation_moved_to_another_region(client: Client, user: User, chat: Conversation) -> None:
    twente = region_with_postcode("Twente", "7511")
    Conversation.objects.filter(pk=chat.pk).update(region=twente)


ENDINGS: list[tuple[Callable[[Client, User, Conversation], None], int]] = [
    (logged_out_elsewhere, consumers.CLOSE_LOGIN_GONE),
    (session_expired, consumers.CLOSE_LOGIN_GONE),
    (idle_too_long, consumers.CLOSE_LOGIN_GONE),
    (security_stamp_changed, consumers.CLOSE_LOGIN_GONE),
    (password_changed, consumers.CLOSE_LOGIN_GONE),
    (deactivated, consumers.CLOSE_LOGIN_GONE),
    (second_factor_removed, consumers.CLOSE_LOGIN_GONE),
    (chat_role_removed, consumers.CLOSE_REFUSED),
    (chat_role_moved_to_another_region, consumers.CLOSE_REFUSED),
    (conversation_moved_to_another_region, consumers.CLOSE_REFUSED),
]


@pytest.mark.parametrize(("ending", "code"), ENDINGS, ids=[e.__name__ for e, _c in ENDINGS])
def test_access_that_ends_unannounced_closes_the_socket_at_the_next_message(ending, code):
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        await send(desk, type="send", key="e-1", body="Gaat het?")
        await next_of(desk, "ack")  # checked quickly, and still allowed
        await next_of(desk, "message")  # its own broadcast
        await database_sync_to_async(ending)(staff, employee, chat)
        await send(desk, type="send", key="e-2", body="Ben je er nog?")
        assert await closed_with(desk) == code
        await gets_nothing_more(desk)

    async_to_sync(scenario)()
    stored = set(Message.objects.filter(conversation=chat).values_list("client_key", flat=True))
    assert "e-1" in stored and "e-2" not in stored


def test_a_page_that_marks_the_session_active_does_not_close_the_socket():
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    def page_writes_the_idle_mark() -> None:
        session = SessionStore(session_key=session_key(staff))
        session[IDLE_KEY] = int(time.time())
        session.save()

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        await database_sync_to_async(page_writes_the_idle_mark)()
        await send(desk, type="send", key="e-1", body="Gaat het?")
        assert (await next_of(desk, "ack"))["key"] == "e-1"
        await send(desk, type="hello", after=0)
        history = (await next_of(desk, "history"))["messages"]
        assert [m["key"] for m in history if m["key"]] == ["e-1"]
        await desk.disconnect()

    async_to_sync(scenario)()


def test_the_quick_check_is_one_statement():
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)
    scope = {"cookies": {settings.SESSION_COOKIE_NAME: session_key(staff)}}
    verified = websocket.verify(scope)
    assert verified is not None
    verified.remember_policy_inputs()
    region = Subquery(Conversation.objects.filter(pk=chat.pk).values("region_id")[:1])

    with CaptureQueriesContext(connection) as queries:
        found = websocket.still_current(verified, lambda: {"region_id": region})
    assert found == (chat.region_id,)
    assert len(queries) == 1


def test_while_nothing_changes_the_full_check_is_made_only_at_the_handshake(monkeypatch):
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)
    full_checks: list[int] = []
    full_check = consumers._GuardedSocket._full_check

    def counted(self: consumers._GuardedSocket) -> int | None:
        full_checks.append(1)
        return full_check(self)

    monkeypatch.setattr(consumers._GuardedSocket, "_full_check", counted)

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)  # handshake and a hello
        for number in range(3):
            await send(desk, type="send", key=f"e-{number}", body="Gaat het?")
            await next_of(desk, "ack")
        await desk.disconnect()

    async_to_sync(scenario)()
    assert len(full_checks) == 1


def test_an_employees_messages_keep_the_session_alive_written_at_most_once_a_minute():
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)
    key = session_key(staff)

    def idle_mark_set(seconds_ago: int) -> None:
        session = SessionStore(session_key=key)
        session[IDLE_KEY] = int(time.time()) - seconds_ago
        session.save()

    def idle_mark() -> int:
        return int(SessionStore(session_key=key)[IDLE_KEY])

    async def scenario() -> None:
        await database_sync_to_async(idle_mark_set)(10)  # the page was loaded just now
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        fresh = await database_sync_to_async(idle_mark)()
        await send(desk, type="send", key="e-1", body="Hoi")
        await next_of(desk, "ack")
        assert await database_sync_to_async(idle_mark)() == fresh  # not written again

        await database_sync_to_async(idle_mark_set)(consumers.SESSION_TOUCH_SECONDS + 5)
        await send(desk, type="send", key="e-2", body="Gaat het?")
        await next_of(desk, "ack")
        assert time.time() - await database_sync_to_async(idle_mark)() < 5  # typing is activity
        await desk.disconnect()

    async_to_sync(scenario)()
