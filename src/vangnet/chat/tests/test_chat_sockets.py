"""The chat over WebSockets: live both ways, resumes after a drop, refuses what is wrong."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.asgi import application
from vangnet.chat import desks, services
from vangnet.chat.models import Conversation, ConversationStatus, Message
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import DEFAULT_PASSWORD, confirmed_totp_device, make_user

from .helpers import employee_at_desk, region_with_postcode

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


def socket(path: str, client: Client | None = None) -> WebsocketCommunicator:
    headers = [ORIGIN]
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def visitor_browser(postcode: str = "3511") -> tuple[Client, Conversation]:
    client = Client()
    response = client.post("/chat/", {"nickname": "Sam", "age": "14", "postcode": postcode})
    assert response.status_code == 302
    return client, Conversation.objects.latest("pk")


async def connect(communicator: WebsocketCommunicator) -> None:
    connected, code = await communicator.connect()
    assert connected, f"refused with {code}"


async def next_of(communicator: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    """The next frame of `kind`, skipping others (state updates, typing hints)."""
    for _ in range(60):
        frame = json.loads(await communicator.receive_from(timeout=3))
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


async def send(communicator: WebsocketCommunicator, **frame: Any) -> None:
    await communicator.send_to(text_data=json.dumps(frame))


def test_a_browser_without_a_chat_gets_no_socket():
    async def scenario() -> None:
        communicator = socket("/ws/chat/")
        connected, code = await communicator.connect()
        assert not connected and code == 4404

    async_to_sync(scenario)()


def test_messages_go_live_both_ways_and_staff_notes_stay_with_staff():
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    employee = employee_at_desk(utrecht, username="marieke")
    staff = login_verified(Client(), employee)
    services.accept_chat(conversation=chat, by=employee)

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        desk = socket(f"/ws/staff/chat/{chat.pk}/", staff)
        await connect(child)
        await connect(desk)
        await send(child, type="hello", after=0)
        history = await next_of(child, "history")
        assert [m["body"] for m in history["messages"]][-1].endswith("is er nu voor je.")
        last = history["messages"][-1]["seq"]
        await send(desk, type="hello", after=last)
        await next_of(desk, "history")

        await send(child, type="send", key="c-1", body="Mijn ouders maken steeds ruzie")
        at_desk = await next_of(desk, "message")
        assert at_desk["message"]["body"] == "Mijn ouders maken steeds ruzie"
        assert at_desk["message"]["seq"] == last + 1

        await send(desk, type="typing")
        assert (await next_of(child, "typing"))["type"] == "typing"
        await send(desk, type="send", key="e-1", body="Wat fijn dat je het vertelt, Sam.")
        at_child = await next_of(child, "message")
        assert at_child["message"]["body"] == "Wat fijn dat je het vertelt, Sam."
        assert at_child["message"]["sender"] == "employee"
        await child.disconnect()
        await desk.disconnect()

    async_to_sync(scenario)()


def test_a_dropped_visitor_gets_exactly_what_was_missed_on_reconnect():
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        await send(child, type="hello", after=0)
        seen = [m["seq"] for m in (await next_of(child, "history"))["messages"]]
        await child.disconnect()  # a tunnel

        from channels.db import database_sync_to_async

        for n in (1, 2):
            await database_sync_to_async(services.send_employee_message)(
                conversation=chat, by=employee, body=f"Ben je er nog? ({n})", client_key=f"e-{n}"
            )

        again = socket("/ws/chat/", visitor)
        await connect(again)
        await send(again, type="hello", after=seen[-1])
        missed = (await next_of(again, "history"))["messages"]
        assert [m["body"] for m in missed] == ["Ben je er nog? (1)", "Ben je er nog? (2)"]
        assert [m["seq"] for m in missed] == [seen[-1] + 1, seen[-1] + 2]
        await again.disconnect()

    async_to_sync(scenario)()


def test_a_retried_send_is_stored_once_and_acknowledged_with_the_same_number():
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht))

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        await send(child, type="send", key="k-42", body="Hallo?")
        first = await next_of(child, "ack")
        await send(child, type="send", key="k-42", body="Hallo?")
        second = await next_of(child, "ack")
        assert first["seq"] == second["seq"]
        await child.disconnect()

    async_to_sync(scenario)()
    assert Message.objects.filter(conversation=chat, body="Hallo?").count() == 1


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("not json", "kon niet worden gelezen"),
        ('["send"]', "kon niet worden gelezen"),
        ('{"type": "shout"}', "Onbekend soort bericht"),
        ('{"type": "send", "key": "k", "body": 42}', "kon niet worden gelezen"),
        ('{"type": "hello", "after": -1}', "Ongeldig volgnummer"),
        ('{"type": "send", "key": "k", "body": "' + "x" * 2001 + '"}', "hoogstens 2000"),
    ],
)
def test_bad_frames_get_a_clear_error_and_change_nothing(frame, message):
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht))
    before = Message.objects.filter(conversation=chat).count()

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        await child.send_to(text_data=frame)
        error = await next_of(child, "error")
        assert message in error["message"]
        await child.disconnect()

    async_to_sync(scenario)()
    assert Message.objects.filter(conversation=chat).count() == before


def test_a_visitor_who_floods_is_slowed_down():
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht))

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        for n in range(11):
            await send(child, type="send", key=f"f-{n}", body=f"spam {n}")
        error = await next_of(child, "error")
        assert "heel snel" in error["message"]
        await child.disconnect()

    async_to_sync(scenario)()
    assert Message.objects.filter(conversation=chat, body__startswith="spam").count() == 10


def test_staff_sockets_need_a_verified_login_and_rights_in_the_region():
    utrecht = region_with_postcode()
    _visitor, chat = visitor_browser()
    half_logged_in = Client()
    user = make_user(Role.ADVICE_DESK, region=utrecht)
    confirmed_totp_device(user)
    half_logged_in.post(
        "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    outsider = login_verified(Client(), employee_at_desk(region_with_postcode("Twente", "7511")))

    async def scenario() -> None:
        for client, path, expected in [
            (None, f"/ws/staff/chat/{chat.pk}/", 4401),
            (half_logged_in, f"/ws/staff/chat/{chat.pk}/", 4401),
            (half_logged_in, "/ws/staff/chat/queue/", 4401),
            (outsider, f"/ws/staff/chat/{chat.pk}/", 4403),
        ]:
            communicator = socket(path, client)
            connected, code = await communicator.connect()
            assert (connected, code) == (False, expected), path

    async_to_sync(scenario)()


def test_the_queue_page_hears_about_a_new_chat():
    utrecht = region_with_postcode()
    staff = login_verified(Client(), employee_at_desk(utrecht))

    async def scenario() -> None:
        queue = socket("/ws/staff/chat/queue/", staff)
        await connect(queue)
        from channels.db import database_sync_to_async

        await database_sync_to_async(visitor_browser)()
        assert (await next_of(queue, "queue.changed"))["type"] == "queue.changed"
        await queue.disconnect()

    async_to_sync(scenario)()


def test_the_visitor_is_told_when_the_employee_closes():
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        from channels.db import database_sync_to_async

        await database_sync_to_async(services.close_chat)(
            conversation=chat,
            by=employee,
            outcome=services.ClosingRegistration(
                asker_type="child",
                forms_of_violence=["witnessing"],
                question="Ruzie thuis",
                advice_given="Praat met je mentor",
                referral="",
                advised_to_report=False,
            ),
        )
        message = await next_of(child, "message")
        assert message["message"]["body"] == "De medewerker heeft de chat afgesloten."
        state = await next_of(child, "state")
        assert state["status"] == ConversationStatus.CLOSED
        await child.disconnect()

    async_to_sync(scenario)()


def test_a_waiting_visitor_is_moved_to_the_national_desk_by_the_socket_and_told_the_queue(
    monkeypatch,
):
    from vangnet.chat import consumers

    monkeypatch.setattr(consumers, "VISITOR_TICK_SECONDS", 0.05)
    utrecht = region_with_postcode()
    desk = desks.desk_for(utrecht)
    desk.overflow_after_seconds = 0
    desk.save()
    visitor, chat = visitor_browser()

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        state = await next_of(child, "state")
        assert state["status"] == "waiting" and state["position"] == 1
        await child.disconnect()

    async_to_sync(scenario)()
    chat.refresh_from_db()
    assert chat.overflowed and chat.region.is_national_desk


def test_during_a_chat_the_socket_only_confirms_now_and_then_that_the_visitor_is_there(
    monkeypatch,
):
    from vangnet.chat import consumers

    monkeypatch.setattr(consumers, "VISITOR_TICK_SECONDS", 0.05)
    monkeypatch.setattr(consumers, "VISITOR_PRESENCE_SECONDS", 0.2)
    utrecht = region_with_postcode()
    visitor, chat = visitor_browser()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht, username="marieke"))

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        # A disconnect seen on another process crossed this connection's arrival.
        await Conversation.objects.filter(pk=chat.pk).aupdate(visitor_connected=False)
        for _ in range(100):
            await asyncio.sleep(0.05)
            if await Conversation.objects.filter(pk=chat.pk, visitor_connected=True).aexists():
                break
        else:
            raise AssertionError("the presence flag was never repaired")
        assert await child.receive_nothing(timeout=0.3)  # no queue updates for a running chat
        await child.disconnect()

    async_to_sync(scenario)()
