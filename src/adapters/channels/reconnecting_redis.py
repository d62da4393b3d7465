"""Redis pub/sub for the live endpoints that outlives a Redis restart.

Litestar's RedisChannelsPubSubBackend ends its event stream at the first connection error, and the
ChannelsPlugin does not start it again: an API process would relay no more live events, to old or
new subscribers, until it was restarted. This backend keeps the channels its clients follow, waits
for Redis to come back (with a growing pause, logged once per outage), subscribes again, and goes on.
Events published while Redis was away are lost; the database still holds what happened.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Iterable
from typing import Any

from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("agentry.live")
RETRY_MIN_S = 0.25
RETRY_MAX_S = 5.0
READ_TIMEOUT_S = 1.0


class ReconnectingRedisPubSubBackend(RedisChannelsPubSubBackend):
    def __init__(self, *, redis: Redis[Any]) -> None:
        super().__init__(redis=redis)
        self._wanted: set[str] = set()
        self._changed = asyncio.Event()
        self._down = False

    async def subscribe(self, channels: Iterable[str]) -> None:
        new = set(channels) - self._wanted
        if not new:
            return
        self._wanted |= new
        self._changed.set()
        try:
            await self._pub_sub.subscribe(*new)
        except (RedisError, OSError) as error:  # the stream subscribes once Redis is back
            self._lost(error)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        gone = set(channels) & self._wanted
        if not gone:  # (no names at all would unsubscribe from every channel)
            return
        self._wanted -= gone
        try:
            await self._pub_sub.unsubscribe(*gone)
        except (RedisError, OSError) as error:  # the stream drops them once Redis is back
            self._lost(error)

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        pause = RETRY_MIN_S
        while True:
            if not self._wanted:
                self._changed.clear()
                await self._changed.wait()
                continue
            try:
                await self._catch_up()
                message = await self._pub_sub.get_message(ignore_subscribe_messages=True, timeout=READ_TIMEOUT_S)
            except (RedisError, OSError) as error:
                self._lost(error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX_S)
                continue
            if self._down:
                log.warning("live events: Redis is back; relaying again")
                self._down = False
            pause = RETRY_MIN_S
            if message is None:
                continue
            channel = message["channel"].decode()
            if channel in self._wanted:  # an unsubscription may still be on its way
                yield channel, message["data"]

    async def _catch_up(self) -> None:
        """Subscribe to what clients follow and Redis does not know of (asked while it was away), and
        drop what they no longer follow (a reconnection subscribes again to all the client knew)."""
        subscribed = {name.decode() if isinstance(name, bytes) else name for name in self._pub_sub.channels}
        if missing := self._wanted - subscribed:
            await self._pub_sub.subscribe(*missing)
        if stale := subscribed - self._wanted - self._pending_unsubscribe():
            await self._pub_sub.unsubscribe(*stale)

    def _pending_unsubscribe(self) -> set[str]:
        return {
            name.decode() if isinstance(name, bytes) else name for name in self._pub_sub.pending_unsubscribe_channels
        }

    def _lost(self, error: BaseException) -> None:
        if not self._down:
            log.warning("live events: Redis unreachable (%s: %s); retrying", type(error).__name__, error)
        self._down = True
