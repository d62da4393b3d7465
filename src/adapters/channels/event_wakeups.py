"""Wake-ups for the event relays of the API processes, on Redis pub/sub: a process that runs no event
relay (a worker) says, after a commit that wrote events, that there are events to deliver. An empty
message (a plain PUBLISH) on one channel of the deployment, which the API processes subscribe to.

The first announcement after a quiet spell goes out at once; those that come while one is being sent,
or within `hold_s` after it, are folded into one more at the end of that time. An API process's event
relay passes at most once per its own gap (entrypoints.relay.events.PASS_GAP_S, 40 ms), so wake-ups
closer together than that bought nothing: each cost both sides a Redis message (a busy worker sent
about 1.6 a task, and receiving one cost the API process some 0.4 ms of CPU)."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis

log = logging.getLogger("agentry.events")
PUBLISH_TIMEOUT_S = 1.0
HOLD_S = 0.02  # half the relay's pass gap: an event waits at most this much longer for its wake-up


class EventWakeupPublisher:
    def __init__(self, redis: Redis[bytes], channel: str, hold_s: float = HOLD_S) -> None:
        self._redis = redis
        self._channel = channel
        self._hold_s = hold_s
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
            await asyncio.sleep(self._hold_s)  # announcements meanwhile fold into one at its end
            if not self._again:
                return
