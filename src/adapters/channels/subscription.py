"""One process's subscription to one channel that outlives a Redis restart: each message goes to a
callback; when the connection breaks it subscribes again (messages sent meanwhile are lost, so what
listens must also look by itself now and then)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from litestar.channels.backends.base import ChannelsBackend

log = logging.getLogger("agentry.signals")
RESUBSCRIBE_AFTER_S = 0.5  # doubled after each failure in a row, up to the maximum
RESUBSCRIBE_MAX_S = 8.0


class ChannelSubscription:
    def __init__(
        self,
        connect: Callable[[], ChannelsBackend],
        channel: str,
        on_message: Callable[[bytes], None],
        what: str,
        on_subscribed: Callable[[], None] | None = None,
    ) -> None:
        """`what` names the messages in the log; `on_subscribed` runs after each (re)subscription."""
        self._connect = connect
        self._channel = channel
        self._on_message = on_message
        self._on_subscribed = on_subscribed
        self._what = what
        self.subscribed = asyncio.Event()

    async def run(self) -> None:
        """Hand messages to the callback until cancelled."""
        failures = 0
        while True:
            backend = self._connect()
            try:
                await backend.on_startup()
                await backend.subscribe([self._channel])
                self.subscribed.set()
                if failures:
                    log.warning("%s: subscribed again", self._what)
                failures = 0
                if self._on_subscribed is not None:
                    self._on_subscribed()
                async for _channel, payload in backend.stream_events():
                    self._on_message(payload)
            except Exception as error:
                failures += 1
                if failures == 1:
                    log.warning("%s: subscription lost (%s: %s)", self._what, type(error).__name__, error)
            finally:
                self.subscribed.clear()
                with contextlib.suppress(Exception):
                    await backend.on_shutdown()
            await asyncio.sleep(min(RESUBSCRIBE_MAX_S, RESUBSCRIBE_AFTER_S * 2 ** max(failures - 1, 0)))
