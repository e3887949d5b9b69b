"""Chaos: the child's chat loses nothing and shows nothing twice when the deployment breaks.

Issue 13's proof. A private PostgreSQL and a private Redis (started here, on free ports, in a
temporary folder: the machine's shared ones are never touched), two uvicorn processes on
them, and a scripted visitor and employee that speak the protocol of `chat.js` (hello with
the last sequence seen, send with an idempotency key, send again what has no ack after a
reconnect, honour `retry_after`, ask again on a gap). Each reaches its server through a
small load balancer of our own (the visitor's prefers one process, the employee's the
other; either falls over to the other process), which can also cut the visitor's network.

One conversation lives through every fault in turn, both sides typing all the while:
kill -9 of either server process, Redis restarted, PostgreSQL stopped for 5 s, the
visitor's network cut for 30 s. After each, both screens and the database's `chat_message`
rows hold every message sent exactly once, in sequence order, without a gap.

Needs Debian's `postgresql` and `redis-server` packages (`.ci/run` installs them). Without
them the module is skipped on a developer's machine and fails under CI=true. It does not
use DATABASE_URL or REDIS_URL: it runs the same on both passes of `.ci/run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from vangnet.testing.servers import PrivateRedis, WebProcess, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
IN_CI = os.environ.get("CI", "").lower() in {"true", "1", "yes"}
MISSING = (
    "needs redis-server and PostgreSQL's server binaries (Debian packages redis-server and "
    "postgresql)"
)

if REDIS_SERVER is None or PG_BIN is None or not (PG_BIN / "initdb").exists():
    if IN_CI:
        raise RuntimeError(f"The chat's chaos test {MISSING}; CI must provide them.")
    pytestmark = pytest.mark.skip(reason=MISSING)

# How fast each side types (seconds between messages). The visitor stays under the socket's
# flood limit when the line is good (10 in 10 s); a resume after a fault goes over it, and
# `retry_after` must then bring every message through.
VISITOR_TYPES_EVERY, EMPLOYEE_TYPES_EVERY = 1.5, 1.0
# A client connects again as chat.js does: after 0.5 s, doubling to 8 s.
RECONNECT_FIRST, RECONNECT_MAX = 0.5, 8.0
# After typing stops, how long both screens may take to hold everything.
SETTLE_SECONDS = 60.0


# --- private services --------------------------------------------------------------------


class PrivatePostgres:
    """A throwaway cluster owned by the `postgres` user (initdb refuses to run as root)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vangnet-chaos-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str) -> None:
        assert PG_BIN is not None
        subprocess.run(
            [*self.as_postgres, str(PG_BIN / command[0]), *command[1:]],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "log")
        self.run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "30", "start"
        )
        if not wait_for_port(self.port, 30):
            raise RuntimeError("the private PostgreSQL did not start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the network between the clients and the servers ------------------------------------


class Balancer:
    """A TCP load balancer on 127.0.0.1: each connection goes to the first upstream that
    answers. `cut()` is a dead network: nothing passes either way, new connections hang;
    `restore()` ends the connections that lived through the cut (the phone is on another
    network now: the old connections are gone) and lets new ones through again."""

    def __init__(self, upstreams: list[int]):
        self.upstreams = upstreams
        self.is_cut = False
        self.doomed: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.is_cut:
            self.doomed.add(writer)
            return
        for port in self.upstreams:
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                continue
        else:
            writer.close()
            return
        pair = (writer, up_writer)
        await asyncio.gather(self.pump(reader, up_writer, pair), self.pump(up_reader, writer, pair))

    async def pump(
        self,
        source: asyncio.StreamReader,
        target: asyncio.StreamWriter,
        pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter],
    ) -> None:
        try:
            while data := await source.read(65536):
                if self.is_cut or pair[0] in self.doomed:
                    self.doomed.update(pair)  # what is lost on the way breaks the connection
                    continue
                target.write(data)
                await target.drain()
        except OSError:
            pass
        finally:
            for writer in pair:
                writer.close()

    def cut(self) -> None:
        self.is_cut = True

    def restore(self) -> None:
        self.is_cut = False
        for writer in self.doomed:
            writer.close()
        self.doomed.clear()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            self.restore()


# --- a scripted visitor and employee --------------------------------------------------------


@dataclass
class ChatClient:
    """What `static/vangnet/chat.js` does, without a browser."""

    name: str
    sender: str  # what the server calls this side's messages
    port: Callable[[], int]
    path: str
    cookie: str
    last_seq: int = 0
    screen: list[tuple[int, str, str]] = field(default_factory=list)  # (seq, sender, key)
    outbox: dict[str, str] = field(default_factory=dict)  # key -> body, until acked
    typed: list[str] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    connects: int = 0
    hold_until: float = 0.0
    backoff: float = 0.0
    resend_timer: asyncio.TimerHandle | None = None
    socket: Any = None
    runner: asyncio.Task[None] | None = None
    sending: set[asyncio.Task[None]] = field(default_factory=set)

    def start(self) -> None:
        self.runner = asyncio.create_task(self.run())

    async def stop(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.runner
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()

    async def run(self) -> None:
        import websockets

        delay = RECONNECT_FIRST
        while True:
            host = f"127.0.0.1:{self.port()}"
            try:
                # A browser sends no pings: a dead connection is noticed when it breaks.
                async with websockets.connect(
                    f"ws://{host}{self.path}",
                    additional_headers={"Cookie": self.cookie},
                    origin=f"http://{host}",  # type: ignore[arg-type]
                    ping_interval=None,
                    open_timeout=5,
                    close_timeout=1,
                ) as ws:
                    self.socket = ws
                    self.connects += 1
                    delay = RECONNECT_FIRST
                    self.hello()
                    self.flush_outbox()
                    async for text in ws:
                        self.on_frame(json.loads(text))
            except (OSError, TimeoutError, websockets.WebSocketException):
                pass
            finally:
                self.socket = None
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX)

    def send(self, frame: dict[str, Any]) -> None:
        if self.socket is not None:
            sending = asyncio.create_task(self._send(self.socket, json.dumps(frame)))
            self.sending.add(sending)
            sending.add_done_callback(self.sending.discard)

    @staticmethod
    async def _send(ws: Any, text: str) -> None:
        with contextlib.suppress(Exception):  # a closing socket: the outbox keeps it
            await ws.send(text)

    def hello(self) -> None:
        self.send({"type": "hello", "after": self.last_seq})

    def type(self) -> None:
        key = f"{self.name}-{len(self.typed) + 1}"
        self.typed.append(key)
        self.outbox[key] = f"{self.name} zegt {len(self.typed)}"
        if time.monotonic() >= self.hold_until:
            self.send({"type": "send", "key": key, "body": self.outbox[key]})
        else:
            self.resend_later(self.hold_until - time.monotonic())

    def flush_outbox(self) -> None:
        wait = self.hold_until - time.monotonic()
        if wait > 0:
            self.resend_later(wait)
            return
        for key, body in list(self.outbox.items()):
            self.send({"type": "send", "key": key, "body": body})

    def resend_later(self, wait: float) -> None:
        if self.resend_timer is None:
            self.resend_timer = asyncio.get_running_loop().call_later(wait, self._resend)

    def _resend(self) -> None:
        self.resend_timer = None
        self.flush_outbox()

    def show(self, message: dict[str, Any], *, from_history: bool = False) -> None:
        if message["seq"] <= self.last_seq:
            return  # already shown
        if not from_history and message["seq"] > self.last_seq + 1:
            self.hello()  # a gap: fetch what is missing
            return
        self.last_seq = message["seq"]
        self.screen.append((message["seq"], message["sender"], message.get("key") or ""))
        if message["sender"] == self.sender:
            self.outbox.pop(message.get("key") or "", None)

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "history":
            for message in frame["messages"]:
                self.show(message, from_history=True)
            self.last_seq = max(self.last_seq, frame["upto"])
        elif kind == "skip":
            if frame["seq"] == self.last_seq + 1:
                self.last_seq = frame["seq"]
        elif kind == "message":
            self.show(frame["message"])
        elif kind == "ack":
            self.outbox.pop(frame["key"], None)
            self.backoff = 0.0
        elif kind == "error" and frame.get("about") == "hello" and "retry_after" in frame:
            asyncio.get_running_loop().call_later(frame["retry_after"], self.hello)
        elif kind == "error" and frame.get("key") and "retry_after" in frame:
            if self.resend_timer is None:  # one wait per round, backing off to 30 s
                self.backoff = min(max(self.backoff * 2, 1.0), 30.0)
                self.hold_until = time.monotonic() + max(frame["retry_after"], self.backoff)
                self.resend_later(self.hold_until - time.monotonic())
        elif kind == "error":
            self.refused.append(frame)  # refused for good: no fault may cause that


# --- the stack -------------------------------------------------------------------------

SETUP = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from django.conf import settings
from vangnet.chat import services
from vangnet.chat.models import Conversation
from vangnet.chat.tests.helpers import employee_at_desk, region_with_postcode
from vangnet.testing.auth import login_verified

setup_test_environment()
region = region_with_postcode()
visitor = Client()
assert visitor.post("/chat/", {"postcode": "3511"}).status_code == 302
chat = Conversation.objects.get()
employee = employee_at_desk(region)
staff = login_verified(Client(), employee)
services.accept_chat(conversation=chat, by=employee)
name = settings.SESSION_COOKIE_NAME
print(json.dumps({
    "chat": chat.pk,
    "visitor": f"{name}={visitor.cookies[name].value}",
    "staff": f"{name}={staff.cookies[name].value}",
}))
"""


class EventLoop:
    """The clients and the balancers live on one loop in a thread of their own, so that they
    keep typing and reconnecting between the test functions, as a conversation does."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@dataclass
class Stack:
    redis: PrivateRedis
    postgres: PrivatePostgres
    visitors_server: WebProcess
    employees_server: WebProcess
    visitors_network: Balancer
    employees_network: Balancer
    visitor: ChatClient
    employee: ChatClient
    chat_id: int
    loop: EventLoop

    def rows(self) -> list[tuple[int, str, str, str]]:
        import psycopg

        with psycopg.connect(self.postgres.url("vangnet_chaos"), connect_timeout=5) as db:
            return [
                tuple(row)  # type: ignore[misc]
                for row in db.execute(
                    "SELECT sequence, sender, client_key, kind FROM chat_message"
                    " WHERE conversation_id = %s ORDER BY sequence",
                    [self.chat_id],
                )
            ]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="vangnet-chaos-"))
    redis, postgres = PrivateRedis(folder), PrivatePostgres()
    servers: list[WebProcess] = []
    loop: EventLoop | None = None
    try:
        try:
            redis.start()
            postgres.init()
            postgres.start()
        except (OSError, RuntimeError, subprocess.SubprocessError) as error:
            # Fails, never skips: without its private services this proof is not made.
            pytest.fail(f"the private Redis or PostgreSQL did not start: {error!r}")
        import psycopg

        with psycopg.connect(postgres.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE vangnet_chaos")
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "PYTEST_ADDOPTS", "DJANGO_SETTINGS_MODULE"}
        } | {
            "DATABASE_URL": postgres.url("vangnet_chaos"),
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "CHANNEL_LAYER_PREFIX": "vangnet-chaos",
            "CACHE_KEY_PREFIX": "vangnet-chaos",
            "CHAT_OPENING_HOURS": "always",
            "VANGNET_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "vangnet.settings",
            "PYTHONPATH": str(ROOT / "src"),
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        made = subprocess.run(
            [sys.executable, "-c", SETUP],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        people = json.loads(made.stdout.strip().splitlines()[-1])
        servers = [
            WebProcess(env, log=folder / "visitors-server.log"),
            WebProcess(env, log=folder / "employees-server.log"),
        ]
        for server in servers:
            server.start()
        loop = EventLoop()
        visitors_network = Balancer([servers[0].port, servers[1].port])
        employees_network = Balancer([servers[1].port, servers[0].port])

        async def connect() -> tuple[ChatClient, ChatClient]:
            await visitors_network.start()
            await employees_network.start()
            visitor = ChatClient(
                "kind", "visitor", lambda: visitors_network.port, "/ws/chat/", people["visitor"]
            )
            employee = ChatClient(
                "medewerker",
                "employee",
                lambda: employees_network.port,
                f"/ws/staff/chat/{people['chat']}/",
                people["staff"],
            )
            visitor.start()
            employee.start()
            return visitor, employee

        visitor, employee = loop.run(connect(), timeout=30)
        print(f"\nchaos stack up in {time.monotonic() - started:.1f} s")
        yield Stack(
            redis,
            postgres,
            servers[0],
            servers[1],
            visitors_network,
            employees_network,
            visitor,
            employee,
            people["chat"],
            loop,
        )

        async def disconnect() -> None:
            await visitor.stop()
            await employee.stop()
            await visitors_network.stop()
            await employees_network.stop()

        loop.run(disconnect(), timeout=30)
    finally:
        if loop is not None:
            loop.close()
        for server in servers:
            server.stop()
        redis.stop()
        postgres.remove()
        shutil.rmtree(folder, ignore_errors=True)
        print(f"\nchaos run took {time.monotonic() - started:.1f} s")


# --- the scenarios ---------------------------------------------------------------------


async def typing_through(
    stack: Stack, fault: Callable[[], Awaitable[None]], *, before: float, after: float
) -> None:
    """Both sides type; the fault strikes; they type on a while, then stop."""
    done = asyncio.Event()

    async def keeps_typing(client: ChatClient, every: float) -> None:
        while not done.is_set():
            client.type()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), every)

    typists = [
        asyncio.create_task(keeps_typing(stack.visitor, VISITOR_TYPES_EVERY)),
        asyncio.create_task(keeps_typing(stack.employee, EMPLOYEE_TYPES_EVERY)),
    ]
    await asyncio.sleep(before)
    await fault()
    await asyncio.sleep(after)
    done.set()
    await asyncio.gather(*typists)
    await settled(stack)


async def settled(stack: Stack) -> None:
    """Wait until every message typed was stored and both screens caught up with the
    database; fail with the state of both sides if that does not happen."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        rows = await asyncio.to_thread(stack.rows)
        last = rows[-1][0] if rows else 0
        clients = (stack.visitor, stack.employee)
        if all(not c.outbox and c.last_seq == last for c in clients):
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"not settled after {SETTLE_SECONDS:.0f} s: database up to {last}; "
                + "; ".join(
                    f"{c.name}: screen up to {c.last_seq}, {len(c.outbox)} unsent "
                    f"({sorted(c.outbox)[:5]}), connected {c.connects}x"
                    for c in clients
                )
            )
        await asyncio.sleep(0.5)


def assert_nothing_lost_or_doubled(stack: Stack) -> None:
    rows = stack.rows()
    sequences = [row[0] for row in rows]
    assert sequences == list(range(1, len(rows) + 1)), "the sequence has a gap"
    for client in (stack.visitor, stack.employee):
        stored = [key for _seq, sender, key, _kind in rows if sender == client.sender]
        assert sorted(stored) == sorted(client.typed), f"{client.name}: lost or doubled in DB"
        assert len(set(stored)) == len(stored)
        assert client.refused == [], f"{client.name} was refused for good: {client.refused}"
    shown = [(seq, sender, key) for seq, sender, key, kind in rows if kind != "note"]
    assert stack.visitor.screen == shown, "the visitor's screen differs from the database"
    assert stack.employee.screen == shown, "the employee's screen differs from the database"


def run(stack: Stack, fault: Callable[[], Awaitable[None]], *, before: float, after: float) -> None:
    started = time.monotonic()
    stack.loop.run(typing_through(stack, fault, before=before, after=after), timeout=240)
    assert_nothing_lost_or_doubled(stack)
    print(  # what the run went through, for `pytest -s` and for a failure's report
        f"\n{fault.__qualname__.split('.')[0]}: {time.monotonic() - started:.1f} s, "
        f"{len(stack.rows())} messages stored; "
        + "; ".join(
            f"{c.name} typed {len(c.typed)}, connected {c.connects}x"
            for c in (stack.visitor, stack.employee)
        )
    )


def test_both_sides_talk_across_two_processes(stack):  # type: ignore[no-untyped-def]
    async def nothing() -> None:
        return None

    run(stack, nothing, before=2, after=1)
    assert len(stack.visitor.typed) >= 2 and len(stack.employee.typed) >= 3


def test_kill_9_of_the_visitors_server_loses_nothing(stack):  # type: ignore[no-untyped-def]
    async def kill() -> None:
        stack.visitors_server.kill9()
        await asyncio.sleep(1)
        await asyncio.to_thread(stack.visitors_server.start)

    run(stack, kill, before=2, after=3)


def test_kill_9_of_the_employees_server_loses_nothing(stack):  # type: ignore[no-untyped-def]
    async def kill() -> None:
        stack.employees_server.kill9()
        await asyncio.sleep(1)
        await asyncio.to_thread(stack.employees_server.start)

    run(stack, kill, before=2, after=3)


def test_a_redis_restart_loses_nothing(stack):  # type: ignore[no-untyped-def]
    async def restart() -> None:
        await asyncio.to_thread(stack.redis.stop)
        await asyncio.sleep(1)
        await asyncio.to_thread(stack.redis.start)

    run(stack, restart, before=2, after=4)


def test_postgresql_away_for_5_seconds_loses_nothing(stack):  # type: ignore[no-untyped-def]
    async def away() -> None:
        await asyncio.to_thread(stack.postgres.stop, "immediate")
        await asyncio.sleep(5)
        await asyncio.to_thread(stack.postgres.start)

    connects = stack.visitor.connects, stack.employee.connects
    run(stack, away, before=2, after=4)
    # "Not now" (retry_after), not a dropped socket: both stayed connected throughout.
    assert (stack.visitor.connects, stack.employee.connects) == connects


def test_the_visitors_network_cut_for_30_seconds_loses_nothing(stack):  # type: ignore[no-untyped-def]
    async def cut() -> None:
        stack.visitors_network.cut()
        await asyncio.sleep(30)
        stack.visitors_network.restore()

    run(stack, cut, before=2, after=3)
