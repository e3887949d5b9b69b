"""WebSocket adapters of the chat: parse a frame, call one service, send what changed.

Three sockets: the visitor's (`ws/chat/`, bound to the browser session), the employee's
per conversation (`ws/staff/chat/<id>/`) and the employee's queue (`ws/staff/chat/queue/`).
Every frame a client sends is JSON `{"type": ..., ...}` and is validated here; a bad frame
gets `{"type": "error", "message": ...}` and changes nothing.

A reconnecting client says `{"type": "hello", "after": <last sequence it has>}` and gets
every message after that, so nothing is lost or shown twice (messages carry `seq`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.http import Http404
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied
from vangnet.accounts.websocket import touch_session, verified_staff_user

from . import events, selectors, services
from .models import Conversation, ConversationStatus

VISITOR_TICK_SECONDS = 5
# Once a chat is under way the queue needs no refreshing; the visitor's socket then only
# confirms now and then that it is still connected (repairing a presence flag that a
# reconnect on another process may have crossed). A database write per socket every five
# seconds was what limited a busy process (docs/performance.md).
VISITOR_PRESENCE_SECONDS = 30
QUEUE_TICK_SECONDS = 20
MAX_FRAME_CHARS = 8000
# A person types; a script floods. Ten messages in ten seconds is the most a person sends.
SEND_LIMIT, SEND_WINDOW = 10, 10.0


class BadFrame(ValueError):
    pass


def parse_frame(text: str | None) -> dict[str, Any]:
    if not text or len(text) > MAX_FRAME_CHARS:
        raise BadFrame(_("Dit bericht is te lang of leeg."))
    try:
        frame = json.loads(text)
    except ValueError as error:
        raise BadFrame(_("Dit bericht kon niet worden gelezen.")) from error
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise BadFrame(_("Dit bericht kon niet worden gelezen."))
    return frame


def sequence_from(frame: dict[str, Any]) -> int:
    after = frame.get("after", 0)
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise BadFrame(_("Ongeldig volgnummer."))
    return after


def text_field(frame: dict[str, Any], name: str) -> str:
    value = frame.get(name)
    if not isinstance(value, str):
        raise BadFrame(_("Dit bericht kon niet worden gelezen."))
    return value


def visitor_state(conversation: Conversation) -> dict[str, Any]:
    """What the visitor may know: the queue, who talks with them, or that it ended."""
    conversation.refresh_from_db()
    state: dict[str, Any] = {"type": "state", "status": conversation.status}
    if conversation.status == ConversationStatus.WAITING:
        queue = services.queue_status(conversation)
        state.update(position=queue.position, estimate=queue.estimate_minutes)
    elif conversation.status == ConversationStatus.ACTIVE and conversation.assigned_to:
        state["employee"] = services.employee_name(conversation.assigned_to)
    # Who is present, said plainly (seed 000): the child knows when the volunteer is there.
    state["volunteer"] = conversation.volunteer_present
    return state


def staff_state(conversation: Conversation) -> dict[str, Any]:
    conversation.refresh_from_db()
    return {
        "type": "state",
        "status": conversation.status,
        "assigned_to": conversation.assigned_to_id,
        "visitor_connected": conversation.visitor_connected,
        "volunteer": conversation.volunteer_present,
    }


class _JsonSocket(AsyncWebsocketConsumer):
    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(content, ensure_ascii=False))

    async def send_error(self, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "message": message, **extra})

    async def history(self, conversation: Conversation, after: int, *, for_visitor: bool) -> None:
        def read() -> tuple[list[dict[str, Any]], int]:
            messages = [
                services.serialise(m)
                for m in selectors.messages_after(
                    conversation, after=after, for_visitor=for_visitor
                )
            ]
            # Staff notes are not sent to the visitor, so their numbers leave holes: `upto`
            # says how far this history reaches, so the page does not wait for them.
            last = Conversation.objects.filter(pk=conversation.pk).values_list(
                "last_sequence", flat=True
            )
            return messages, max(after, last.first() or 0)

        messages, upto = await database_sync_to_async(read)()
        await self.send_json({"type": "history", "messages": messages, "upto": upto})


class VisitorChatConsumer(_JsonSocket):
    conversation: Conversation | None = None
    status: str = ""
    ticker: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        session = self.scope.get("session")
        if session is not None:
            self.conversation = await database_sync_to_async(selectors.visitor_conversation)(
                session
            )
        if self.conversation is None:
            await self.close(code=4404)
            return
        self.group = events.conversation_group(self.conversation.pk)
        self.sent: deque[float] = deque()
        self.last_typing = 0.0
        self.status = self.conversation.status
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(services.visitor_connected)(
            conversation=self.conversation, connected=True
        )
        self.ticker = asyncio.create_task(self.tick())

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
        if self.conversation is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(services.visitor_connected)(
                conversation=self.conversation, connected=False
            )

    async def tick(self) -> None:
        """While waiting: keep the queue position fresh and overflow when nobody comes.
        Afterwards: say now and then that the visitor is still connected."""
        assert self.conversation is not None
        conversation = self.conversation
        since_presence = 0.0
        while True:
            await asyncio.sleep(VISITOR_TICK_SECONDS)
            since_presence += VISITOR_TICK_SECONDS
            if self.status == ConversationStatus.WAITING:
                state = await database_sync_to_async(self._waiting_tick)(conversation)
                self.status = state["status"]
                if self.status == ConversationStatus.WAITING:
                    await self.send_json(state)
                since_presence = 0.0
            elif since_presence >= VISITOR_PRESENCE_SECONDS:
                await database_sync_to_async(services.visitor_connected)(
                    conversation=conversation, connected=True
                )
                since_presence = 0.0

    @staticmethod
    def _waiting_tick(conversation: Conversation) -> dict[str, Any]:
        services.visitor_connected(conversation=conversation, connected=True)
        conversation.refresh_from_db()
        if conversation.status == ConversationStatus.WAITING:
            services.overflow_if_due(conversation=conversation)
        return visitor_state(conversation)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        assert self.conversation is not None
        try:
            frame = parse_frame(text_data)
            kind = frame["type"]
            if kind == "hello":
                after = sequence_from(frame)
                await self.history(self.conversation, after, for_visitor=True)
                await self.send_state()
            elif kind == "send":
                await self.visitor_send(frame)
            elif kind == "typing":
                now = time.monotonic()
                if now - self.last_typing > 1.0:
                    self.last_typing = now
                    await self.channel_layer.group_send(
                        self.group, {"type": "chat.typing", "sender": "visitor"}
                    )
            elif kind == "leave":
                await database_sync_to_async(services.leave_chat)(conversation=self.conversation)
            else:
                raise BadFrame(_("Onbekend soort bericht."))
        except (BadFrame, services.ChatError) as error:
            await self.send_error(str(error), key=_key_of(text_data))

    async def visitor_send(self, frame: dict[str, Any]) -> None:
        assert self.conversation is not None
        now = time.monotonic()
        while self.sent and now - self.sent[0] > SEND_WINDOW:
            self.sent.popleft()
        if len(self.sent) >= SEND_LIMIT:
            raise BadFrame(_("Je stuurt heel snel berichten. Wacht even en probeer het opnieuw."))
        self.sent.append(now)
        message = await database_sync_to_async(services.send_visitor_message)(
            conversation=self.conversation,
            body=text_field(frame, "body"),
            client_key=text_field(frame, "key"),
        )
        # The broadcast brings it too; this answer confirms a retried send whose
        # broadcast was missed while the connection was down.
        await self.send_json({"type": "ack", "key": message.client_key, "seq": message.sequence})

    async def send_state(self) -> None:
        assert self.conversation is not None
        state = await database_sync_to_async(visitor_state)(self.conversation)
        self.status = state["status"]
        await self.send_json(state)

    # --- group events ---

    async def chat_message(self, event: dict[str, Any]) -> None:
        if event["message"]["kind"] != "note":
            await self.send_json({"type": "message", "message": event["message"]})
        else:  # a staff note: only its number, so the page sees no gap
            await self.send_json({"type": "skip", "seq": event["message"]["seq"]})

    async def chat_state(self, event: dict[str, Any]) -> None:
        await self.send_state()

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] != "visitor":
            await self.send_json({"type": "typing"})

    async def chat_presence(self, event: dict[str, Any]) -> None:
        return None


def _key_of(text: str | None) -> str:
    try:
        frame = json.loads(text or "")
        key = frame.get("key", "") if isinstance(frame, dict) else ""
        return key if isinstance(key, str) else ""
    except ValueError:
        return ""


class StaffChatConsumer(_JsonSocket):
    """An employee in one conversation."""

    conversation: Conversation | None = None
    user: User | None = None

    async def connect(self) -> None:
        self.user = await verified_staff_user(self.scope)
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        if self.user is None:
            await self.close(code=4401)
            return
        try:
            self.conversation = await database_sync_to_async(selectors.conversation_for_staff)(
                user=self.user, conversation_id=conversation_id, log=False
            )
        except (AccessDenied, Http404):
            await self.close(code=4403)
            return
        self.group = events.conversation_group(self.conversation.pk)
        self.last_typing = 0.0
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.conversation is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        assert self.conversation is not None and self.user is not None
        try:
            frame = parse_frame(text_data)
            kind = frame["type"]
            if kind == "hello":
                await self.history(self.conversation, sequence_from(frame), for_visitor=False)
                await self.send_json(await database_sync_to_async(staff_state)(self.conversation))
            elif kind == "send":
                await touch_session(self.scope)
                message = await database_sync_to_async(services.send_employee_message)(
                    conversation=self.conversation,
                    by=self.user,
                    body=text_field(frame, "body"),
                    client_key=text_field(frame, "key"),
                )
                await self.send_json(
                    {"type": "ack", "key": message.client_key, "seq": message.sequence}
                )
            elif kind == "typing":
                now = time.monotonic()
                if now - self.last_typing > 1.0:
                    self.last_typing = now
                    await self.channel_layer.group_send(
                        self.group, {"type": "chat.typing", "sender": "employee"}
                    )
            else:
                raise BadFrame(_("Onbekend soort bericht."))
        except (BadFrame, services.ChatError, AccessDenied) as error:
            await self.send_error(str(error), key=_key_of(text_data))

    async def chat_message(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "message", "message": event["message"]})

    async def chat_state(self, event: dict[str, Any]) -> None:
        assert self.conversation is not None
        await self.send_json(await database_sync_to_async(staff_state)(self.conversation))

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] != "employee":
            await self.send_json({"type": "typing"})

    async def chat_presence(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "presence", "visitor_connected": event["visitor_connected"]})


class StaffQueueConsumer(_JsonSocket):
    """An employee's queue page: told when a queue changes; keeps their availability alive."""

    ticker: asyncio.Task[None] | None = None
    groups_joined: list[str]

    async def connect(self) -> None:
        self.groups_joined = []
        user = await verified_staff_user(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        regions = await database_sync_to_async(selectors.chat_regions)(user)
        if not regions:
            await self.close(code=4403)
            return
        self.user = user
        for region_id in sorted(regions):
            group = events.queue_group(region_id)
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        self.ticker = asyncio.create_task(self.tick())

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def tick(self) -> None:
        while True:
            await database_sync_to_async(self._tick_sync)(self.user)
            await asyncio.sleep(QUEUE_TICK_SECONDS)

    @staticmethod
    def _tick_sync(user: User) -> None:
        services.heartbeat(user=user)
        services.sweep_waiting_chats()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send_error(_("Deze verbinding ontvangt alleen."))

    async def queue_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "queue.changed"})


class VolunteerChatConsumer(_JsonSocket):
    """The helpline volunteer in a warm-handover chat, for as long as they take part."""

    conversation: Conversation | None = None
    user: User | None = None

    async def connect(self) -> None:
        self.user = await verified_staff_user(self.scope)
        if self.user is None:
            await self.close(code=4401)
            return
        handover_id = self.scope["url_route"]["kwargs"]["handover_id"]
        self.conversation = await database_sync_to_async(self._conversation)(self.user, handover_id)
        if self.conversation is None:
            await self.close(code=4403)
            return
        self.group = events.conversation_group(self.conversation.pk)
        self.last_typing = 0.0
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    @staticmethod
    def _conversation(user: User, handover_id: int) -> Conversation | None:
        try:
            handover = selectors.partner_handover(principal=user, handover_id=handover_id)
        except (AccessDenied, Http404):
            return None
        if handover.conversation is None or not handover.conversation.volunteer_present:
            return None
        return handover.conversation

    async def _still_present(self) -> bool:
        assert self.conversation is not None
        conversation = self.conversation
        return await database_sync_to_async(
            lambda: Conversation.objects.filter(pk=conversation.pk, volunteer_present=True).exists()
        )()

    async def disconnect(self, code: int) -> None:
        if self.conversation is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        assert self.conversation is not None and self.user is not None
        try:
            if not await self._still_present():
                await self.close(code=4403)
                return
            frame = parse_frame(text_data)
            kind = frame["type"]
            if kind == "hello":
                await self.history(self.conversation, sequence_from(frame), for_visitor=True)
                await self.send_json(await database_sync_to_async(staff_state)(self.conversation))
            elif kind == "send":
                await touch_session(self.scope)
                message = await database_sync_to_async(services.send_volunteer_message)(
                    conversation=self.conversation,
                    by=self.user,
                    body=text_field(frame, "body"),
                    client_key=text_field(frame, "key"),
                )
                await self.send_json(
                    {"type": "ack", "key": message.client_key, "seq": message.sequence}
                )
            elif kind == "typing":
                now = time.monotonic()
                if now - self.last_typing > 1.0:
                    self.last_typing = now
                    await self.channel_layer.group_send(
                        self.group, {"type": "chat.typing", "sender": "volunteer"}
                    )
            else:
                raise BadFrame(_("Onbekend soort bericht."))
        except (BadFrame, services.ChatError, AccessDenied) as error:
            await self.send_error(str(error), key=_key_of(text_data))

    async def chat_message(self, event: dict[str, Any]) -> None:
        if event["message"]["kind"] != "note":
            await self.send_json({"type": "message", "message": event["message"]})
        else:  # a staff note: only its number, so the page sees no gap
            await self.send_json({"type": "skip", "seq": event["message"]["seq"]})

    async def chat_state(self, event: dict[str, Any]) -> None:
        # Once the volunteer stepped out (or the chat closed), the socket ends: nothing more
        # of the conversation reaches them.
        if not await self._still_present():
            await self.close(code=4403)
            return
        assert self.conversation is not None
        await self.send_json(await database_sync_to_async(staff_state)(self.conversation))

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] != "volunteer":
            await self.send_json({"type": "typing"})

    async def chat_presence(self, event: dict[str, Any]) -> None:
        return None
