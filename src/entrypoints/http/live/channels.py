"""What the live endpoints share: the channels this API process serves, the signal that the process
is stopping (open streams then end themselves), and each WebSocket client's bounded backlog."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from uuid import UUID

import msgspec
from litestar.channels import ChannelsPlugin

from agentry.adapters.channels.names import ChannelNames

BACKLOG_LIMIT = 1_000


@dataclass(frozen=True, slots=True)
class LiveChannels:
    plugin: ChannelsPlugin
    names: ChannelNames
    backlog_limit: int = BACKLOG_LIMIT
    recheck_s: float = 30.0
    max_json_depth: int = 32  # of a client's messages (AGENTRY_MAX_JSON_DEPTH)
    draining: asyncio.Event = field(default_factory=asyncio.Event)

    def turn_sent(self, session_id: UUID) -> None:
        """Wakes the followers of the session, in every API process, that wait for its next turn."""
        self.plugin.publish(b"", self.names.chat(session_id))


class Backlog:
    """Messages waiting for one client. A client that reads slower than events come loses the
    oldest beyond `limit`, and is told how many before its next message, so it can read them
    back from the database; the channel never waits for it, so no one else waits either."""

    def __init__(self, limit: int) -> None:
        self._items: deque[bytes] = deque()
        self._limit = limit
        self._dropped = 0
        self._ready = asyncio.Event()

    def put(self, item: bytes) -> None:
        if len(self._items) >= self._limit:
            self._items.popleft()
            self._dropped += 1
        self._items.append(item)
        self._ready.set()

    async def get(self) -> bytes:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        if self._dropped:
            dropped, self._dropped = self._dropped, 0
            return msgspec.json.encode({"type": "lagged", "dropped": dropped})
        return self._items.popleft()
