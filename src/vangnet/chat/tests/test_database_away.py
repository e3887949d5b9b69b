"""A database that is briefly away (a failover, a restart: seconds) is "not now" for every
socket, never the end of it (Issue 13; found by `tests/test_chat_chaos.py`).

Before, a staff socket that got a frame while the database was away crashed (its access check
reads the session), and the loops that run beside a socket — the access recheck, the waiting
child's queue tick, the employee's availability heartbeat — ended for good at their first
failed round: a socket that outlived the outage was never rechecked again, a waiting child
was never sent on to the national desk, and an employee looked away while at her desk.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from vangnet.accounts.middleware import IDLE_KEY
from vangnet.chat import consumers, desks
from vangnet.chat.models import Message
from vangnet.testing.auth import login_verified

from .helpers import region_with_postcode
from .test_chat_sockets import connect, next_of, send, socket, visitor_browser
from .test_socket_revocation import closed_with, opened, running_chat

pytestmark = pytest.mark.django_db(transaction=True)


def away_for(calls: int, real: Any) -> Any:
    """`real`, except that its first `calls` calls find the database away."""
    left = {"calls": calls}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if left["calls"]:
            left["calls"] -= 1
            raise OperationalError("connection failed: Connection refused")
        return real(*args, **kwargs)

    return flaky


def test_an_employees_message_while_the_database_is_away_is_asked_again(monkeypatch):
    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 3600)
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        monkeypatch.setattr(consumers, "still_current", away_for(1, consumers.still_current))
        await send(desk, type="send", key="m-1", body="Ik ben er nog.")
        error = await next_of(desk, "error")
        assert error["key"] == "m-1" and error["retry_after"] > 0  # not now, socket open
        await send(desk, type="send", key="m-1", body="Ik ben er nog.")
        assert (await next_of(desk, "ack"))["key"] == "m-1"
        await desk.disconnect()

    async_to_sync(scenario)()
    assert Message.objects.filter(conversation=chat, client_key="m-1").count() == 1


def test_the_access_recheck_goes_on_after_the_database_was_away(monkeypatch):
    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 0.05)
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    def idle_since_long_ago() -> None:
        session = SessionStore(session_key=staff.cookies[settings.SESSION_COOKIE_NAME].value)
        session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
        session.save()

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        monkeypatch.setattr(consumers, "still_current", away_for(3, consumers.still_current))
        await asyncio.sleep(0.3)  # a few rounds of the recheck find the database away
        await database_sync_to_async(idle_since_long_ago)()
        assert await closed_with(desk) == consumers.CLOSE_LOGIN_GONE

    async_to_sync(scenario)()


def test_a_waiting_child_is_still_sent_on_to_the_national_desk_after_the_database_was_away(
    monkeypatch,
):
    monkeypatch.setattr(consumers, "VISITOR_TICK_SECONDS", 0.05)
    utrecht = region_with_postcode()
    desk = desks.desk_for(utrecht)
    desk.overflow_after_seconds = 0
    desk.save()
    visitor, chat = visitor_browser()
    waiting_tick = consumers.VisitorChatConsumer._waiting_tick
    monkeypatch.setattr(
        consumers.VisitorChatConsumer, "_waiting_tick", staticmethod(away_for(2, waiting_tick))
    )

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        state = await next_of(child, "state")
        assert state["status"] == "waiting"
        await child.disconnect()

    async_to_sync(scenario)()
    chat.refresh_from_db()
    assert chat.overflowed and chat.region.is_national_desk


def test_the_employees_heartbeat_goes_on_after_the_database_was_away(monkeypatch):
    monkeypatch.setattr(consumers, "QUEUE_TICK_SECONDS", 0.05)
    _region, _visitor, _chat, employee = running_chat()
    staff = login_verified(Client(), employee)
    beats: list[int] = []

    def heartbeat(user: Any, numbered: frozenset[int]) -> dict[int, int]:
        beats.append(user.pk)
        return {}

    monkeypatch.setattr(
        consumers.StaffQueueConsumer, "_tick_sync", staticmethod(away_for(2, heartbeat))
    )

    async def scenario() -> None:
        queue = socket("/ws/staff/chat/queue/", staff)
        await connect(queue)
        for _ in range(60):
            await asyncio.sleep(0.05)
            if beats:
                break
        await queue.disconnect()

    async_to_sync(scenario)()
    assert beats == [employee.pk] * len(beats) and beats
