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
import contextlib
import json
import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, close_old_connections
from django.http import Http404
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.accounts.websocket import (
    Verified,
    session_of,
    still_current,
    touch,
    user_group,
    verify,
)
from vangnet.audit.context import AuditContext
from vangnet.audit.services import Access, record_accesses, record_unlogged_refusal
from vangnet.core.channel_layers import unreachable_errors
from vangnet.core.consumers import InTurnWebsocketConsumer

from . import events, messaging, presence, queue, queue_push, selectors, services, tasks
from .load import LOAD
from .models import Conversation, ConversationStatus, Handover, Message, MessageKind, Sender

logger = logging.getLogger(__name__)

# A waiting visitor hears their place in the queue when the queue changes (pushed, ADR 0029);
# this tick is the backstop: it marks them present, overflows to the national desk when due,
# and refreshes the estimate, which also changes when colleagues' heartbeats lapse.
VISITOR_TICK_SECONDS = 10
# Queue changes come in bursts (a chat arrives, is accepted, moves); a queue page or a
# waiting visitor hears the first at once and the rest as one more, at most this often.
QUEUE_COALESCE_SECONDS = 0.5
# An employee's session counts typing in a chat as activity; its idle mark is written at most
# this often (the idle timeout is counted in minutes), not on every message.
SESSION_TOUCH_SECONDS = 60
# Once a chat is under way the queue needs no refreshing; the visitor's socket then only
# confirms now and then that it is still connected (repairing a presence flag that a
# reconnect on another process may have crossed). A database write per socket every five
# seconds was what limited a busy process (docs/performance.md).
VISITOR_PRESENCE_SECONDS = 60
QUEUE_TICK_SECONDS = 20
MAX_FRAME_CHARS = 8000
# Frames read ahead of their work (`_JsonSocket.in_order`): a page sends a few; past this
# many the socket stops reading until the work caught up.
MAX_PENDING_FRAMES = 32
# A person types; a script floods. Ten messages in ten seconds is the most a person sends.
SEND_LIMIT, SEND_WINDOW = 10, 10.0
# A page asks for the history when it (re)connects or sees a gap: a few times, not hundreds.
HELLO_LIMIT, HELLO_WINDOW = 5, 10.0
# How often an open staff or partner socket checks its session and rights unasked: the
# backstop for what no service announces (the idle timeout and the session's expiry, both
# counted in minutes). Every change a service makes is pushed at once (`access.changed`,
# state events, access keys); at 5 s, 1,000 open staff sockets spent a whole core on this
# backstop alone (ADR 0029). Spread over the sockets, and skipped when a message was
# checked meanwhile.
ACCESS_RECHECK_SECONDS = 30
# Close codes the pages understand (chat.js, staff-chat.js reload and show why).
CLOSE_LOGIN_GONE = 4401  # logged out, elsewhere too, deactivated, idle, or never verified
CLOSE_REFUSED = 4403  # logged in, but the policy says no (any more)
CLOSE_NOT_FOUND = 4404  # no such conversation (said only to who may handle chats at all)
CLOSE_SUPERSEDED = 4409  # the same chat was opened in a newer window of the same browser
CLOSE_TRY_AGAIN_LATER = 1013  # RFC 6455 "try again later": the channel layer is away
# How long the cache remembers a chat's open visitor sockets (refreshed on every connect).
VISITOR_SOCKETS_TTL = 3600


def visitor_sockets_key(conversation_id: int) -> str:
    return f"chat:visitor-sockets:{conversation_id}"


class BadFrame(ValueError):
    """Refused for good: sending the same frame again gets the same answer."""


class TryAgain(BadFrame):
    """Not now: the same frame, sent again after `retry_after` seconds, may well succeed
    (the flood limit, a database that is briefly away). The page keeps the message."""

    def __init__(self, message: str, *, retry_after: float, about: str = "send"):
        super().__init__(message)
        self.retry_after = max(0.5, round(retry_after, 1))
        self.about = about


# While the database is briefly away (a failover takes seconds), a message waits in the page.
DATABASE_RETRY_SECONDS = 2.0


def database_away() -> TryAgain:
    return TryAgain(
        _("Je bericht is nog niet verstuurd. We proberen het zo opnieuw."),
        retry_after=DATABASE_RETRY_SECONDS,
    )


def parse_frame(text: str | None) -> dict[str, Any]:
    if not text or len(text) > MAX_FRAME_CHARS:
        raise BadFrame(_("Dit bericht is te lang of leeg."))
    try:
        frame = json.loads(text)
    except ValueError as error:
        raise BadFrame(_("Dit bericht kon niet worden gelezen.")) from error
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise BadFrame(_("Dit bericht kon niet worden gelezen."))
    try:  # a JSON escape can make a lone surrogate, which no database stores
        json.dumps(frame, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise BadFrame(
            _("Dit bericht bevat tekens die niet kunnen worden verstuurd. Pas het aan.")
        ) from error
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
        place = queue.queue_status(conversation)
        state.update(position=place.position, estimate=place.estimate_minutes)
    elif conversation.status == ConversationStatus.ACTIVE and conversation.assigned_to:
        state["employee"] = messaging.employee_name(conversation.assigned_to)
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


def take_slot(stamps: list[float], *, limit: int, window: float) -> float:
    """Count one more action in a sliding window; when it is full, the seconds until it is
    empty again (0: go). Waiting for the whole window, not for the first free slot, lets a
    held-back burst through afterwards in one piece and in its order."""
    now = time.monotonic()
    while stamps and now - stamps[0] > window:
        stamps.pop(0)
    if len(stamps) >= limit:
        return window - (now - stamps[-1])
    stamps.append(now)
    return 0.0


class Coalesced:
    """Run `action` when poked: the first poke at once, pokes during the next `window`
    seconds together once more after it. Never two runs at the same time."""

    def __init__(self, action: Any, window: float) -> None:
        self.action = action
        self.window = window
        self.again = False
        self.task: asyncio.Task[None] | None = None

    def poke(self) -> None:
        if self.task is not None and not self.task.done():
            self.again = True
            return
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            self.again = False
            try:
                await self.action()
            except DatabaseError:
                logger.warning("A pushed refresh skipped a round: the database is away")
            except Exception:  # the socket closed meanwhile: nobody left to tell
                logger.debug("A pushed refresh found its socket gone", exc_info=True)
                return
            await asyncio.sleep(self.window)
            if not self.again:
                return

    def cancel(self) -> None:
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()


def measured(function: Any) -> Any:
    """`function`, telling the process's load how long it waited for the database thread."""
    queued = time.monotonic()

    def run(*args: Any, **kwargs: Any) -> Any:
        LOAD.hop_started(time.monotonic() - queued)
        return function(*args, **kwargs)

    return run


async def sleep_and_measure(seconds: float) -> None:
    """Sleep; how much later than planned it woke tells how far behind the event loop is."""
    planned = time.monotonic() + seconds
    await asyncio.sleep(seconds)
    LOAD.overslept(time.monotonic() - planned)


def _kind_of(text: str | None) -> str:
    """The frame's type, if it has one (the frame is validated properly later)."""
    try:
        frame = json.loads(text or "")
    except ValueError:
        return ""
    kind = frame.get("type") if isinstance(frame, dict) else None
    return kind if isinstance(kind, str) else ""


class _JsonSocket(InTurnWebsocketConsumer):
    hellos: list[float] | None = None
    accepted: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The frames' work, oldest first (`in_order`). Lists, here and for the rate limits'
        # stamps: a handful of entries, and an empty deque takes 700 bytes on every socket.
        self.chain: list[asyncio.Task[None]] = []

    async def dispatch(self, message: dict[str, Any]) -> None:
        """As channels does, without closing old database connections before every frame
        and every group event: that was a hop to the database thread per event, also for
        typing hints and broadcasts that touch no database. Every database call of these
        sockets runs through `database_sync_to_async`, which closes them itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def call_service(self, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Run a service on the database thread (one hop) and send what it published on
        the event loop afterwards — what committed is published even when it then failed."""
        published: events.Published = []

        def work() -> Any:
            with events.collecting() as collected:
                try:
                    return function(*args, **kwargs)
                finally:
                    published.extend(collected)

        try:
            return await database_sync_to_async(measured(work))()
        finally:
            LOAD.evaluate()
            await events.apublish(published, self.channel_layer)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """While the channel layer (Redis) cannot be reached, a socket is answered — not a
        500 — with `unavailable` and CLOSE_TRY_AGAIN_LATER: the page says the chat is briefly
        away, shows the phone number, and connects again by itself (Issue 13.6)."""
        try:
            await super().__call__(scope, receive, send)
        except unreachable_errors():
            logger.warning("The channel layer cannot be reached: socket told to try again later")
            with contextlib.suppress(Exception):
                await self.disconnect(CLOSE_TRY_AGAIN_LATER)
            with contextlib.suppress(Exception):
                if not self.accepted:
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.send", "text": json.dumps({"type": "unavailable"})})
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})

    async def accept(self, subprotocol: str | None = None, headers: Any = None) -> None:
        await super().accept(subprotocol, headers)
        self.accepted = True

    async def in_order(self, work: Any) -> None:
        """Run `work()` after the work of the frames before it, without holding up the socket.

        A frame that waits for the database thread must not stop the socket from reading:
        the server's keepalive pings are answered among the frames, and uvicorn stops reading
        once 32 frames wait unread — a busy process then hung up (1011) on sockets whose pong
        it never read (ADR 0036). So frames are read at once and their work is chained —
        up to MAX_PENDING_FRAMES: a client that sends faster than that waits until the oldest
        is done (not the newest: behind a database a minute behind, that was a minute unread)."""
        chain = self.chain
        while len(chain) >= MAX_PENDING_FRAMES:
            await asyncio.wait([chain[0]])
        previous = chain[-1] if chain else None

        async def run() -> None:
            if previous is not None and not previous.done():
                await asyncio.wait([previous])
            try:
                await work()
            except unreachable_errors():
                logger.warning(
                    "The channel layer cannot be reached: socket told to try again later"
                )
                with contextlib.suppress(Exception):
                    await self.send_json({"type": "unavailable"})
                    await self.close(code=CLOSE_TRY_AGAIN_LATER)
            except Exception:
                logger.exception("A socket's frame failed")

        task = asyncio.create_task(run())
        chain.append(task)
        task.add_done_callback(chain.remove)

    async def send_json(self, content: dict[str, Any]) -> None:
        try:
            await self.send(text_data=json.dumps(content, ensure_ascii=False))
        except OSError:
            # The client went away a moment ago and the server says so on the next send
            # (uvicorn: ClientDisconnected). Its disconnect follows and ends this socket;
            # taken for a channel layer that is away (`__call__`), it only misled the log.
            logger.debug("A frame for a socket that just closed was dropped")

    async def send_error(self, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "message": message, **extra})

    async def refuse(self, error: BadFrame, text_data: str | None) -> None:
        """Answer a frame that was not carried out: for good, or "retry after" seconds."""
        extra: dict[str, Any] = {"key": _key_of(text_data)}
        if isinstance(error, TryAgain):
            extra.update(retry_after=error.retry_after, about=error.about)
        await self.send_error(str(error), **extra)

    async def access_changed(self, event: dict[str, Any]) -> None:
        return None  # the visitor's socket is bound to its browser session, not to a login

    def hello_slot(self) -> None:
        """A page asks for the history a few times, not hundreds: count this ask."""
        if self.hellos is None:
            self.hellos = []
        wait = take_slot(self.hellos, limit=HELLO_LIMIT, window=HELLO_WINDOW)
        if wait:
            raise TryAgain(
                _("Het gesprek wordt al opgehaald. Even geduld."), retry_after=wait, about="hello"
            )

    @staticmethod
    def read_history(
        conversation: Conversation, after: int, *, for_visitor: bool, reader: User | None = None
    ) -> dict[str, Any]:
        messages, upto = selectors.transcript_after(
            conversation, after=after, for_visitor=for_visitor, reader=reader
        )
        return {
            "type": "history",
            "messages": [messaging.serialise(m) for m in messages],
            "upto": upto,
        }

    async def history(self, conversation: Conversation, after: int, *, for_visitor: bool) -> None:
        self.hello_slot()
        answer = await database_sync_to_async(self.read_history)(
            conversation, after, for_visitor=for_visitor
        )
        await self.send_json(answer)


class _GuardedSocket(_JsonSocket):
    """A socket of a logged-in person, open only for as long as the policy says yes.

    `admit(user)` is the consumer's own check, the same one at the handshake and after: it
    returns False (or raises AccessDenied, or Http404 for a record that is not there) when
    `user` may not use this socket; a refusal is logged as a 403 page's is.
    Together with the session (`accounts.websocket.verified_user`: logged in, second factor,
    current security stamp, not idle, active) it is asked again before every frame the client
    sends, whenever a service says access changed (`access.changed` on the user's group),
    when a state change comes or a message shows that what decides access to the
    conversation changed (`events.access_key`: moved to another region, the volunteer
    stepped out), and every ACCESS_RECHECK_SECONDS. When the answer is no, the socket
    leaves its groups, closes with CLOSE_LOGIN_GONE, CLOSE_REFUSED or CLOSE_NOT_FOUND, and
    sends nothing more.
    """

    user: User | None = None
    revoked: bool = False
    watchdog: asyncio.Task[None] | None = None
    access: str | None = None  # events.access_key of the conversation shown, if any
    checked_at: float = 0.0  # time.monotonic() of the last check that said yes
    # What the last full check found, confirmed by one statement afterwards (ADR 0036): the
    # session, user, device and memberships (`verified`) and the socket's own record as its
    # `admit` read it (`record`, in the order of `record_state`).
    verified: Verified | None = None
    record: tuple[Any, ...] | None = None
    # Frames whose own database call asks the session and the policy first (`guarded`), in
    # the same hop: a message or a history costs one trip to the database thread, not two.
    CHECKS_ITSELF = frozenset({"send", "hello"})
    # Frames that carry and read no data: never a check, never a trip (ADR 0036). Access
    # that ends reaches the socket as a push (`access.changed`, state events, access keys)
    # or at the backstop, and closes it then.
    UNCHECKED = frozenset({"typing"})

    def admit(self, user: User) -> bool:
        raise NotImplementedError

    def record_state(self) -> dict[str, Any]:
        """Expressions reading what `admit` decided on in the socket's own record (such as the
        conversation's region), in the statement of the quick check. Nothing by default."""
        return {}

    def record_admitted(self) -> tuple[Any, ...]:
        """The same values as `admit` found them, in the order of `record_state`."""
        return ()

    def groups_for(self) -> list[str]:
        """The groups to join once admitted, besides the user's own."""
        return []

    def _check(self, *, full: bool = False) -> int | None:
        """Is the answer still yes? One statement when nothing that decides it changed since
        the last full check; the full check (session, user, device, `admit`) otherwise."""
        if not full and self.verified is not None and self.user is not None:
            found = still_current(self.verified, self.record_state)
            if found is not None and found == self.record:
                self.checked_at = time.monotonic()
                return None
        return self._full_check()

    def _full_check(self) -> int | None:
        verified = verify(self.scope)
        user = verified.user if verified is not None else None
        self.verified = None
        if user is None or (self.user is not None and user.pk != self.user.pk):
            return CLOSE_LOGIN_GONE
        try:
            allowed = self.admit(user)
            refusal: AccessDenied | None = None
        except AccessDenied as error:
            allowed, refusal = False, error
        except Http404:
            return CLOSE_NOT_FOUND
        if not allowed:
            record_unlogged_refusal(refusal, user=user, kind="socket", path=self.scope["path"])
            return CLOSE_REFUSED
        assert verified is not None
        verified.remember_policy_inputs()
        self.verified, self.record = verified, self.record_admitted()
        self.user = user
        self.checked_at = time.monotonic()
        return None

    async def guarded(self, function: Any, /, *, activity: bool = True) -> tuple[bool, Any]:
        """Check the session and the policy, count the frame as activity (unless `activity`
        is False), and run `function` — in one hop. (False, None) when the answer was no: the
        socket is then closed."""
        if self.revoked:
            return False, None

        def work() -> tuple[int | None, Any]:
            code = self._check()
            if code is not None:
                return code, None
            verified = self.verified  # what the check just confirmed
            assert verified is not None
            # The idle mark as the check just read it: written again only once it is older
            # than SESSION_TOUCH_SECONDS — not at every socket's first message (a thousand
            # staff sockets opened together then wrote their sessions in the same seconds).
            if activity and time.time() - verified.last_seen >= SESSION_TOUCH_SECONDS:
                touch(self.scope)
                verified.last_seen = int(time.time())
            return None, function()

        code, result = await self.call_service(work)
        if code is not None:
            await self.revoke(code)
            return False, None
        return True, result

    async def connect(self) -> None:
        self.groups_joined: list[str] = []
        code = await database_sync_to_async(self._check)()
        if code is not None:
            await self.close(code=code)
            return
        assert self.user is not None
        for group in [user_group(self.user.pk), *self.groups_for()]:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        self.watchdog = asyncio.create_task(self.watch())

    async def disconnect(self, code: int) -> None:
        if self.watchdog is not None and self.watchdog is not asyncio.current_task():
            self.watchdog.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = []

    async def still_allowed(self, *, full: bool = False) -> bool:
        """Ask the session and the policy again; close the socket when they say no. `full`:
        the whole check even when the quick one would confirm (a service said so)."""
        if self.revoked:
            return False
        code = await database_sync_to_async(self._check)(full=full)
        if code is None:
            return True
        await self.revoke(code)
        return False

    async def revoke(self, code: int) -> None:
        if self.revoked:
            return
        self.revoked = True
        await self.disconnect(code)
        await self.close(code=code)

    async def watch(self) -> None:
        while True:
            # Spread over the sockets, so that they do not all ask in the same second.
            await sleep_and_measure(ACCESS_RECHECK_SECONDS * random.uniform(0.75, 1.0))  # noqa: S311
            if time.monotonic() - self.checked_at < ACCESS_RECHECK_SECONDS / 2:
                continue  # a message was checked meanwhile
            try:
                if not await self.still_allowed():
                    return
            except DatabaseError:
                # The database is briefly away: nothing can be written or read meanwhile, so
                # nothing new reaches this socket; ask again next round. Ending the loop here
                # would leave the socket unchecked for the rest of its life.
                logger.warning("Could not recheck a socket's access: the database is away")

    async def send_json(self, content: dict[str, Any]) -> None:
        if not self.revoked:  # events already on their way when access ended go nowhere
            await super().send_json(content)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.revoked:
            return
        kind = _kind_of(text_data)
        if kind in self.UNCHECKED:
            # A typing hint carries no data and reads none, so it costs no check and no trip
            # to the database thread: when access ends, the push (or the backstop) closes the
            # socket (ADR 0036).
            await self.receive_frame(text_data)
            return
        await self.in_order(lambda: self.checked_frame(kind, text_data))

    async def checked_frame(self, kind: str, text_data: str | None) -> None:
        if self.revoked:
            return
        if kind in self.CHECKS_ITSELF:
            await self.receive_frame(text_data)  # a message or a history asks in its own hop
            return
        try:
            allowed = await self.still_allowed()
        except DatabaseError:
            # Not carried out, and "not now" rather than a crashed socket: the page keeps the
            # message and sends it again after the wait (ADR 0026), as on the visitor's side.
            await self.refuse(database_away(), text_data)
            return
        if allowed:
            await self.receive_frame(text_data)

    async def receive_frame(self, text_data: str | None) -> None:
        raise NotImplementedError

    async def may_pass(self, event: dict[str, Any]) -> bool:
        """May this conversation event reach the client? Asks again when its access changed."""
        access = event.get("access")
        if access is None or access == self.access:
            return not self.revoked
        return await self.still_allowed()

    # --- group events ---

    async def access_changed(self, event: dict[str, Any]) -> None:
        # A service said who this user is changed: the full check, not the quick one.
        await self.still_allowed(full=True)


class VisitorChatConsumer(_JsonSocket):
    conversation: Conversation | None = None
    status: str = ""
    ticker: asyncio.Task[None] | None = None
    superseded: bool = False
    send_hold_until: float = 0.0
    waiting_in: str | None = None  # the queue group heard while waiting
    pushed: Coalesced | None = None
    telling: set[asyncio.Task[None]]

    async def connect(self) -> None:
        session = session_of(self.scope)
        if session is not None:
            self.conversation = await database_sync_to_async(selectors.visitor_conversation)(
                session
            )
        if self.conversation is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = events.conversation_group(self.conversation.pk)
        self.telling = set()
        self.sent: list[float] = []
        self.last_typing = 0.0
        self.status = self.conversation.status
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.pushed = Coalesced(self.send_state, QUEUE_COALESCE_SECONDS)
        await self.follow_queue(self.conversation.region_id)
        await self.accept()
        LOAD.opened(self.conversation.pk, self, self.tell_busy)
        if LOAD.busy:
            self.tell_busy(True)
        await self.supersede_older_sockets()
        await self.call_service(
            presence.visitor_connected, conversation=self.conversation, connected=True
        )
        self.ticker = asyncio.create_task(self.tick())

    def tell_busy(self, busy: bool) -> None:
        """The process turned busy, or calm again: the page shows (or clears) a calm notice
        that messages arrive, only later (ADR 0036). Called on the event loop."""
        task = asyncio.create_task(self.send_json({"type": "busy", "busy": busy}))
        self.telling.add(task)
        task.add_done_callback(self.telling.discard)

    async def follow_queue(self, region_id: int | None) -> None:
        """While waiting, hear the changes of the queue waited in (pushed, not polled);
        afterwards, and after a move to another queue, only the right one or none."""
        wanted = (
            events.queue_group(region_id)
            if region_id is not None and self.status == ConversationStatus.WAITING
            else None
        )
        if wanted == self.waiting_in:
            return
        if self.waiting_in is not None:
            await self.channel_layer.group_discard(self.waiting_in, self.channel_name)
        if wanted is not None:
            await self.channel_layer.group_add(wanted, self.channel_name)
        self.waiting_in = wanted

    async def supersede_older_sockets(self) -> None:
        """At most CHAT_VISITOR_MAX_SOCKETS open per chat: the newest wins (a reconnect on a
        new network must get in while the old connection is not yet known to be dead); the
        oldest is told to close. Kept in the cache, so it holds across web processes."""
        assert self.conversation is not None
        key = visitor_sockets_key(self.conversation.pk)
        try:
            live = [c for c in await cache.aget(key, []) if c != self.channel_name]
            live.append(self.channel_name)
            keep = settings.CHAT_VISITOR_MAX_SOCKETS
            superseded, live = live[:-keep], live[-keep:]
            await cache.aset(key, live, timeout=VISITOR_SOCKETS_TTL)
        except Exception:  # the cache is briefly away: the chat goes on without the count
            logger.warning("Could not count the visitor's sockets", exc_info=True)
            return
        for channel in superseded:
            await self.channel_layer.send(channel, {"type": "socket.superseded"})

    async def forget_socket(self) -> None:
        assert self.conversation is not None
        key = visitor_sockets_key(self.conversation.pk)
        try:
            live = await cache.aget(key, [])
            if self.channel_name in live:
                live.remove(self.channel_name)
                await cache.aset(key, live, timeout=VISITOR_SOCKETS_TTL)
        except Exception:  # a stale name only costs a harmless close message later
            logger.warning("Could not update the visitor's sockets", exc_info=True)

    async def socket_superseded(self, event: dict[str, Any]) -> None:
        self.superseded = True  # the visitor is still here, in a newer window
        if self.ticker is not None:
            self.ticker.cancel()
        if self.pushed is not None:
            self.pushed.cancel()
        await self.follow_queue(None)
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.close(code=CLOSE_SUPERSEDED)

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
        if self.pushed is not None:
            self.pushed.cancel()
        if self.conversation is not None:
            LOAD.closed(self.conversation.pk, self)
            await self.forget_socket()
            await self.follow_queue(None)
            await self.channel_layer.group_discard(self.group, self.channel_name)
            if not self.superseded:
                await self.call_service(
                    presence.visitor_connected, conversation=self.conversation, connected=False
                )

    async def tick(self) -> None:
        """While waiting: keep the queue position fresh and overflow when nobody comes.
        Afterwards: say now and then that the visitor is still connected."""
        assert self.conversation is not None
        conversation = self.conversation
        since_presence = 0.0
        while True:
            await sleep_and_measure(VISITOR_TICK_SECONDS)
            since_presence += VISITOR_TICK_SECONDS
            try:
                if self.status == ConversationStatus.WAITING:
                    state = await self.call_service(self._waiting_tick, conversation)
                    self.status = state["status"]
                    await self.follow_queue(state.pop("region"))
                    if self.status == ConversationStatus.WAITING:
                        await self.send_json(state)
                    since_presence = 0.0
                elif since_presence >= VISITOR_PRESENCE_SECONDS:
                    await self.call_service(
                        presence.visitor_connected, conversation=conversation, connected=True
                    )
                    since_presence = 0.0
            except DatabaseError:
                # A database briefly away must not stop the ticking for good: a waiting
                # child's position and the overflow to the national desk hang on it.
                logger.warning("The visitor's tick skipped a round: the database is away")

    @staticmethod
    def _waiting_tick(conversation: Conversation) -> dict[str, Any]:
        presence.visitor_connected(conversation=conversation, connected=True)
        conversation.refresh_from_db()
        if conversation.status == ConversationStatus.WAITING:
            queue.overflow_if_due(conversation=conversation)
        return {**visitor_state(conversation), "region": conversation.region_id}

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if _kind_of(text_data) == "typing":
            await self.visitor_frame(text_data)  # no database: at once
        else:
            await self.in_order(lambda: self.visitor_frame(text_data))

    async def visitor_frame(self, text_data: str | None) -> None:
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
                        self.group, {"type": "chat.typing", "sender": Sender.VISITOR.value}
                    )
            elif kind == "leave":
                await self.call_service(services.leave_chat, conversation=self.conversation)
            else:
                raise BadFrame(_("Onbekend soort bericht."))
        except DatabaseError:
            await self.refuse(database_away(), text_data)
        except BadFrame as error:
            await self.refuse(error, text_data)
        except services.ChatError as error:
            await self.send_error(str(error), key=_key_of(text_data))

    async def visitor_send(self, frame: dict[str, Any]) -> None:
        assert self.conversation is not None
        # Once one message is told to wait, every later one waits too, until the same moment:
        # otherwise a slot freed halfway through a burst lets a later message in before an
        # earlier one, and the conversation reads out of order.
        wait = self.send_hold_until - time.monotonic()
        if wait <= 0:
            wait = take_slot(self.sent, limit=SEND_LIMIT, window=SEND_WINDOW)
        if wait > 0:
            self.send_hold_until = max(self.send_hold_until, time.monotonic() + wait)
            # Not a refusal: a resume after a reconnect sends the whole outbox at once, and
            # every message of it must still arrive (Issue 13.1). The page waits and resends.
            raise TryAgain(
                _("Je stuurt heel snel berichten. Wacht even en probeer het opnieuw."),
                retry_after=wait,
            )
        try:
            message = await self.call_service(
                services.send_visitor_message,
                conversation=self.conversation,
                body=text_field(frame, "body"),
                client_key=text_field(frame, "key"),
            )
        except DatabaseError:
            self.send_hold_until = time.monotonic() + DATABASE_RETRY_SECONDS
            raise
        # The broadcast brings it too; this answer confirms a retried send whose
        # broadcast was missed while the connection was down.
        await self.send_json({"type": "ack", "key": message.client_key, "seq": message.sequence})

    async def send_state(self) -> None:
        assert self.conversation is not None

        def read(conversation: Conversation) -> dict[str, Any]:
            return {**visitor_state(conversation), "region": conversation.region_id}

        state = await database_sync_to_async(read)(self.conversation)
        self.status = state["status"]
        await self.follow_queue(state.pop("region"))
        await self.send_json(state)

    # --- group events ---

    async def chat_message(self, event: dict[str, Any]) -> None:
        if event["message"]["kind"] != MessageKind.NOTE:
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

    async def queue_changed(self, event: dict[str, Any]) -> None:
        """The queue waited in changed: the place in it may have too (pushed, ADR 0029)."""
        if self.pushed is not None and self.status == ConversationStatus.WAITING:
            self.pushed.poke()

    async def queue_row(self, event: dict[str, Any]) -> None:
        """A chat came, moved or went (ADR 0035): to a waiting visitor, only a change."""
        await self.queue_changed(event)


def _key_of(text: str | None) -> str:
    try:
        frame = json.loads(text or "")
        key = frame.get("key", "") if isinstance(frame, dict) else ""
        key = key if isinstance(key, str) else ""
        key.encode("utf-8")  # only a key that can be sent back is sent back
        return key
    except (ValueError, UnicodeEncodeError):
        return ""


class _ConversationSocket(_GuardedSocket):
    """A member of staff or a volunteer in one conversation: the frames they send are the
    same; who they are (`sender`), what they see and which service stores their message
    differ."""

    conversation: Conversation | None = None
    sender: Sender
    for_visitor: bool  # the history as the visitor sees it (no staff notes)

    def send_message(self, **kwargs: Any) -> Message:
        raise NotImplementedError

    def groups_for(self) -> list[str]:
        assert self.conversation is not None
        self.group = events.conversation_group(self.conversation.pk)
        self.last_typing = 0.0
        return [self.group]

    async def receive_frame(self, text_data: str | None) -> None:
        assert self.conversation is not None and self.user is not None
        try:
            frame = parse_frame(text_data)
            kind = frame["type"]
            if kind == "hello":
                after = sequence_from(frame)
                self.hello_slot()
                allowed, answer = await self.guarded(
                    lambda: self.hello_answer(after), activity=False
                )
                if not allowed:
                    return
                for content in answer:
                    await self.send_json(content)
            elif kind == "send":
                send = self.send_message
                body, key = text_field(frame, "body"), text_field(frame, "key")
                allowed, message = await self.guarded(
                    # self.conversation and self.user as the check just found them
                    lambda: send(
                        conversation=self.conversation, by=self.user, body=body, client_key=key
                    )
                )
                if not allowed:
                    return
                await self.send_json(
                    {"type": "ack", "key": message.client_key, "seq": message.sequence}
                )
            elif kind == "typing":
                now = time.monotonic()
                if now - self.last_typing > 1.0:
                    self.last_typing = now
                    await self.channel_layer.group_send(
                        self.group, {"type": "chat.typing", "sender": self.sender.value}
                    )
            else:
                raise BadFrame(_("Onbekend soort bericht."))
        except DatabaseError:
            await self.refuse(database_away(), text_data)
        except BadFrame as error:
            await self.refuse(error, text_data)
        except (services.ChatError, AccessDenied) as error:
            await self.send_error(str(error), key=_key_of(text_data))

    def hello_answer(self, after: int) -> list[dict[str, Any]]:
        """The history after `after` and the state: what a (re)connecting page is sent."""
        assert self.conversation is not None
        history = self.read_history(
            self.conversation, after, for_visitor=self.for_visitor, reader=self.user
        )
        return [history, staff_state(self.conversation)]

    def record_state(self) -> dict[str, Any]:
        assert self.conversation is not None
        return selectors.conversation_access(self.conversation.pk)

    def record_admitted(self) -> tuple[Any, ...]:
        conversation = self.conversation
        assert conversation is not None
        return tuple(getattr(conversation, field) for field in selectors.ACCESS_FIELDS)

    def current_state(self) -> dict[str, Any]:
        assert self.conversation is not None
        return staff_state(self.conversation)

    async def chat_state(self, event: dict[str, Any]) -> None:
        """A state change may be a transfer to another region, or the volunteer stepping out
        (or the chat closing): ask again (in the same hop) before telling; once the answer is
        no, the socket ends and nothing more of the conversation reaches it."""
        allowed, state = await self.guarded(self.current_state, activity=False)
        if allowed:
            await self.send_json(state)

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.sender:
            await self.send_json({"type": "typing"})


class StaffChatConsumer(_ConversationSocket):
    """An employee in one conversation, while they may handle chats of its region."""

    sender = Sender.EMPLOYEE
    for_visitor = False

    def send_message(self, **kwargs: Any) -> Message:
        return services.send_employee_message(**kwargs)

    def admit(self, user: User) -> bool:
        self.conversation = selectors.conversation_for_staff(
            user=user,
            conversation_id=self.scope["url_route"]["kwargs"]["conversation_id"],
            log=False,
            related=False,  # kept for the socket's life; its related rows are never read
        )
        self.access = events.access_key(self.conversation)
        return True

    async def chat_message(self, event: dict[str, Any]) -> None:
        if await self.may_pass(event):
            await self.send_json({"type": "message", "message": event["message"]})

    async def chat_presence(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "presence", "visitor_connected": event["visitor_connected"]})


# A pushed row waits this long for the other queue pages of this process that are shown the
# same change, so that all their views are logged in one hop and one chain step (ADR 0035).
ROW_LOG_GATHER_SECONDS = 0.02


class _RowBatch:
    def __init__(self, event: dict[str, Any]) -> None:
        self.event = event
        self.viewers: list[tuple[User, AuditContext | None]] = []
        self.done: asyncio.Future[set[int]] = asyncio.get_running_loop().create_future()


class RowViews:
    """Logs who is shown a pushed queue row, before it is sent, for every queue page of this
    process at once: one `record_accesses` (one hop, one lock of the chain's head) per change,
    with an entry per viewer — found by their name and by the chat's id like any other view.
    A viewer the policy no longer admits for the chat is neither logged nor shown it."""

    def __init__(self) -> None:
        self.pending: dict[tuple[int, int, int], _RowBatch] = {}

    async def shown(self, socket: StaffQueueConsumer, event: dict[str, Any]) -> bool:
        assert socket.user is not None
        key = (id(asyncio.get_running_loop()), event["region"], event["seq"])
        batch = self.pending.get(key)
        if batch is None:
            batch = self.pending[key] = _RowBatch(event)
            task = asyncio.create_task(self._flush(key, batch))
            _BACKGROUND.add(task)
            task.add_done_callback(_BACKGROUND.discard)
        batch.viewers.append((socket.user, socket.audit))
        return socket.user.pk in await asyncio.shield(batch.done)

    async def _flush(self, key: tuple[int, int, int], batch: _RowBatch) -> None:
        logged: set[int] = set()
        try:
            await asyncio.sleep(ROW_LOG_GATHER_SECONDS)
            self.pending.pop(key, None)
            logged = await asyncio.get_running_loop().run_in_executor(
                _ROW_LOG_LANE, _with_fresh_connection, self._log, batch.event, batch.viewers
            )
        except DatabaseError:
            logger.warning("A pushed queue row was not shown: its views could not be logged")
        finally:
            self.pending.pop(key, None)
            if not batch.done.done():
                batch.done.set_result(logged)  # nobody waits for ever; unlogged: not shown

    @staticmethod
    def _log(event: dict[str, Any], viewers: list[tuple[User, AuditContext | None]]) -> set[int]:
        # The policy's own question, on the chat as the row shows it (its id and region).
        chat = Conversation(pk=event["conversation"], region_id=event["region"])
        admitted = [(user, audit) for user, audit in viewers if may(user, Action.HANDLE_CHAT, chat)]
        record_accesses(
            [
                Access(
                    user=user,
                    obj=chat,
                    roles=roles_for(user, Action.HANDLE_CHAT, chat),
                    audit=audit,
                    reason="wachtrij bijgewerkt",
                )
                for user, audit in admitted
            ]
        )
        return {user.pk for user, _audit in admitted}


# The views of pushed rows are logged on a thread of their own, not on the sockets' database
# thread: behind a backlog of messages there, a new chat reached the queue pages seconds
# later than the page fetch it replaces (an HTTP request runs on a thread of its own too).
_ROW_LOG_LANE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vangnet-row-views")


def _with_fresh_connection(function: Any, /, *args: Any) -> Any:
    """As `database_sync_to_async` does around a call: no stale database connection."""
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


ROW_VIEWS = RowViews()
_BACKGROUND: set[asyncio.Task[None]] = set()


class StaffQueueConsumer(_GuardedSocket):
    """An employee's queue page: told when a queue changes; keeps their availability alive.

    What it is told depends on the page (`?view=` in the socket's address, ADR 0035):
    `rows` (the queue page) gets each change as it is — the row of a chat that now waits,
    shown only once its view is logged, or the id of the row that goes — numbered per
    region, so that a page that missed one fetches the queue again; `count` (the console)
    gets the number waiting per region; any other page (the floor, the conversation page's
    presence) hears `queue.changed`, coalesced. All of them hear `queue.changed` when their
    own chats changed or for what has no row (a phone handover)."""

    ticker: asyncio.Task[None] | None = None
    regions: frozenset[int] = frozenset()
    changes: Coalesced | None = None
    view: str = "changes"
    audit: AuditContext | None = None

    def admit(self, user: User) -> bool:
        self.regions = frozenset(selectors.chat_regions(user))
        return bool(self.regions)

    def groups_for(self) -> list[str]:
        return [events.queue_group(region_id) for region_id in sorted(self.regions)]

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        wanted = (query.get("view") or [""])[0]
        self.view = wanted if wanted in ("rows", "count") else "changes"
        self.audit = AuditContext(ip_address=(self.scope.get("client") or [None])[0])
        self.changes = Coalesced(self.tell_changed, QUEUE_COALESCE_SECONDS)
        await super().connect()
        if self.user is not None and not self.revoked:
            self.ticker = asyncio.create_task(self.tick())

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None and self.ticker is not asyncio.current_task():
            self.ticker.cancel()
        if self.changes is not None:
            self.changes.cancel()
        await super().disconnect(code)

    async def still_allowed(self, *, full: bool = False) -> bool:
        if not await super().still_allowed(full=full):
            return False
        # A role gained or lost in one region changes which queues this page hears.
        wanted = {events.queue_group(region_id) for region_id in self.regions}
        joined = {group for group in self.groups_joined if group.startswith("chat.q.")}
        for group in joined - wanted:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups_joined.remove(group)
        for group in sorted(wanted - joined):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        return True

    async def tick(self) -> None:
        while not self.revoked:
            assert self.user is not None
            numbered = self.regions if self.view == "rows" else frozenset()
            try:
                numbers = await self.call_service(self._tick_sync, self.user, numbered)
            except DatabaseError:
                # Skip a round, not the rest: this is the employee's availability heartbeat,
                # and an employee who stops beating looks away and her queue overflows.
                logger.warning("The queue's tick skipped a round: the database is away")
            else:
                if numbers:
                    # Events are delivered at most once: a page that missed the last change
                    # of a quiet queue would otherwise show it only at the next change.
                    await self.send_json({"type": "queue.numbers", "numbers": numbers})
            await sleep_and_measure(QUEUE_TICK_SECONDS)

    @staticmethod
    def _tick_sync(user: User, numbered: frozenset[int]) -> dict[int, int]:
        """The heartbeat and the sweep; the queues' current numbers (`numbered`'s regions)."""
        presence.heartbeat(user=user)
        # The worker sweeps on its own (chat/tasks.py); an open queue sweeps too (no worker
        # in `make demo`) and mends the worker's chain when a crash broke it.
        queue.sweep_waiting_chats()
        tasks.ensure_sweep_scheduled()
        return queue_push.numbers(set(numbered)) if numbered else {}

    async def receive_frame(self, text_data: str | None) -> None:
        await self.send_error(_("Deze verbinding ontvangt alleen."))

    async def queue_changed(self, event: dict[str, Any]) -> None:
        # The page fetches the queue anew for each of these: a burst of changes (a chat
        # arrives and is accepted at once) is told as one, or two, not one per change.
        if event.get("about") == "availability" and self.view != "changes":
            return  # only the floor shows who is available
        assert self.changes is not None
        self.changes.poke()

    async def queue_row(self, event: dict[str, Any]) -> None:
        """A chat came into, moved in or left a queue this socket hears (ADR 0035)."""
        if self.revoked or self.user is None:
            return
        mine = event.get("assignee") == self.user.pk
        if self.view == "changes":
            await self.queue_changed(event)
            return
        told = {
            "region": event["region"],
            "seq": event["seq"],
            "conversation": event["conversation"],
            "count": event["count"],
            "mine": mine,
        }
        if self.view == "count":
            await self.send_json({"type": "queue.count", **told})
            return
        shown = event.get("row")
        if shown is not None and not await ROW_VIEWS.shown(self, event):
            # Not logged (the database is away, or the policy said no): not shown. The page
            # misses this number and fetches the queue, which logs what it shows.
            return
        await self.send_json({"type": "queue.row", **told, "row": shown})

    async def tell_changed(self) -> None:
        await self.send_json({"type": "queue.changed"})


class VolunteerChatConsumer(_ConversationSocket):
    """The helpline volunteer in a warm-handover chat, for as long as they take part."""

    sender = Sender.VOLUNTEER
    for_visitor = True
    handover_record: tuple[Any, ...] = ()

    def send_message(self, **kwargs: Any) -> Message:
        return services.send_volunteer_message(**kwargs)

    def admit(self, user: User) -> bool:
        handover = self._handover(user, self.scope["url_route"]["kwargs"]["handover_id"])
        if handover is None:
            return False
        self.conversation = handover.conversation
        self.handover_record = (handover.requested_by_id, handover.conversation_id)
        self.access = events.access_key(self.conversation)
        return True

    def record_state(self) -> dict[str, Any]:
        # The handover's own row decides too: whose it is and which chat it is about.
        handover_id = self.scope["url_route"]["kwargs"]["handover_id"]
        return {**super().record_state(), **selectors.handover_access(handover_id)}

    def record_admitted(self) -> tuple[Any, ...]:
        return (*super().record_admitted(), *self.handover_record)

    @staticmethod
    def _handover(user: User, handover_id: int) -> Handover | None:
        """The volunteer's own handover, while they take part in its chat."""
        try:
            handover = selectors.partner_handover(principal=user, handover_id=handover_id)
        except (AccessDenied, Http404):
            return None
        if handover.conversation is None or not handover.conversation.volunteer_present:
            return None
        return handover

    async def chat_message(self, event: dict[str, Any]) -> None:
        if not await self.may_pass(event):
            return
        if event["message"]["kind"] != MessageKind.NOTE:
            await self.send_json({"type": "message", "message": event["message"]})
        else:  # a staff note: only its number, so the page sees no gap
            await self.send_json({"type": "skip", "seq": event["message"]["seq"]})

    async def chat_presence(self, event: dict[str, Any]) -> None:
        return None
