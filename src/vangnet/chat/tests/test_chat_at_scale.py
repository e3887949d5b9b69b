"""The chat holds a whole country (Issue 15, ADR 0029): what a message, a typing hint and a
queue change cost the server, and that the cheaper paths still keep every guarantee of
ADR 0009 — numbered, stored once, broadcast only after the commit.

Speed itself is measured in `make bench` (docs/performance.md), never asserted here. What is
asserted is what a person notices: a retried message is confirmed once, a waiting child hears
their new place without waiting for a tick, a burst of queue changes does not make a queue
page reload over and over, and a typing hint gets through while the database is away.
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vangnet.chat import consumers, services
from vangnet.chat.models import ConversationStatus, Message, Sender
from vangnet.testing.auth import login_verified

from .helpers import employee_at_desk, region_with_postcode, visitor_starts_chat
from .test_chat_sockets import connect, next_of, send, socket, visitor_browser
from .test_socket_revocation import opened, running_chat

pytestmark = pytest.mark.django_db(transaction=True)


def statements(queries: CaptureQueriesContext) -> list[str]:
    """The statements that do work (not BEGIN, COMMIT or savepoints)."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].upper().startswith(control)]


def test_a_visitors_message_is_numbered_and_stored_in_two_statements():
    region_with_postcode()
    chat = visitor_starts_chat()
    with CaptureQueriesContext(connection) as queries:
        message = services.send_visitor_message(conversation=chat, body="Hoi", client_key="k-1")
    done = statements(queries)
    assert len(done) == 2, done  # UPDATE … RETURNING the number, INSERT the message
    assert done[0].upper().startswith("UPDATE") and "RETURNING" in done[0].upper()
    assert message.sequence == 2  # after "Je staat in de wachtrij."
    chat.refresh_from_db()
    assert chat.last_sequence == 2


def test_an_employees_message_costs_no_more_than_its_rights_check_on_top():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)
    with CaptureQueriesContext(connection) as queries:
        services.send_employee_message(conversation=chat, by=employee, body="Hallo", client_key="e")
    assert len(statements(queries)) <= 3, statements(queries)  # + the employee's memberships


def test_a_retried_message_is_stored_once_and_uses_up_no_number():
    region_with_postcode()
    chat = visitor_starts_chat()
    first = services.send_visitor_message(conversation=chat, body="Hoi", client_key="k-1")
    again = services.send_visitor_message(conversation=chat, body="Hoi", client_key="k-1")
    after = services.send_visitor_message(conversation=chat, body="Ben je er?", client_key="k-2")
    assert again.pk == first.pk
    assert after.sequence == first.sequence + 1  # no gap: the retry's number was rolled back
    assert Message.objects.filter(conversation=chat, client_key="k-1").count() == 1


def test_a_retry_of_a_stored_message_after_the_chat_ended_is_still_confirmed():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht))
    first = services.send_visitor_message(conversation=chat, body="Doei", client_key="k-1")
    services.leave_chat(conversation=chat)
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.VISITOR_LEFT

    again = services.send_visitor_message(conversation=chat, body="Doei", client_key="k-1")
    assert again.pk == first.pk
    with pytest.raises(services.ChatError, match="afgelopen"):
        services.send_visitor_message(conversation=chat, body="Nog iets", client_key="k-2")
    assert not Message.objects.filter(conversation=chat, client_key="k-2").exists()


def test_a_message_refused_for_an_employee_who_did_not_accept_takes_no_number():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht, username="marieke"))
    colleague = employee_at_desk(utrecht, username="joost")
    chat.refresh_from_db()
    before = chat.last_sequence
    with pytest.raises(services.ChatError, match="aangenomen"):
        services.send_employee_message(conversation=chat, by=colleague, body="Hoi", client_key="j")
    chat.refresh_from_db()
    assert chat.last_sequence == before


def test_a_waiting_child_hears_a_better_place_as_soon_as_the_one_ahead_leaves(monkeypatch):
    monkeypatch.setattr(consumers, "VISITOR_TICK_SECONDS", 3600)  # no polling to help
    region_with_postcode()
    ahead = visitor_starts_chat(nickname="Eerst")
    visitor, chat = visitor_browser()

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        await send(child, type="hello", after=0)
        state = await next_of(child, "state")
        assert state["status"] == "waiting" and state["position"] == 2
        await database_sync_to_async(services.leave_chat)(conversation=ahead)
        state = await next_of(child, "state")
        assert state["position"] == 1
        await child.disconnect()

    async_to_sync(scenario)()
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.WAITING


def test_a_burst_of_queue_changes_makes_an_open_queue_page_refresh_at_most_twice(monkeypatch):
    # A window wider than the burst takes on a busy machine: what is shown is the coalescing.
    monkeypatch.setattr(consumers, "QUEUE_COALESCE_SECONDS", 5)
    utrecht = region_with_postcode()
    staff = login_verified(Client(), employee_at_desk(utrecht))

    def eight_children_arrive() -> None:
        for number in range(8):
            visitor_starts_chat(nickname=f"Kind {number}")

    async def scenario() -> None:
        queue = socket("/ws/staff/chat/queue/", staff)
        await connect(queue)
        await database_sync_to_async(eight_children_arrive)()
        told = 0
        # The first change at once, the rest of the burst together once more.
        while not await queue.receive_nothing(timeout=6):
            frame = json.loads(await queue.receive_from(timeout=1))
            told += frame["type"] == "queue.changed"
        assert 1 <= told <= 2, told
        await queue.disconnect()

    async_to_sync(scenario)()


def test_the_last_change_of_a_burst_reaches_the_queue_page():
    utrecht = region_with_postcode()
    staff = login_verified(Client(), employee_at_desk(utrecht))

    async def scenario() -> None:
        queue = socket("/ws/staff/chat/queue/", staff)
        await connect(queue)
        await database_sync_to_async(visitor_starts_chat)(nickname="Eerste")
        assert (await next_of(queue, "queue.changed"))["type"] == "queue.changed"
        await database_sync_to_async(visitor_starts_chat)(nickname="Tweede")
        # Within the window after the first: told once more after it, not forgotten.
        assert (await next_of(queue, "queue.changed"))["type"] == "queue.changed"
        await queue.disconnect()

    async_to_sync(scenario)()


def test_typing_hints_get_through_while_the_database_is_away(monkeypatch):
    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 3600)
    _region, visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    def database_away(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection failed: Connection refused")

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        monkeypatch.setattr(consumers, "verify", database_away)
        monkeypatch.setattr(consumers, "still_current", database_away)
        await send(desk, type="typing")
        assert (await next_of(child, "typing"))["type"] == "typing"
        await send(child, type="typing")
        assert (await next_of(desk, "typing"))["type"] == "typing"
        await child.disconnect()
        await desk.disconnect()

    async_to_sync(scenario)()


def test_a_message_from_the_socket_is_stored_before_the_other_side_sees_it():
    _region, visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        await send(desk, type="send", key="e-1", body="Hoe gaat het?")
        seen = await next_of(child, "message")
        stored = await Message.objects.aget(conversation=chat, client_key="e-1")
        assert seen["message"]["seq"] == stored.sequence and stored.sender == Sender.EMPLOYEE
        await send(child, type="send", key="c-1", body="Goed")
        seen = await next_of(desk, "message")
        while seen["message"]["key"] != "c-1":  # its own message came back to the desk first
            seen = await next_of(desk, "message")
        assert seen["message"]["seq"] == stored.sequence + 1
        await child.disconnect()
        await desk.disconnect()

    async_to_sync(scenario)()


def test_a_frame_for_a_socket_that_just_closed_is_dropped_without_ending_in_an_error():
    socket_gone = consumers.VisitorChatConsumer()

    async def client_gone(message: dict[str, object]) -> None:
        raise OSError("the client disconnected")  # what uvicorn raises on a late send

    socket_gone.base_send = client_gone
    async_to_sync(socket_gone.send_json)({"type": "typing"})  # no error, nothing else to do
