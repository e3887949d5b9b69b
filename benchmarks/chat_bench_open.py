"""`make bench`, the chat as people use it: an open loop over real WebSockets.

The closed loop of `benchmarks.chat_bench` lets each side wait for the other, so a slow server
only gets fewer messages. People do not wait for the server: here N visitors and N employees
each send a message every `--interval` seconds on average (Poisson), with the typing hints
`chat.js` sends while they type (one at most every 2 s), a new visitor arrives through the
intake form every `--arrival` seconds on average (Poisson) and waits `--wait` seconds before
leaving the queue, and `--queue-pages` staff queue pages are open, each behaving as
`staff-chat.js` does (ADR 0035): it fetches its queue fragment when its socket opens, applies
the rows the socket pushes, and fetches again only when it misses a change's number or is told
`queue.changed` (what has no row), and fetches when the numbers its socket's tick
(`queue.numbers`) says are ahead of its own.

Measured: message latency (send frame out → `message` frame in at the other side) p50/p95/p99,
messages not delivered (by the end of a drain of `--drain` seconds), duplicates, how often the
server said "busy, try again" (and the client tried again after the wait, as `chat.js` does),
sockets dropped during the run, how long a new chat takes to be visible in every open queue
page, intake failures, the servers' RSS and CPU, PostgreSQL's connections, the machine's load.

    python -m benchmarks.chat_bench_open                                   # 250, both modes, 60 s
    python -m benchmarks.chat_bench_open --conversations 1000 --mode embedded
    python -m benchmarks.chat_bench_open --conversations 2000 --duration 60  # overload
    python -m benchmarks.chat_bench_open --no-typing --no-arrivals         # messages only

Nothing is asserted: the table is printed and written to bench-results/chat-open-latest.json;
figures are recorded in docs/performance.md. The client (one asyncio process) shares the
machine's cores with the servers; its CPU is reported too. Its own garbage collector is held
off from the start of the load to the end of the drain: its pauses would be counted as the
server's latency.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import html
import json
import os
import random
import re
import resource
import shutil
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from benchmarks import chat_bench as bench

OUTPUT = bench.ROOT / "bench-results" / "chat-open-latest.json"
TYPING_EVERY = 2.0  # chat.js sends a typing hint at most every 2 s while a person types
NEWCOMER = re.compile(r"Nieuw-(\d+)")
NUMBERS = re.compile(r'data-numbers="([^"]*)"')


@dataclass
class OpenTally:
    latencies: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # when each of `latencies` was sent
    sent: int = 0
    typing_sent: int = 0
    duplicates: int = 0
    told_busy: int = 0
    resent: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    closed: Counter[str] = field(default_factory=Counter)
    connect_failures: Counter[str] = field(default_factory=Counter)
    arrivals: int = 0
    intake_failures: Counter[str] = field(default_factory=Counter)
    visibility: list[float] = field(default_factory=list)
    fragments: int = 0
    fragment_failures: Counter[str] = field(default_factory=Counter)
    busy_frames: int = 0  # `busy: true` frames the visitors' pages were sent (ADR 0036)
    calm_frames: int = 0
    told_full: int = 0  # intake answers "the chat is full, wait or call" (503)
    started_after_waiting: int = 0
    rows_pushed: int = 0
    gaps: int = 0


@dataclass
class Sent:
    receiver: Peer
    frame: str
    at: float
    delivered: bool = False


class Peer:
    """One socket of a conversation (or of a newcomer in the queue)."""

    def __init__(self, load: OpenLoad, role: str, ws: Any) -> None:
        self.load, self.role, self.ws = load, role, ws
        self.ready = asyncio.Event()
        self.pushed: asyncio.Queue[dict[str, Any]] = asyncio.Queue()  # a queue page's changes
        self.alive = True
        self.leaving = False  # closed on purpose: not a dropped socket
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
                    sent = load.sent.get(frame["message"].get("key") or "")
                    if sent is None or sent.receiver is not self:
                        continue  # the echo of our own message, or a system message
                    if sent.delivered:
                        tally.duplicates += 1
                    else:
                        sent.delivered = True
                        tally.latencies.append(now - sent.at)
                        tally.sent_at.append(sent.at)
                elif kind == "error":
                    key = frame.get("key") or ""
                    if "retry_after" in frame and key in load.sent:
                        # Busy (or the database away): chat.js keeps the message and sends
                        # it again after the wait; so does this client.
                        tally.told_busy += 1
                        retry = asyncio.create_task(self.resend(key, float(frame["retry_after"])))
                        load.retries.add(retry)
                        retry.add_done_callback(load.retries.discard)
                    else:
                        tally.refused[f"{self.role}: {frame.get('message')}"] += 1
                elif kind == "history":
                    self.ready.set()
                elif kind == "busy":
                    if frame.get("busy"):
                        tally.busy_frames += 1
                    else:
                        tally.calm_frames += 1
                elif kind in ("queue.changed", "queue.row", "queue.numbers"):
                    self.pushed.put_nowait(frame)
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
        finally:
            self.alive = False
            if not load.finished and not self.leaving:
                tally.closed[f"{self.role} socket closed (code {code})"] += 1

    async def resend(self, key: str, wait: float) -> None:
        await asyncio.sleep(wait)
        with contextlib.suppress(Exception):
            await self.ws.send(self.load.sent[key].frame)
            self.load.tally.resent += 1


class OpenLoad:
    def __init__(self, options: argparse.Namespace, *, visitor_port: int, staff_port: int):
        self.options = options
        self.visitor_port, self.staff_port = visitor_port, staff_port
        self.tally = OpenTally()
        self.sent: dict[str, Sent] = {}
        self.finished = False
        self.pages_open = 0  # queue pages that have fetched their queue
        self.stop_at = 0.0
        self.gate = asyncio.Semaphore(bench.CONNECTS_AT_ONCE)
        self.arrived: dict[int, float] = {}
        self.random = random.Random(options.seed)  # noqa: S311  (pacing, not secrets)
        self.retries: set[asyncio.Task[None]] = set()
        self.newcomers: set[asyncio.Task[None]] = set()

    async def open(self, role: str, url: str, cookie: str) -> Peer | None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidStatus, WebSocketException

        origin = "http://" + url.split("://", 1)[1].split("/", 1)[0]
        async with self.gate:
            try:
                ws = await connect(
                    url,
                    additional_headers={"Cookie": cookie},
                    origin=cast(Any, origin),
                    open_timeout=60,
                    ping_interval=None,  # the server pings, as in a browser
                    close_timeout=5,
                    max_queue=None,
                )
            except InvalidStatus as refused:
                self.tally.connect_failures[f"{role}: HTTP {refused.response.status_code}"] += 1
                return None
            except (OSError, TimeoutError, WebSocketException) as error:
                self.tally.connect_failures[f"{role}: {type(error).__name__}"] += 1
                return None
            peer = Peer(self, role, ws)
            if role != "queue":
                await ws.send('{"type": "hello", "after": 0}')
                try:
                    await asyncio.wait_for(peer.ready.wait(), 60)
                except TimeoutError:
                    self.tally.connect_failures[f"{role}: no history after hello"] += 1
            return peer

    async def pause(self, seconds: float) -> bool:
        """Sleep, but not past the end of the run (False: the run is over)."""
        left = self.stop_at - time.perf_counter()
        await asyncio.sleep(max(0.0, min(seconds, left)))
        return seconds < left

    # --- a person in a conversation ---

    async def talk(self, me: Peer, other: Peer) -> None:
        options, tally = self.options, self.tally
        while True:
            gap = self.random.expovariate(1 / options.interval)
            typing = 0.0 if options.no_typing else self.random.uniform(1.0, 7.0)
            typing = min(typing, gap)
            if not await self.pause(gap - typing):
                return
            started = time.perf_counter()
            while not options.no_typing and time.perf_counter() - started < typing:
                if time.perf_counter() >= self.stop_at or not me.alive:
                    return
                with contextlib.suppress(Exception):
                    await me.ws.send('{"type": "typing"}')
                    tally.typing_sent += 1
                await asyncio.sleep(min(TYPING_EVERY, typing - (time.perf_counter() - started)))
            if time.perf_counter() >= self.stop_at or not me.alive:
                return
            key = uuid.uuid4().hex
            frame = json.dumps({"type": "send", "key": key, "body": f"Bericht {tally.sent + 1}"})
            self.sent[key] = Sent(receiver=other, frame=frame, at=time.perf_counter())
            try:
                await me.ws.send(frame)
            except Exception:
                del self.sent[key]  # never left: the socket was gone (counted as dropped)
                return
            tally.sent += 1

    # --- an open staff queue page ---

    async def queue_page(self, cookie: str) -> None:
        peer = await self.open(
            "queue", f"ws://127.0.0.1:{self.staff_port}/ws/staff/chat/queue/?view=rows", cookie
        )
        if peer is None:
            return
        seen: set[int] = set()
        numbers: dict[str, int] = {}

        def visible(names: list[str]) -> None:
            now = time.perf_counter()
            for number in {int(n) for n in names} - seen:
                seen.add(number)
                if number in self.arrived:
                    self.tally.visibility.append(now - self.arrived[number])

        async def fetch() -> None:
            status, page = await http(self.staff_port, "GET", "/staff/chat/queue/", cookie)
            self.tally.fragments += 1
            if status != 200:
                self.tally.fragment_failures[f"HTTP {status}"] += 1
                return
            found = NUMBERS.search(page)
            numbers.clear()
            numbers.update(json.loads(html.unescape(found.group(1))) if found else {})
            visible(NEWCOMER.findall(page))

        def behind(told: dict[str, int]) -> bool:
            return any(seq > numbers.get(region, -1) for region, seq in told.items())

        # The tick's numbers the page was behind, and when it looks again (staff-chat.js: a
        # change may be on its way; the frames that come meanwhile are applied first).
        recheck: tuple[dict[str, int], float] | None = None

        try:
            await fetch()  # the page opens with the queue as it is
            self.pages_open += 1
            while not self.finished:
                if recheck is not None and time.monotonic() >= recheck[1]:
                    if behind(recheck[0]):
                        self.tally.gaps += 1
                        await fetch()
                    recheck = None
                wait = None if recheck is None else max(0.0, recheck[1] - time.monotonic())
                try:
                    frame = await asyncio.wait_for(peer.pushed.get(), wait)
                except TimeoutError:
                    continue
                if frame["type"] == "queue.changed":
                    await fetch()
                    continue
                if frame["type"] == "queue.numbers":
                    if recheck is None and behind(frame["numbers"]):
                        recheck = (frame["numbers"], time.monotonic() + 2)
                    continue
                region, last = str(frame["region"]), numbers.get(str(frame["region"]))
                if last is not None and frame["seq"] <= last:
                    continue  # already in what the page fetched
                if last is None or frame["seq"] > last + 1:
                    self.tally.gaps += 1  # a change missed: staff-chat.js fetches the queue
                    await fetch()
                    continue
                numbers[region] = frame["seq"]
                if frame.get("mine"):
                    await fetch()
                    continue
                if frame.get("row"):
                    self.tally.rows_pushed += 1
                    visible(NEWCOMER.findall(frame["row"].get("nickname") or ""))
        finally:
            with contextlib.suppress(Exception):
                await peer.ws.close()

    # --- a new visitor: intake form, socket, waits in the queue, leaves ---

    async def newcomer(self, number: int) -> None:
        tally = self.tally
        tally.arrivals += 1
        try:
            status, page, cookies = await http_with_cookies(self.visitor_port, "GET", "/chat/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or token is None or "csrftoken" not in cookies:
                tally.intake_failures[f"intake page HTTP {status}"] += 1
                return
            form = {"csrfmiddlewaretoken": token.group(1), "nickname": f"Nieuw-{number}"}
            form.update(age="15", gender="", postcode=bench.POSTCODE)
            waited = False
            while True:
                self.arrived[number] = time.perf_counter()
                status, page, more = await http_with_cookies(
                    self.visitor_port,
                    "POST",
                    "/chat/",
                    f"csrftoken={cookies['csrftoken']}",
                    body=urlencode(form),
                )
                if status != 503:
                    break
                # The chat is full (ADR 0036): the page waits and sends the form again by
                # itself (chat-full.js), as this visitor does, until the run ends.
                tally.told_full += 1
                waited = True
                self.arrived.pop(number, None)
                retry = re.search(r'data-retry-after="(\d+)"', page)
                if not await self.pause(float(retry.group(1)) if retry else 20.0):
                    return
            if waited and status == 302:
                tally.started_after_waiting += 1
        except (OSError, TimeoutError) as error:
            tally.intake_failures[type(error).__name__] += 1
            return
        if status != 302 or "sessionid" not in more:
            tally.intake_failures[f"intake form HTTP {status}"] += 1
            self.arrived.pop(number, None)
            return
        peer = await self.open(
            "newcomer",
            f"ws://127.0.0.1:{self.visitor_port}/ws/chat/",
            f"sessionid={more['sessionid']}",
        )
        if peer is None:
            return
        await asyncio.sleep(self.options.wait)
        peer.leaving = True
        with contextlib.suppress(Exception):
            await peer.ws.send('{"type": "leave"}')
            await asyncio.sleep(0.5)
            await peer.ws.close()

    async def arrivals(self) -> None:
        number = 0
        while await self.pause(self.random.expovariate(1 / self.options.arrival)):
            number += 1
            task = asyncio.create_task(self.newcomer(number))
            self.newcomers.add(task)
            task.add_done_callback(self.newcomers.discard)

    # --- the run ---

    async def run(
        self, pairs: list[dict[str, Any]], cookie_name: str, pids: dict[str, int], pg: str | None
    ) -> dict[str, Any]:
        options, tally = self.options, self.tally
        t0 = time.perf_counter()
        sides = await asyncio.gather(
            *(
                self.open(
                    "employee",
                    f"ws://127.0.0.1:{self.staff_port}/ws/staff/chat/{p['conversation_id']}/",
                    f"{cookie_name}={p['staff_session']}",
                )
                for p in pairs
            ),
            *(
                self.open(
                    "visitor",
                    f"ws://127.0.0.1:{self.visitor_port}/ws/chat/",
                    f"{cookie_name}={p['visitor_session']}",
                )
                for p in pairs
            ),
        )
        staff, visitors = sides[: len(pairs)], sides[len(pairs) :]
        connect_seconds = time.perf_counter() - t0
        # The staff's queue pages are open, as on a desk, before the load: opened all in the
        # same moment (twenty fragments rendered at once) they stall the process for about a
        # second — measured apart (docs/performance.md), not as part of the steady load.
        cookies = [f"{cookie_name}={p['staff_session']}" for p in pairs[: options.queue_pages]]
        pages = [asyncio.create_task(self.queue_page(cookie)) for cookie in cookies]
        deadline = time.perf_counter() + 60
        while self.pages_open < len(pages) and time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
        say(
            f"{sum(1 for side in sides if side)} sockets open in {connect_seconds:.0f} s, "
            f"{self.pages_open} queue pages; load…"
        )
        await asyncio.sleep(1.0)  # presence and state events of the connects settle

        samples: dict[str, Any] = {"rss": dict.fromkeys(pids, 0), "db": 0, "load": 0.0}

        async def sample() -> None:
            while True:
                for name, pid in pids.items():
                    rss = bench.memory_kb(pid).get("VmRSS", 0)
                    samples["rss"][name] = max(samples["rss"][name], rss)
                samples["load"] = max(samples["load"], os.getloadavg()[0])
                if pg:
                    with contextlib.suppress(Exception):
                        count = await asyncio.to_thread(database_connections, pg)
                        samples["db"] = max(samples["db"], count)
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        # This one process plays two thousand browsers: a pause of its own garbage collector
        # (a full one walks everything the run has kept so far, 0.1-0.2 s) would be counted
        # as the server's latency for every frame that arrived meanwhile. Held off during
        # the measured run and the drain; collected after.
        gc.collect()
        gc.freeze()
        gc.disable()
        load_before = os.getloadavg()
        cpu_before = {name: bench.cpu_seconds(pid) for name, pid in pids.items()}
        services_before = bench.cpu_by_command({"postgres", "redis-server"})
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        busy_before = bench.machine_busy()
        start = time.perf_counter()
        self.stop_at = start + options.duration
        work = [
            self.talk(me, other)
            for visitor, employee in zip(visitors, staff, strict=True)
            if visitor is not None and employee is not None
            for me, other in ((visitor, employee), (employee, visitor))
        ]
        if not options.no_arrivals:
            work.append(self.arrivals())
        await asyncio.gather(*work)
        elapsed = time.perf_counter() - start
        busy_after = bench.machine_busy()
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        services_after = bench.cpu_by_command({"postgres", "redis-server"})
        cpu_after = {name: bench.cpu_seconds(pid) for name, pid in pids.items()}
        load_after = os.getloadavg()
        say(f"load done; draining up to {options.drain:.0f} s")
        # Drain: what is on its way may still arrive; what has not after this is counted lost.
        drain_until = time.perf_counter() + options.drain
        while time.perf_counter() < drain_until and any(
            not s.delivered and s.receiver.alive for s in self.sent.values()
        ):
            await asyncio.sleep(0.25)
        self.finished = True
        gc.enable()
        gc.unfreeze()
        sampler.cancel()
        for task in [*pages, *self.newcomers]:
            task.cancel()
        live = [peer for peer in [*visitors, *staff] if peer is not None]
        await asyncio.gather(*(peer.ws.close() for peer in live), return_exceptions=True)
        for peer in live:
            peer.reader.cancel()

        undelivered = sum(1 for s in self.sent.values() if not s.delivered)
        client_cpu = (client_after.ru_utime + client_after.ru_stime) - (
            client_before.ru_utime + client_before.ru_stime
        )
        busy = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])
        return {
            "conversations_connected": sum(
                1 for v, s in zip(visitors, staff, strict=True) if v and s
            ),
            "connect_seconds": round(connect_seconds, 1),
            "seconds": round(elapsed, 1),
            "offered_messages_per_second": round(tally.sent / elapsed, 1),
            "offered_typing_per_second": round(tally.typing_sent / elapsed, 1),
            "messages_sent": tally.sent,
            "messages_delivered": len(tally.latencies),
            "messages_not_delivered": undelivered,
            "duplicates": tally.duplicates,
            "told_busy": tally.told_busy,
            "busy_frames": tally.busy_frames,
            "calm_frames": tally.calm_frames,
            "told_full": tally.told_full,
            "started_after_waiting": tally.started_after_waiting,
            "resent_after_busy": tally.resent,
            "refused": dict(tally.refused),
            "sockets_dropped": dict(tally.closed),
            "connect_failures": dict(tally.connect_failures),
            "latency_ms": bench.percentiles(tally.latencies),
            "latency_ms_by_10s_sent": latency_windows(tally, start),
            "arrivals": tally.arrivals,
            "intake_failures": dict(tally.intake_failures),
            "queue_visible_ms": bench.percentiles(tally.visibility),
            "queue_visible_samples": len(tally.visibility),
            "queue_fragments_fetched": tally.fragments,
            "queue_rows_pushed": tally.rows_pushed,
            "queue_gaps": tally.gaps,
            "queue_fragment_failures": dict(tally.fragment_failures),
            "server_peak_rss_mb": {k: round(v / 1024, 1) for k, v in samples["rss"].items()},
            "server_cpu_percent": {
                name: round(100 * (cpu_after[name] - cpu_before[name]) / elapsed, 1)
                for name in pids
            },
            "database_and_redis_cpu_percent": {
                name: round(100 * (services_after[name] - services_before[name]) / elapsed, 1)
                for name in services_after
            },
            "client_cpu_percent": round(100 * client_cpu / elapsed, 1),
            "machine_busy_percent": round(100 * busy, 1),
            "load_average_1min": {
                "before": round(load_before[0], 2),
                "peak": round(samples["load"], 2),
                "after": round(load_after[0], 2),
            },
            "database_connections_peak": samples["db"] if pg else None,
        }


def latency_windows(tally: OpenTally, start: float) -> list[dict[str, Any]]:
    """Latency by when the message was sent, in 10 s windows of the run: a busy spell shows
    where it was (the ramp, a sweep, all through)."""
    windows: dict[int, list[float]] = {}
    for at, latency in zip(tally.sent_at, tally.latencies, strict=True):
        windows.setdefault(int((at - start) // 10), []).append(latency)
    return [
        {"from_s": 10 * index, "count": len(values), **bench.percentiles(values)}
        for index, values in sorted(windows.items())
    ]


def say(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", flush=True)


def database_connections(url: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=3) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
            [bench.POSTGRES_DATABASE],
        ).fetchone()
    return int(row[0]) - 1 if row else 0  # not counting this one


async def http_with_cookies(
    port: int, method: str, path: str, cookie: str = "", body: str = ""
) -> tuple[int, str, dict[str, str]]:
    """One HTTP/1.1 request on a fresh connection, as a browser's form would send it."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        if cookie:
            head.append(f"Cookie: {cookie}")
        if body:
            head += ["Content-Type: application/x-www-form-urlencoded"]
        head.append(f"Content-Length: {len(body.encode())}")
        writer.write(("\r\n".join(head) + "\r\n\r\n" + body).encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), 60)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
    header, _sep, content = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    cookies: dict[str, str] = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        if name.lower() == "set-cookie":
            key, _eq, rest = value.strip().partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return status, content.decode("utf-8", errors="replace"), cookies


async def http(port: int, method: str, path: str, cookie: str) -> tuple[int, str]:
    try:
        status, page, _cookies = await http_with_cookies(port, method, path, cookie)
    except (OSError, TimeoutError) as error:
        return 0, type(error).__name__
    return status, page


def run_open(mode: str, options: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"mode": mode}
    pg: str | None = None
    if mode == "embedded":
        database_url, redis_url = f"sqlite:///{workdir / 'chat.sqlite3'}", None
        result.update(processes=1, database="SQLite", channel_layer="in-memory")
    else:
        database_url, pg_version = bench.fresh_postgres(options.postgres)
        redis_url, pg = options.redis, f"{options.postgres}/postgres"
        result.update(
            processes=options.processes,
            database=f"PostgreSQL {pg_version}",
            channel_layer=f"Redis {bench.clear_redis(redis_url)}",
        )
    env = bench.server_env(database_url, redis_url, options.conn_max_age)
    bench.manage(env, "migrate", "--noinput", "--verbosity", "0")
    bench.manage(env, "load_region_data", "--verbosity", "0")
    say("database ready; making the employees, their sessions and the running chats")
    world = bench.run_worker(env, workdir, "world", "--conversations", str(options.conversations))
    say("world ready; starting the server processes")
    names = ["server"] if mode == "embedded" else [f"server-{n}" for n in range(options.processes)]
    servers = [bench.Server.uvicorn(f"open-{mode}-{name}", env, workdir) for name in names]
    try:
        for server in servers:
            server.wait_healthy()
        load = OpenLoad(options, visitor_port=servers[0].port, staff_port=servers[-1].port)
        pids = {server.name: server.process.pid for server in servers}
        result.update(bench.run_async(lambda: load.run(world["pairs"], world["cookie"], pids, pg)))
    finally:
        for server in servers:
            server.stop()
        if redis_url:
            bench.clear_redis(redis_url)
    result["server_log_problems"] = {s.name: s.problems()[:20] for s in servers if s.problems()}
    return result


def print_table(results: dict[str, Any]) -> None:
    print(
        f"\nVangnet chat, open loop — {results['conversations']} conversations, a message every "
        f"~{results['interval']} s per person, {results['duration']} s, "
        f"{results['machine']['cores']} cores"
    )
    print(
        f"{'run':<10}{'msg/s':>7}{'typ/s':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'lost':>6}{'dup':>5}{'busy':>6}{'drop':>6}{'queue p99':>10}{'RSS MB':>10}"
        f"{'srv CPU%':>10}{'db conn':>8}{'load':>6}"
    )
    for name, run in results["runs"].items():
        latency = run["latency_ms"]
        rss = "+".join(f"{v:.0f}" for v in run["server_peak_rss_mb"].values())
        cpu = "+".join(f"{v:.0f}" for v in run["server_cpu_percent"].values())
        print(
            f"{name:<10}{run['offered_messages_per_second']:>7}"
            f"{run['offered_typing_per_second']:>7}{latency['p50']:>9}{latency['p95']:>9}"
            f"{latency['p99']:>9}{run['messages_not_delivered']:>6}{run['duplicates']:>5}"
            f"{run['told_busy']:>6}{sum(run['sockets_dropped'].values()):>6}"
            f"{run['queue_visible_ms']['p99']:>10}{rss:>10}{cpu:>10}"
            f"{run['database_connections_peak'] or '-':>8}{run['load_average_1min']['peak']:>6}"
        )
    for name, run in results["runs"].items():
        print(
            f"{name}: queue pages fetched the fragment {run['queue_fragments_fetched']} times, "
            f"applied {run['queue_rows_pushed']} pushed rows, missed {run['queue_gaps']} changes"
        )
    for name, run in results["runs"].items():
        trouble = {
            key: run[key]
            for key in (
                "refused",
                "sockets_dropped",
                "connect_failures",
                "intake_failures",
                "queue_fragment_failures",
                "server_log_problems",
            )
            if run[key]
        }
        if trouble:
            print(f"WARNING {name}: {json.dumps(trouble, ensure_ascii=False)[:2000]}")
        print(
            f"{name}: visitors told busy {run['busy_frames']} times"
            f" (calm again {run['calm_frames']} times);"
            f" new chats told full {run['told_full']} times, started after waiting"
            f" {run['started_after_waiting']}"
        )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.chat_bench_open",
        description="The chat in an open loop over real WebSockets (docs/performance.md).",
    )
    parser.add_argument("--conversations", type=int, default=250, help="N at once (250)")
    parser.add_argument("--mode", choices=["embedded", "scaled", "both"], default="both")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (60)")
    parser.add_argument(
        "--interval", type=float, default=10.0, help="mean seconds between one person's messages"
    )
    parser.add_argument(
        "--arrival", type=float, default=4.0, help="mean seconds between new visitors (4)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        choices=[1, 2],
        default=2,
        help="scaled: web processes (2: visitors on one, staff on the other; 1: both on one)",
    )
    parser.add_argument("--wait", type=float, default=20.0, help="a new visitor waits, then goes")
    parser.add_argument("--queue-pages", type=int, default=20, help="open staff queue pages (20)")
    parser.add_argument("--no-typing", action="store_true", help="no typing hints")
    parser.add_argument("--no-arrivals", action="store_true", help="no new visitors")
    parser.add_argument("--drain", type=float, default=30.0, help="seconds to wait for stragglers")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=0,
        help="0: pooled PostgreSQL connections (production); N: per thread, kept N s",
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    bench.raise_file_limit(options.conversations + options.queue_pages + 200)
    modes = ["embedded", "scaled"] if options.mode == "both" else [options.mode]
    if options.mode == "both" and not bench.services_answer(options):
        print("chat open bench: PostgreSQL or Redis does not answer; scaled run skipped.")
        modes = ["embedded"]
    workdir = Path(tempfile.mkdtemp(prefix="vangnet-chat-open-"))
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": bench.machine(),
        "conversations": options.conversations,
        "interval": options.interval,
        "arrival": None if options.no_arrivals else options.arrival,
        "typing": not options.no_typing,
        "duration": options.duration,
        "queue_pages": options.queue_pages,
        "runs": {},
    }
    try:
        for mode in modes:
            print(f"chat open bench: {mode}, {options.conversations} conversations…", flush=True)
            results["runs"][mode] = run_open(mode, options, workdir)
    finally:
        if options.keep:
            print(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(results)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {options.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
