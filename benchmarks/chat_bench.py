"""`make bench`, the chat part: real WebSockets against real server processes.

N visitors and N employees talk at once, one conversation each: the visitor's socket
(`/ws/chat/`) and the employee's (`/ws/staff/chat/<id>/`) take turns to send, M messages a
conversation, each turn waiting until the other side has the message. Measured: end-to-end
latency (send frame out → `message` frame in at the other side), the server's `ack`, overall
messages per second, the server processes' memory and CPU. Then the same client load runs
against a bare WebSocket relay (`benchmarks.bench_relay`: no Django, no database) — the
practical ceiling on this machine — and the ratio chat/relay is printed.

Modes, each on a fresh throw-away database:

- embedded: one uvicorn process, a temporary SQLite file, the in-memory channel layer;
- scaled: two uvicorn processes on PostgreSQL (database `vangnet_bench_chat`, dropped and
  created anew) and Redis (db 5, only keys under the run's own prefix, removed afterwards);
  visitors connect to one process and employees to the other, so every message crosses
  processes through Redis.

Nothing is asserted: the table is printed and written to bench-results/chat-latest.json;
figures are recorded in docs/performance.md.

    python -m benchmarks.chat_bench                               # 100 conversations, both modes
    python -m benchmarks.chat_bench --conversations 1000 --mode scaled
    python -m benchmarks.chat_bench --messages 40 --intake http   # visitors through the intake form

The client and the servers share the machine's cores; the relay run shows what that costs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from vangnet.testing.servers import free_port, stop_process, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench-results" / "chat-latest.json"
POSTGRES_DATABASE = "vangnet_bench_chat"
# Its own keys only: the Redis server may be shared, so the run never flushes a database;
# it removes the keys under its own prefix before and after (`clear_redis`).
LAYER_PREFIX = f"vangnet-bench-chat-{os.getpid()}"
POSTCODE = "3511"  # Utrecht: every visitor lands in the same regional queue
# The visitor socket refuses an 11th message within 10 seconds (chat.consumers.SEND_LIMIT);
# the client paces a visitor like a person would rather than trip it.
VISITOR_LIMIT, VISITOR_WINDOW = 10, 10.0
CONNECTS_AT_ONCE = 50

# --- preparing a world: database, users, conversations, sessions --------------------------


def server_env(database_url: str, redis_url: str | None, conn_max_age: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "BENCH_DATABASE_URL"}}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="vangnet.settings",
        VANGNET_ENV="development",
        CHAT_OPENING_HOURS="always",
        # On PostgreSQL the servers pool their connections as in production (ADR 0030); a
        # positive --conn-max-age measures the other way, a connection per thread kept that
        # long (behind an external pooler). Without this the scaled run held ~100 connections.
        DATABASE_POOL="false" if conn_max_age else "true",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])),
    )
    if conn_max_age:
        env["DATABASE_CONN_MAX_AGE"] = str(conn_max_age)
    else:
        env.pop("DATABASE_CONN_MAX_AGE", None)  # the settings' default (SQLite keeps one)
    if redis_url:
        env.update(
            REDIS_URL=redis_url, CHANNEL_LAYER_PREFIX=LAYER_PREFIX, CACHE_KEY_PREFIX=LAYER_PREFIX
        )
    return env


def fresh_postgres(admin_url: str) -> tuple[str, str]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
        name = sql.Identifier(POSTGRES_DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
        row = connection.execute("SHOW server_version").fetchone()
    return f"{admin_url}/{POSTGRES_DATABASE}", str(row[0] if row else "?")


def services_answer(options: argparse.Namespace) -> bool:
    import psycopg
    import redis

    try:
        psycopg.connect(f"{options.postgres}/postgres", connect_timeout=3).close()
        client = redis.Redis.from_url(options.redis, socket_connect_timeout=3)
        client.ping()
        client.close()
    except (psycopg.Error, redis.RedisError, OSError):
        return False
    return True


def clear_redis(url: str) -> str:
    """Remove this run's keys (LAYER_PREFIX) and return the server's version."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"*{LAYER_PREFIX}*", count=1000):
        client.delete(key)
    version = str(client.info("server").get("redis_version", "?"))
    client.close()
    return version


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True
    )


def run_worker(env: dict[str, str], workdir: Path, *args: str) -> Any:
    out = workdir / f"worker-{uuid.uuid4().hex}.json"
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.chat_bench", "--worker", *args, "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def worker_world(count: int, with_visitors: bool) -> dict[str, Any]:
    """N employees of the Utrecht desk, each with a verified session (and N chats, accepted)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django_otp import DEVICE_ID_SESSION_KEY

    from vangnet.accounts.middleware import IDLE_KEY
    from vangnet.accounts.models import Role
    from vangnet.chat import selectors, services
    from vangnet.regions.models import Postcode
    from vangnet.testing.factories import confirmed_totp_device, make_user

    postcode = Postcode.objects.select_related("municipality__region").get(code=POSTCODE)
    region = postcode.municipality.region
    employees: list[dict[str, Any]] = []
    pairs: list[dict[str, Any]] = []
    for start in range(0, count, 100):
        with transaction.atomic():
            for i in range(start, min(count, start + 100)):
                # No password (argon2 for a thousand users takes minutes): the session is
                # made here directly, holding what login + two-factor would have put in it.
                user = make_user(
                    Role.ADVICE_DESK, region=region, username=f"bench{i:05d}", password=None
                )
                device = confirmed_totp_device(user)
                staff = SessionStore()
                staff[SESSION_KEY] = str(user.pk)
                staff[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                staff[HASH_SESSION_KEY] = user.get_session_auth_hash()
                staff[DEVICE_ID_SESSION_KEY] = device.persistent_id
                staff[IDLE_KEY] = int(time.time())
                staff.create()
                employees.append({"user_id": user.pk, "session": staff.session_key})
                if not with_visitors:
                    continue
                conversation = services.start_chat(
                    intake=services.Intake(
                        nickname=f"Bezoeker {i}", age=16, gender="", postcode=POSTCODE
                    )
                )
                visitor = SessionStore()
                visitor[selectors.SESSION_KEY] = str(conversation.public_id)
                visitor.create()
                services.accept_chat(conversation=conversation, by=user)
                pairs.append(
                    {
                        "conversation_id": conversation.pk,
                        "visitor_session": visitor.session_key,
                        "staff_session": staff.session_key,
                    }
                )
    return {"cookie": settings.SESSION_COOKIE_NAME, "employees": employees, "pairs": pairs}


def worker_accept(world: dict[str, Any], visitor_sessions: list[str]) -> dict[str, Any]:
    """Employee i accepts the chat of visitor i (visitors who came in through the form)."""
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from vangnet.accounts.models import User
    from vangnet.chat import selectors, services
    from vangnet.chat.models import Conversation

    pairs = []
    employees = world["employees"]
    for start in range(0, len(visitor_sessions), 100):
        with transaction.atomic():
            for employee, session_key in list(zip(employees, visitor_sessions, strict=True))[
                start : start + 100
            ]:
                public_id = SessionStore(session_key=session_key)[selectors.SESSION_KEY]
                conversation = Conversation.objects.get(public_id=public_id)
                user = User.objects.get(pk=employee["user_id"])
                services.accept_chat(conversation=conversation, by=user)
                pairs.append(
                    {
                        "conversation_id": conversation.pk,
                        "visitor_session": session_key,
                        "staff_session": employee["session"],
                    }
                )
    return {**world, "pairs": pairs}


def intake_over_http(port: int, number: int) -> str:
    """A visitor fills in the intake form like a browser: GET for the token, POST, session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", "/chat/")
        answer = connection.getresponse()
        page = answer.read().decode()
        cookies = SimpleCookie()
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if answer.status != 200 or token is None or "csrftoken" not in cookies:
            raise RuntimeError(f"intake page: HTTP {answer.status}, no CSRF token")
        form = {"csrfmiddlewaretoken": token.group(1), "nickname": f"Bezoeker {number}"}
        form.update(age="16", gender="", postcode=POSTCODE)
        connection.request(
            "POST",
            "/chat/",
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            },
        )
        answer = connection.getresponse()
        answer.read()
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        if answer.status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"intake form: HTTP {answer.status}")
        return cookies["sessionid"].value
    finally:
        connection.close()


# --- server processes ---------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, name: str, argv: list[str], env: dict[str, str], workdir: Path) -> Server:
        port = free_port()
        log = workdir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", *argv, "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return cls(name=name, port=port, process=process, log=log)

    @classmethod
    def uvicorn(cls, name: str, env: dict[str, str], workdir: Path) -> Server:
        # As in production (docs/operations.md): what is measured is what runs.
        argv = ["vangnet.serve", "--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
        return cls.start(name, argv, env, workdir)

    def wait_healthy(self, seconds: float = 60) -> None:
        try:
            wait_healthy(self.process, self.port, seconds=seconds, name=self.name)
        except RuntimeError as error:
            raise RuntimeError(f"{error}; see {self.log}:\n{self.log.read_text()}") from None

    def stop(self) -> None:
        stop_process(self.process, seconds=20)

    def problems(self) -> list[str]:
        """Error lines from the server's log (tracebacks, errors, warnings)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        pattern = re.compile(r"Traceback|ERROR|Error|Exception|WARNING")
        return [line for line in text.splitlines() if pattern.search(line)]


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount = line.split(":", 1)
                values[name] = int(amount.split()[0])
    return values


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def cpu_by_command(commands: set[str]) -> dict[str, float]:
    """CPU seconds used so far by all live processes with one of these names (PostgreSQL…)."""
    totals = dict.fromkeys(sorted(commands), 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        command = text[text.index("(") + 1 : text.rindex(")")]
        if command in totals:
            fields = text.rsplit(")", 1)[1].split()
            totals[command] += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return totals


def machine_busy() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# --- the client load ----------------------------------------------------------------------


class ServerRefused(Exception):
    pass


class SocketGone(Exception):
    pass


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    sent: int = 0
    timeouts: int = 0
    late: int = 0
    duplicates: int = 0
    gone: int = 0
    paced_seconds: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)
    closed: Counter[str] = field(default_factory=Counter)
    connect_failures: Counter[str] = field(default_factory=Counter)


@dataclass
class Pending:
    receiver: Side
    future: asyncio.Future[float]
    sent_at: float = 0.0


@dataclass
class Target:
    """One conversation's two sockets: URLs and cookies."""

    visitor_url: str
    visitor_cookie: str
    staff_url: str
    staff_cookie: str


class Side:
    def __init__(self, load: Load, role: str, ws: Any):
        self.load, self.role, self.ws = load, role, ws
        self.ready = asyncio.Event()
        self.seen: set[str] = set()
        self.window: deque[float] = deque()  # when the visitor's messages arrived
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        load, tally = self.load, self.load.tally
        code: int | None = None
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message":
                    key = frame["message"].get("key") or ""
                    pending = load.pending.get(key)
                    if pending is None or pending.receiver is not self:
                        continue  # the echo of our own message, or a system message
                    if key in self.seen:
                        tally.duplicates += 1
                    elif pending.future.done():
                        self.seen.add(key)
                        tally.late += 1  # arrived after the client gave up on it
                    else:
                        self.seen.add(key)
                        pending.future.set_result(now)
                elif kind == "ack":
                    pending = load.pending.get(frame.get("key") or "")
                    if pending is not None:
                        tally.acks.append(now - pending.sent_at)
                elif kind == "error":
                    message = str(frame.get("message"))
                    tally.errors[f"{self.role}: {message}"] += 1
                    pending = load.pending.get(frame.get("key") or "")
                    if pending is not None and not pending.future.done():
                        pending.future.set_exception(ServerRefused(message))
                elif kind == "history":
                    self.ready.set()
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
        finally:
            if not load.finished:
                tally.closed[f"{self.role} socket closed (code {code})"] += 1
                for pending in load.pending.values():
                    if pending.receiver is self and not pending.future.done():
                        pending.future.set_exception(SocketGone(self.role))


class Load:
    def __init__(self, messages: int, timeout: float):
        self.messages, self.timeout = messages, timeout
        self.pending: dict[str, Pending] = {}
        self.tally = Tally()
        self.finished = False
        self.gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

    async def open(self, role: str, url: str, cookie: str) -> Side | None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidStatus, WebSocketException

        origin = "http://" + url.split("://", 1)[1].split("/", 1)[0]
        async with self.gate:
            try:
                ws = await connect(
                    url,
                    additional_headers={"Cookie": cookie} if cookie else None,
                    origin=cast(Any, origin),
                    open_timeout=self.timeout,
                    ping_interval=None,  # the server pings; a busy client must not hang up
                    close_timeout=5,
                )
            except InvalidStatus as refused:
                self.tally.connect_failures[f"{role}: HTTP {refused.response.status_code}"] += 1
                return None
            except (OSError, TimeoutError, WebSocketException) as error:
                self.tally.connect_failures[f"{role}: {type(error).__name__}"] += 1
                return None
            side = Side(self, role, ws)
            await ws.send('{"type": "hello", "after": 0}')
            try:
                await asyncio.wait_for(side.ready.wait(), self.timeout)
            except TimeoutError:
                self.tally.connect_failures[f"{role}: no history after hello"] += 1
                return None
            return side

    async def pace(self, visitor: Side) -> None:
        window = visitor.window
        while len(window) >= VISITOR_LIMIT:
            wait = window[0] + VISITOR_WINDOW + 0.25 - time.perf_counter()
            if wait <= 0:
                window.popleft()
            else:
                self.tally.paced_seconds += wait
                await asyncio.sleep(wait)

    async def converse(self, visitor: Side, staff: Side) -> None:
        from websockets.exceptions import ConnectionClosed

        loop = asyncio.get_running_loop()
        for turn in range(self.messages):
            sender, receiver = (visitor, staff) if turn % 2 == 0 else (staff, visitor)
            if sender is visitor:
                await self.pace(visitor)
            key = str(uuid.uuid4())
            pending = Pending(receiver=receiver, future=loop.create_future())
            self.pending[key] = pending
            body = f"Benchmarkbericht {turn + 1} van {self.messages}"
            frame = json.dumps({"type": "send", "key": key, "body": body})
            pending.sent_at = time.perf_counter()
            try:
                await sender.ws.send(frame)
                self.tally.sent += 1
                arrived = await asyncio.wait_for(pending.future, self.timeout)
            except TimeoutError:
                self.tally.timeouts += 1
                continue
            except ServerRefused:
                continue  # counted by the reader, with the server's message
            except (SocketGone, ConnectionClosed):
                self.tally.gone += 1
                return
            self.tally.latencies.append(arrived - pending.sent_at)
            if sender is visitor:
                visitor.window.append(arrived)

    async def run(self, targets: list[Target], pids: dict[str, int]) -> dict[str, Any]:
        t0 = time.perf_counter()
        staff = await asyncio.gather(
            *(self.open("employee", t.staff_url, t.staff_cookie) for t in targets)
        )
        visitors = await asyncio.gather(
            *(self.open("visitor", t.visitor_url, t.visitor_cookie) for t in targets)
        )
        connect_seconds = time.perf_counter() - t0
        await asyncio.sleep(1.0)  # presence and state events of the connects settle

        peak_rss = dict.fromkeys(pids, 0)

        async def sample() -> None:
            while True:
                for name, pid in pids.items():
                    peak_rss[name] = max(peak_rss[name], memory_kb(pid).get("VmRSS", 0))
                await asyncio.sleep(0.25)

        sampler = asyncio.create_task(sample())
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        services_before = cpu_by_command({"postgres", "redis-server"})
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        busy_before = machine_busy()
        start = time.perf_counter()
        await asyncio.gather(
            *(
                self.converse(visitor, employee)
                for visitor, employee in zip(visitors, staff, strict=True)
                if visitor is not None and employee is not None
            )
        )
        elapsed = time.perf_counter() - start
        busy_after = machine_busy()
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        services_after = cpu_by_command({"postgres", "redis-server"})
        cpu_after = {name: cpu_seconds(pid) for name, pid in pids.items()}
        sampler.cancel()
        self.finished = True
        sides = [side for side in [*visitors, *staff] if side is not None]
        await asyncio.gather(*(side.ws.close() for side in sides), return_exceptions=True)
        for side in sides:
            side.reader.cancel()

        tally = self.tally
        delivered = len(tally.latencies)
        client_cpu = (client_after.ru_utime + client_after.ru_stime) - (
            client_before.ru_utime + client_before.ru_stime
        )
        ours = (
            client_cpu
            + sum(cpu_after[name] - cpu_before[name] for name in pids)
            + sum(services_after[name] - services_before[name] for name in services_after)
        )
        busy = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])
        cores = os.cpu_count() or 1
        return {
            "conversations_connected": sum(
                1 for v, s in zip(visitors, staff, strict=True) if v and s
            ),
            "connect_seconds": round(connect_seconds, 2),
            "seconds": round(elapsed, 2),
            "messages_sent": tally.sent,
            "messages_delivered": delivered,
            "messages_lost": tally.sent - delivered,
            "timeouts": tally.timeouts,
            "late": tally.late,
            "duplicates": tally.duplicates,
            "conversations_cut_off": tally.gone,
            "errors": dict(tally.errors),
            "sockets_closed_during_run": dict(tally.closed),
            "connect_failures": dict(tally.connect_failures),
            "paced_seconds": round(tally.paced_seconds, 1),
            "messages_per_second": round(delivered / elapsed, 1) if elapsed else 0.0,
            "latency_ms": percentiles(tally.latencies),
            "ack_ms": percentiles(tally.acks),
            "server_peak_rss_mb": {k: round(v / 1024, 1) for k, v in peak_rss.items()},
            "server_hwm_rss_mb": {
                name: round(memory_kb(pid).get("VmHWM", 0) / 1024, 1) for name, pid in pids.items()
            },
            "server_cpu_percent": {
                name: round(100 * (cpu_after[name] - cpu_before[name]) / elapsed, 1)
                for name in pids
            },
            "database_and_redis_cpu_percent": {
                name: round(100 * (services_after[name] - services_before[name]) / elapsed, 1)
                for name in services_after
            },
            "client_cpu_percent": round(100 * client_cpu / elapsed, 1),
            # Of all cores: 100 = every core busy. "other" is what neither the servers, the
            # client, PostgreSQL nor Redis used: anything else running skews the figures.
            "machine_busy_percent": round(100 * busy, 1),
            "other_processes_cpu_percent": round(
                max(0.0, 100 * busy * cores - 100 * ours / elapsed), 1
            ),
        }


def percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0, "mean": 0.0}
    ordered = sorted(seconds)

    def rank(p: float) -> float:  # nearest rank
        index = min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))
        return round(ordered[index] * 1000, 2)

    return {
        "p50": rank(0.50),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": round(ordered[-1] * 1000, 2),
        "mean": round(sum(ordered) / len(ordered) * 1000, 2),
    }


def run_async[T](factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(factory())
    return uvloop.run(factory())


# --- one run per mode ---------------------------------------------------------------------


def run_chat(mode: str, options: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    setup_started = time.perf_counter()
    result: dict[str, Any] = {"mode": mode}
    if mode == "embedded":
        database_url = f"sqlite:///{workdir / 'chat.sqlite3'}"
        redis_url = None
        result.update(processes=1, database="SQLite", channel_layer="in-memory")
    else:
        database_url, pg_version = fresh_postgres(options.postgres)
        redis_url = options.redis
        redis_version = clear_redis(redis_url)
        result.update(
            processes=2,
            database=f"PostgreSQL {pg_version}",
            channel_layer=f"Redis {redis_version}",
        )
    env = server_env(database_url, redis_url, options.conn_max_age)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_region_data", "--verbosity", "0")
    direct = options.intake == "direct"
    world = run_worker(
        env,
        workdir,
        "world",
        "--conversations",
        str(options.conversations),
        *([] if direct else ["--no-visitors"]),
    )
    names = ["server"] if mode == "embedded" else ["server-a", "server-b"]
    servers = [Server.uvicorn(f"{mode}-{name}", env, workdir) for name in names]
    try:
        for server in servers:
            server.wait_healthy()
        visitor_port, staff_port = servers[0].port, servers[-1].port
        if not direct:
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=8) as pool:
                sessions = list(
                    pool.map(
                        lambda n: intake_over_http(visitor_port, n), range(options.conversations)
                    )
                )
            result["intake_per_second"] = round(
                options.conversations / (time.perf_counter() - started), 1
            )
            (workdir / "visitors.json").write_text(json.dumps({"world": world, "s": sessions}))
            world = run_worker(env, workdir, "accept", "--in", str(workdir / "visitors.json"))
        result["setup_seconds"] = round(time.perf_counter() - setup_started, 1)
        cookie = world["cookie"]
        targets = [
            Target(
                visitor_url=f"ws://127.0.0.1:{visitor_port}/ws/chat/",
                visitor_cookie=f"{cookie}={pair['visitor_session']}",
                staff_url=f"ws://127.0.0.1:{staff_port}/ws/staff/chat/{pair['conversation_id']}/",
                staff_cookie=f"{cookie}={pair['staff_session']}",
            )
            for pair in world["pairs"]
        ]
        pids = {server.name: server.process.pid for server in servers}
        result.update(run_async(lambda: Load(options.messages, options.timeout).run(targets, pids)))
    finally:
        for server in servers:
            server.stop()
        if redis_url:
            clear_redis(redis_url)
    result["server_log_problems"] = {s.name: s.problems()[:20] for s in servers if s.problems()}
    return result


def run_relay(options: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    relay = Server.start("relay", ["benchmarks.bench_relay"], dict(os.environ), workdir)
    try:
        relay.wait_healthy()
        base = f"ws://127.0.0.1:{relay.port}/pair"
        targets = [
            Target(f"{base}/{i}/visitor", "", f"{base}/{i}/employee", "")
            for i in range(options.conversations)
        ]
        result: dict[str, Any] = {"mode": "relay", "processes": 1, "database": "none"}
        result.update(
            run_async(
                lambda: Load(options.messages, options.timeout).run(
                    targets, {"relay": relay.process.pid}
                )
            )
        )
    finally:
        relay.stop()
    result["server_log_problems"] = {"relay": relay.problems()[:20]} if relay.problems() else {}
    return result


# --- output -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        memory = f"{int(meminfo.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    from importlib.metadata import version

    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "django": version("django"),
        "channels": version("channels"),
        "uvicorn": version("uvicorn"),
        "websockets": version("websockets"),
    }


def print_table(results: dict[str, Any]) -> None:
    runs = results["runs"]
    print(
        f"\nVangnet chat benchmark — {results['conversations']} conversations x "
        f"{results['messages_per_conversation']} messages, {results['machine']['cores']} cores"
    )
    header = (
        f"{'run':<10}{'procs':>6}{'msg/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'ack p50':>9}{'lost':>6}{'errors':>7}{'RSS MB':>9}{'srv CPU%':>10}{'db CPU%':>9}"
    )
    print(header)
    for name, run in runs.items():
        latency = run["latency_ms"]
        rss = "+".join(f"{v:.0f}" for v in run["server_peak_rss_mb"].values())
        cpu = "+".join(f"{v:.0f}" for v in run["server_cpu_percent"].values())
        db = sum(run["database_and_redis_cpu_percent"].values())
        errors = sum(run["errors"].values()) + sum(run["connect_failures"].values())
        print(
            f"{name:<10}{run['processes']:>6}{run['messages_per_second']:>9}"
            f"{latency['p50']:>9}{latency['p95']:>9}{latency['p99']:>9}"
            f"{run['ack_ms']['p50']:>9}{run['messages_lost']:>6}{errors:>7}"
            f"{rss:>9}{cpu:>10}{db:>9.0f}"
        )
    for name, ratio in results.get("ratio_to_relay", {}).items():
        print(
            f"{name} / relay: throughput {ratio['throughput']:.3f}x, latency p50 "
            f"{ratio['p50']:.1f}x, p95 {ratio['p95']:.1f}x, p99 {ratio['p99']:.1f}x"
        )
    for name, run in runs.items():
        trouble = {
            key: run[key]
            for key in (
                "errors",
                "connect_failures",
                "sockets_closed_during_run",
                "server_log_problems",
            )
            if run[key]
        }
        if run["other_processes_cpu_percent"] > 20:
            trouble["other_processes_cpu_percent"] = run["other_processes_cpu_percent"]
        for key in ("timeouts", "late", "duplicates", "conversations_cut_off"):
            if run[key]:
                trouble[key] = run[key]
        if trouble:
            print(f"WARNING {name}: {json.dumps(trouble, ensure_ascii=False)[:2000]}")


def raise_file_limit(conversations: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * conversations + 1024  # two client sockets a conversation, plus the servers'
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))  # the servers inherit it


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.chat_bench",
        description="Chat benchmark over real WebSockets (see docs/performance.md).",
    )
    parser.add_argument("--conversations", type=int, default=100, help="N at once (100)")
    parser.add_argument(
        "--messages", type=int, default=20, help="M per conversation, visitor first (20)"
    )
    parser.add_argument("--mode", choices=["embedded", "scaled", "both"], default="both")
    parser.add_argument("--no-relay", action="store_true", help="skip the bare relay run")
    parser.add_argument(
        "--intake",
        choices=["direct", "http"],
        default="direct",
        help="visitors' chats made in the database (direct) or through the intake form (http)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds a message may take (60)"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=0,
        help="0: the servers pool their PostgreSQL connections (as in production); N: no "
        "pool, a connection per thread kept N seconds (DATABASE_CONN_MAX_AGE)",
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    # Internal: the parts that need Django run in a subprocess with the server's environment.
    parser.add_argument("--worker", choices=["world", "accept"], help=argparse.SUPPRESS)
    parser.add_argument("--no-visitors", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--in", dest="infile", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    if options.worker == "world":
        world = worker_world(options.conversations, with_visitors=not options.no_visitors)
        options.out.write_text(json.dumps(world))
        return 0
    if options.worker == "accept":
        given = json.loads(options.infile.read_text())
        options.out.write_text(json.dumps(worker_accept(given["world"], given["s"])))
        return 0

    raise_file_limit(options.conversations)
    modes = ["embedded", "scaled"] if options.mode == "both" else [options.mode]
    if options.mode == "both" and not services_answer(options):
        print(
            "chat bench: PostgreSQL or Redis does not answer "
            f"({options.postgres}, {options.redis}); the scaled run is skipped.",
            flush=True,
        )
        modes = ["embedded"]
    workdir = Path(tempfile.mkdtemp(prefix="vangnet-chat-bench-"))
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "conversations": options.conversations,
        "messages_per_conversation": options.messages,
        "intake": options.intake,
        "conn_max_age": options.conn_max_age,
        "runs": {},
    }
    try:
        for mode in modes:
            print(f"chat bench: {mode}, {options.conversations} conversations…", flush=True)
            results["runs"][mode] = run_chat(mode, options, workdir)
        if not options.no_relay:
            print("chat bench: bare relay…", flush=True)
            results["runs"]["relay"] = run_relay(options, workdir)
    finally:
        if not options.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work directory kept: {workdir}")
    relay = results["runs"].get("relay")
    if relay and relay["messages_per_second"]:
        results["ratio_to_relay"] = {
            mode: {
                "throughput": round(run["messages_per_second"] / relay["messages_per_second"], 4),
                **{
                    p: round(run["latency_ms"][p] / relay["latency_ms"][p], 2)
                    if relay["latency_ms"][p]
                    else 0.0
                    for p in ("p50", "p95", "p99")
                },
            }
            for mode, run in results["runs"].items()
            if mode != "relay"
        }
    print_table(results)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {options.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
