"""A bare WebSocket relay: the practical ceiling for the chat benchmark on this machine.

No Django, no database, no channel layer: a pure `websockets` server that pairs two
sockets by the id in their path (`/pair/<id>/visitor` and `/pair/<id>/employee`) and
forwards what one sends to the other. It speaks just enough of the chat's protocol for
`benchmarks.chat_bench` to drive it with the very same client: `hello` is answered with an
empty `history`, and `{"type": "send", "key", "body"}` becomes a `message` frame at the
peer plus an `ack` to the sender (the chat server sends those two and also echoes the
message to its sender). `GET /healthz` answers 200.

    python -m benchmarks.bench_relay --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
import json
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

PEER = {"visitor": "employee", "employee": "visitor"}

rooms: dict[str, dict[str, ServerConnection]] = {}


def health(connection: ServerConnection, request: Request) -> Response | None:
    if request.path == "/healthz":
        return connection.respond(HTTPStatus.OK, "ok\n")
    return None


async def relay(websocket: ServerConnection) -> None:
    parts = websocket.request.path.strip("/").split("/") if websocket.request else []
    if len(parts) != 3 or parts[0] != "pair" or parts[2] not in PEER:
        await websocket.close(code=4404)
        return
    room_id, role = parts[1], parts[2]
    room = rooms.setdefault(room_id, {})
    room[role] = websocket
    try:
        async for text in websocket:
            frame: dict[str, Any] = json.loads(text)
            kind = frame.get("type")
            if kind == "send":
                key, body = frame.get("key"), frame.get("body")
                peer = room.get(PEER[role])
                if peer is not None:
                    message = {"key": key, "body": body, "sender": role}
                    await peer.send(json.dumps({"type": "message", "message": message}))
                await websocket.send(json.dumps({"type": "ack", "key": key}))
            elif kind == "hello":
                await websocket.send('{"type": "history", "messages": []}')
    except ConnectionClosed:
        pass
    finally:
        if room.get(role) is websocket:
            del room[role]
        if not room:
            rooms.pop(room_id, None)


async def main(host: str, port: int) -> None:
    async with serve(relay, host, port, process_request=health, max_queue=64) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    try:
        import uvloop  # the chat server runs on uvloop under uvicorn; so does its ceiling
    except ImportError:
        asyncio.run(main(options.host, options.port))
    else:
        uvloop.run(main(options.host, options.port))
