"""While Redis (the channel layer) is down the public chat says so and recovers by itself
(Issue 13.6). A private redis-server on a free port is started, stopped and started again;
the shared one is never touched."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from vangnet.chat import consumers
from vangnet.testing.servers import PrivateRedis

from .helpers import region_with_postcode
from .test_chat_sockets import next_of, send, socket, visitor_browser

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


@pytest.fixture
def redis_layer(tmp_path, settings) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(tmp_path)
    redis.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": f"redis://127.0.0.1:{redis.port}/0", "socket_timeout": 2}],
                "prefix": f"vangnet-outage-{redis.port}",
            },
        }
    }
    try:
        yield redis
    finally:
        redis.stop()


def test_while_redis_is_down_the_chat_says_it_is_briefly_unavailable_and_then_recovers(
    redis_layer,
):
    region_with_postcode()
    redis_layer.stop()

    # Starting a chat stores it; the queue hears of it later (a refresh), not a 500 now.
    visitor, chat = visitor_browser()
    page = visitor.get("/chat/")
    assert page.status_code == 200

    async def while_down() -> None:
        child = socket("/ws/chat/", visitor)
        connected, _code = await child.connect(timeout=5)
        assert connected  # answered, not a 500
        frame = json.loads(await child.receive_from(timeout=5))
        assert frame["type"] == "unavailable"
        output = await child.receive_output(timeout=5)
        assert output == {"type": "websocket.close", "code": consumers.CLOSE_TRY_AGAIN_LATER}

    async_to_sync(while_down)()

    redis_layer.start()

    async def after() -> None:
        child = socket("/ws/chat/", visitor)
        connected, _code = await child.connect(timeout=5)
        assert connected
        await send(child, type="hello", after=0)
        history = await next_of(child, "history")
        assert history["messages"]
        await send(child, type="send", key="k-1", body="Is er iemand?")
        assert (await next_of(child, "ack"))["key"] == "k-1"
        await child.disconnect()

    async_to_sync(after)()
    assert chat.messages.filter(body="Is er iemand?").count() == 1


def test_the_chat_page_carries_the_unavailable_text_with_the_phone_number():
    region_with_postcode()
    visitor, _chat = visitor_browser()
    page = Client.get(visitor, "/chat/").content.decode()
    assert "data-unavailable=" in page
    assert "0800-2000" in page.split("data-unavailable=", 1)[1].split('"', 2)[1]
