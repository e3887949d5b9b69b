"""An open staff socket follows the policy: when its user may no longer see the conversation,
the socket closes and nothing more of the chat reaches it (Issue 12, hole 5; ADR 0022).

Each test opens a real socket through the whole ASGI application, lets something happen
elsewhere (forwarding to another region, a logout on the page, "log out everywhere", a
deactivation, the idle timeout, a role taken away) and checks what the person at that socket
would notice: the close code the page acts on, no further message, and no transcript for a `hello`.
"""

from __future__ import annotations

import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts import services as account_services
from vangnet.accounts.middleware import IDLE_KEY
from vangnet.accounts.models import Membership, Role, User
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat import consumers, services
from vangnet.chat.models import Conversation
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import add_membership, make_user

from .helpers import employee_at_desk, region_with_postcode
from .test_chat_sockets import connect, next_of, send, socket, visitor_browser

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def only_pushed_rechecks(monkeypatch):
    """The periodic re-check is a backstop; these tests prove the pushed one (and the one on
    every frame), so the backstop must not do their work for them."""
    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 3600)


async def closed_with(communicator: WebsocketCommunicator) -> int:
    """The close code the socket ends with; every frame before it fails the test."""
    output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close", f"still streaming: {output}"
    return output["code"]


async def gets_nothing_more(communicator: WebsocketCommunicator) -> None:
    await send(communicator, type="hello", after=0)
    assert await communicator.receive_nothing(timeout=0.3), "a closed socket answered"


async def settled(communicator: WebsocketCommunicator) -> None:
    """Read what is still on its way from before: with the Redis pub/sub layer an event
    published just before a socket joined its group can still reach it (the process hands an
    event to the members it has when it arrives). Only the visitor's presence is expected."""
    while not await communicator.receive_nothing(timeout=0.3):
        output = await communicator.receive_output()
        assert '"presence"' in output.get("text", ""), f"unexpected: {output}"


def running_chat(region_name: str = "Utrecht", postcode: str = "3511"):
    region = region_with_postcode(region_name, postcode)
    visitor, chat = visitor_browser(postcode)
    employee = employee_at_desk(region, username="marieke")
    services.accept_chat(conversation=chat, by=employee)
    return region, visitor, chat, employee


async def opened(path: str, client: Client) -> WebsocketCommunicator:
    communicator = socket(path, client)
    await connect(communicator)
    await send(communicator, type="hello", after=0)
    await next_of(communicator, "history")
    await next_of(communicator, "state")  # a hello is answered with the history and the state
    return communicator


def second_session(user: User) -> Client:
    """The same person on a second device (a TOTP code counts once: wait for a fresh one)."""
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    return login_verified(Client(), user)


def test_a_chat_forwarded_to_another_region_leaves_the_old_regions_sockets():
    utrecht, visitor, chat, employee = running_chat()
    twente = region_with_postcode("Twente", "7511")
    staff = login_verified(Client(), employee)
    colleague = login_verified(Client(), employee_at_desk(utrecht, username="joost"))

    async def scenario() -> None:
        child = socket("/ws/chat/", visitor)
        await connect(child)
        await send(child, type="hello", after=0)
        await next_of(child, "state")  # answered after the child was marked present
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        watching = await opened(f"/ws/staff/chat/{chat.pk}/", colleague)
        await settled(desk)
        await settled(watching)

        await database_sync_to_async(services.forward_chat)(
            conversation=chat, by=employee, to_region=twente, note="Woont in Enschede"
        )
        assert await closed_with(desk) == consumers.CLOSE_REFUSED
        assert await closed_with(watching) == consumers.CLOSE_REFUSED

        # The child goes on talking, in Twente's queue; Utrecht hears nothing of it.
        await send(child, type="send", key="c-1", body="Ben je er nog?")
        await next_of(child, "ack")
        assert await desk.receive_nothing(timeout=0.3)
        await gets_nothing_more(desk)
        await gets_nothing_more(watching)

        again = socket(f"/ws/staff/chat/{chat.pk}/", staff)
        assert await again.connect() == (False, consumers.CLOSE_REFUSED)
        await child.disconnect()

    async_to_sync(scenario)()
    refusals = AccessLogEntry.objects.filter(
        action=AccessLogAction.REFUSED, object_type="chat.conversation", object_id=str(chat.pk)
    )
    assert refusals.filter(user_id=employee.pk).count() == 2  # the socket, then the new handshake


def test_logging_out_closes_that_sessions_sockets_and_no_others():
    _region, _visitor, chat, employee = running_chat()
    laptop = login_verified(Client(), employee)
    phone = second_session(employee)

    async def scenario() -> None:
        on_laptop = await opened(f"/ws/staff/chat/{chat.pk}/", laptop)
        on_phone = await opened(f"/ws/staff/chat/{chat.pk}/", phone)

        response = await database_sync_to_async(laptop.post)("/accounts/logout/")
        assert response.status_code == 302
        assert await closed_with(on_laptop) == consumers.CLOSE_LOGIN_GONE
        await gets_nothing_more(on_laptop)

        # The phone's session is still logged in: its socket goes on.
        await database_sync_to_async(services.send_employee_message)(
            conversation=chat, by=employee, body="Ik ben er nog.", client_key="e-1"
        )
        assert (await next_of(on_phone, "message"))["message"]["body"] == "Ik ben er nog."
        await on_phone.disconnect()

    async_to_sync(scenario)()


def test_logging_out_everywhere_closes_the_sockets_of_every_device():
    _region, _visitor, chat, employee = running_chat()
    laptop = login_verified(Client(), employee)
    phone = second_session(employee)

    async def scenario() -> None:
        on_laptop = await opened(f"/ws/staff/chat/{chat.pk}/", laptop)
        queue = socket("/ws/staff/chat/queue/", laptop)
        await connect(queue)

        response = await database_sync_to_async(phone.post)("/accounts/security/")
        assert response.status_code == 302
        assert await closed_with(on_laptop) == consumers.CLOSE_LOGIN_GONE
        assert await closed_with(queue) == consumers.CLOSE_LOGIN_GONE
        await gets_nothing_more(on_laptop)

        again = socket(f"/ws/staff/chat/{chat.pk}/", laptop)
        assert await again.connect() == (False, consumers.CLOSE_LOGIN_GONE)

    async_to_sync(scenario)()


def test_a_deactivated_employee_loses_their_sockets():
    region, _visitor, chat, employee = running_chat()
    admin = make_user(Role.FUNCTIONAL_ADMIN, region=region)
    staff = login_verified(Client(), employee)

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        await database_sync_to_async(account_services.deactivate_user)(by=admin, user=employee)
        assert await closed_with(desk) == consumers.CLOSE_LOGIN_GONE
        await gets_nothing_more(desk)

    async_to_sync(scenario)()


def test_an_employee_whose_chat_role_is_taken_away_loses_the_chat_and_the_queue():
    region, _visitor, chat, employee = running_chat()
    add_membership(employee, Role.MONITORING, region)  # still works here, but not in the chat
    admin = make_user(Role.FUNCTIONAL_ADMIN, region=region)
    staff = login_verified(Client(), employee)
    chat_role = Membership.objects.get(user=employee, role=Role.ADVICE_DESK)

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        queue = socket("/ws/staff/chat/queue/", staff)
        await connect(queue)
        await database_sync_to_async(account_services.remove_membership)(
            by=admin, membership=chat_role
        )
        assert await closed_with(desk) == consumers.CLOSE_REFUSED
        assert await closed_with(queue) == consumers.CLOSE_REFUSED
        await gets_nothing_more(desk)

    async_to_sync(scenario)()


def test_an_idle_session_closes_its_sockets_by_itself(monkeypatch):
    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 0.05)
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    def idle_since_long_ago() -> None:
        session = SessionStore(session_key=staff.cookies[settings.SESSION_COOKIE_NAME].value)
        session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
        session.save()

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        queue = socket("/ws/staff/chat/queue/", staff)
        await connect(queue)
        await database_sync_to_async(idle_since_long_ago)()  # nobody announces this
        assert await closed_with(desk) == consumers.CLOSE_LOGIN_GONE
        assert await closed_with(queue) == consumers.CLOSE_LOGIN_GONE
        await gets_nothing_more(desk)

    async_to_sync(scenario)()


def test_every_frame_is_checked_even_when_the_news_never_arrived():
    # The session is removed behind the socket's back (no event on the channel layer): the
    # next frame finds out and gets no transcript.
    _region, _visitor, chat, employee = running_chat()
    staff = login_verified(Client(), employee)

    def session_gone() -> None:
        SessionStore(session_key=staff.cookies[settings.SESSION_COOKIE_NAME].value).delete()

    async def scenario() -> None:
        desk = await opened(f"/ws/staff/chat/{chat.pk}/", staff)
        await database_sync_to_async(session_gone)()
        await send(desk, type="hello", after=0)
        assert await closed_with(desk) == consumers.CLOSE_LOGIN_GONE
        assert await desk.receive_nothing(timeout=0.3)

    async_to_sync(scenario)()


def test_a_volunteer_who_stepped_out_hears_nothing_more():
    from vangnet.chat.tests.test_handover import chat_handover  # the world of the handover tests

    volunteer, handover, _join_code = chat_handover()
    partner = login_verified(Client(), volunteer)
    conversation: Conversation = handover.conversation

    async def scenario() -> None:
        own = await opened(f"/ws/partner/handovers/{handover.pk}/", partner)
        await database_sync_to_async(services.volunteer_leaves)(
            conversation=conversation, by=volunteer
        )
        assert await closed_with(own) == consumers.CLOSE_REFUSED
        await gets_nothing_more(own)

    async_to_sync(scenario)()
