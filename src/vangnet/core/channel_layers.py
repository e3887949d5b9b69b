"""The embedded default's channel layer: Channels' in-memory layer, swept less often.

Channels' `InMemoryChannelLayer` walks every channel and group for expired entries on each
`receive` and `group_send`; with a thousand open chats that walk was a quarter of a busy
process's time (docs/performance.md). Expiry is measured in a minute (messages) and a day
(group membership), so sweeping once a second changes nothing anybody notices.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    sweep_interval = 1.0  # seconds
    _swept_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < self.sweep_interval:
            return
        self._swept_at = now
        super()._clean_expired()
