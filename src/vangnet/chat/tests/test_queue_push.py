"""An open queue page is pushed what changed in its queues (ADR 0035): the row of a new chat,
the row that goes when a chat is taken, numbered per region; who was shown a row is in the
access log, and the log's chain still verifies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogEntry
from vangnet.audit.selectors import search_access_log
from vangnet.audit.services import Access, record_accesses, verify_chain
from vangnet.chat import queue_push, services
from vangnet.chat.models import Conversation, ConversationStatus
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

from .helpers import employee_at_desk, region_with_postcode, visitor_starts_chat
from .test_chat_sockets import connect, next_of, socket

pytestmark = pytest.mark.django_db(transaction=True)


async def next_row(page: WebsocketCommunicator) -> dict[str, Any]:
    for _ in range(20):
        frame = json.loads(await page.receive_from(timeout=3))
        if frame["type"] == "queue.row":
            return frame
    raise AssertionError("no queue.row frame")


def test_a_queue_page_is_pushed_the_row_of_a_new_chat_and_its_removal_when_taken():
    utrecht = region_with_postcode()
    colleague = employee_at_desk(utrecht, username="colleague")
    watcher = employee_at_desk(utrecht, username="watcher")
    page_client = login_verified(Client(), watcher)
    before = queue_push.numbers({utrecht.pk})[utrecht.pk]

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], int]:
        page = socket("/ws/staff/chat/queue/?view=rows", page_client)
        await connect(page)
        chat = await database_sync_to_async(visitor_starts_chat)(nickname="Noor", age=13)
        arrived = await next_row(page)
        await database_sync_to_async(services.accept_chat)(conversation=chat, by=colleague)
        taken = await next_row(page)
        await page.disconnect()
        return arrived, taken, chat.pk

    arrived, taken, chat_id = async_to_sync(scenario)()
    assert arrived["conversation"] == chat_id
    assert arrived["row"]["nickname"] == "Noor"
    assert arrived["row"]["age"] == 13
    assert arrived["row"]["home_region"] == "Utrecht"
    assert arrived["count"] == 1
    assert arrived["seq"] == before + 1
    # Taken by a colleague: the row goes, with the next number, and carries no visitor data.
    assert (taken["conversation"], taken["row"], taken["count"]) == (chat_id, None, 0)
    assert taken["seq"] == before + 2
    assert not taken["mine"]
    assert Conversation.objects.get(pk=chat_id).status == ConversationStatus.ACTIVE


def test_a_queue_page_is_told_the_queues_numbers_on_every_tick_and_the_floor_is_not(monkeypatch):
    # Pushed changes arrive at most once: a page that missed the last change of a quiet queue
    # compares these numbers with its own and fetches the queue (staff-chat.js `checkNumbers`).
    monkeypatch.setattr("vangnet.chat.consumers.QUEUE_TICK_SECONDS", 0.2)
    utrecht = region_with_postcode()
    watcher = employee_at_desk(utrecht, username="watcher")
    page_client = login_verified(Client(), watcher)
    visitor_starts_chat(nickname="Noor")
    current = queue_push.numbers({utrecht.pk})[utrecht.pk]

    async def scenario() -> tuple[list[dict[str, Any]], list[str]]:
        page = socket("/ws/staff/chat/queue/?view=rows", page_client)
        floor = socket("/ws/staff/chat/queue/", page_client)
        await connect(page)
        await connect(floor)
        told = [await next_of(page, "queue.numbers") for _ in range(2)]
        floor_kinds = []
        for _ in range(20):
            if await floor.receive_nothing(timeout=0.6):  # three ticks' time
                break
            floor_kinds.append(json.loads(await floor.receive_from())["type"])
        await page.disconnect()
        await floor.disconnect()
        return told, floor_kinds

    told, floor_kinds = async_to_sync(scenario)()
    assert [frame["numbers"] for frame in told] == [{str(utrecht.pk): current}] * 2
    assert "queue.numbers" not in floor_kinds


def test_the_queue_fragment_says_up_to_which_change_it_shows():
    utrecht = region_with_postcode()
    watcher = employee_at_desk(utrecht)
    client = login_verified(Client(), watcher)
    visitor_starts_chat(nickname="Noor")
    visitor_starts_chat(nickname="Sem")
    number = queue_push.numbers({utrecht.pk})[utrecht.pk]
    html = client.get("/staff/chat/queue/").content.decode()
    assert f"{{&quot;{utrecht.pk}&quot;: {number}}}" in html
    assert "Noor" in html and "Sem" in html


def test_a_page_that_missed_a_change_sees_a_gap_in_the_numbers():
    # The page fetches the queue when a number is skipped (staff-chat.js `apply`): the numbers
    # of a region's changes have no holes and follow the order of the commits.
    utrecht = region_with_postcode()
    first = queue_push.numbers({utrecht.pk})[utrecht.pk]
    chats = [visitor_starts_chat(nickname=f"Kind {n}") for n in range(3)]
    services.leave_chat(conversation=chats[1])
    assert queue_push.numbers({utrecht.pk})[utrecht.pk] == first + 4


def test_the_console_is_pushed_counts_without_the_visitors_details():
    utrecht = region_with_postcode()
    watcher = employee_at_desk(utrecht)
    client = login_verified(Client(), watcher)

    async def scenario() -> dict[str, Any]:
        console = socket("/ws/staff/chat/queue/?view=count", client)
        await connect(console)
        await database_sync_to_async(visitor_starts_chat)(nickname="Noor")
        for _ in range(20):
            frame = json.loads(await console.receive_from(timeout=3))
            if frame["type"] == "queue.count":
                await console.disconnect()
                return frame
        raise AssertionError("no queue.count frame")

    frame = async_to_sync(scenario)()
    assert frame["count"] == 1
    assert "row" not in frame and "Noor" not in json.dumps(frame)
    assert not AccessLogEntry.objects.filter(
        user_id=watcher.pk, object_type="chat.conversation"
    ).exists()


def test_views_of_pushed_rows_are_found_by_user_and_by_chat_and_the_chain_verifies():
    utrecht = region_with_postcode()
    watchers = [employee_at_desk(utrecht, username=f"watcher{n}") for n in range(4)]
    chats = [visitor_starts_chat(nickname=f"Kind {n}") for n in range(30)]
    for chat in chats:
        record_accesses(
            [Access(user=user, obj=chat, reason="wachtrij bijgewerkt") for user in watchers]
        )
    checked, broken = verify_chain()
    assert broken is None
    assert checked == AccessLogEntry.objects.count()
    officer = make_user(Role.PRIVACY_OFFICER, region=utrecht)
    by_user_and_chat = search_access_log(
        user=officer,
        filters={
            "username": watchers[2].username,
            "object_type": "chat.conversation",
            "object_id": str(chats[17].pk),
        },
        params={},
        audit=None,
    )
    assert [(e.user_id, e.reason) for e in by_user_and_chat.object_list] == [
        (watchers[2].pk, "wachtrij bijgewerkt")
    ]
    by_chat = search_access_log(
        user=officer,
        filters={"object_type": "chat.conversation", "object_id": str(chats[3].pk)},
        params={},
        audit=None,
    )
    assert {e.user_id for e in by_chat.object_list} >= {w.pk for w in watchers}
