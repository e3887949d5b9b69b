"""A WebSocket health probe: accepts, round-trips one message through the channel layer."""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncWebsocketConsumer


class HealthConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.channel_layer.send(self.channel_name, {"type": "health.echo"})

    async def health_echo(self, event: dict) -> None:
        await self.send(text_data=json.dumps({"status": "ok"}))
        await self.close()
