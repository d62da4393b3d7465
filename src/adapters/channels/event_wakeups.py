"""Wake-ups for the event relays of the API processes, on Redis pub/sub: a process that runs no event
relay (a worker) says, after a commit that wrote events, that there are events to deliver. An empty
message (a plain PUBLISH) on one channel of the deployment, which the API processes subscribe to;
announcements that come while one is being sent are folded into one more after it, so a busy worker
sends few."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis

log = logging.getLogger("agentry.events")
PUBLISH_TIMEOUT_S = 1.0


class EventWakeupPublisher:
    def __init__(self, redis: Redis[bytes], channel: str) -> None:
        self._redis = redis
        self._channel = channel
        self._sending: asyncio.Task[None] | None = None
        self._again = False

    def notify(self) -> None:
        """Called on the event loop after a commit; returns at once (the message goes out in the background)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop, no relay to wake from here: the relays' polls find the events
        if self._sending is not None and not self._sending.done():
            self._again = True
            return
        self._sending = loop.create_task(self._send())

    async def _send(self) -> None:
        while True:
            self._again = False
            try:
                async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                    await self._redis.publish(self._channel, b"")
            except Exception as error:  # the relays' polls deliver the events a little later
                log.debug("event wake-up not sent (%s: %s)", type(error).__name__, error)
            if not self._again:
                return
