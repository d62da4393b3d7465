"""Stop requests across processes, on the channels backend live events use (Redis pub/sub in production).

An API process publishes a request on one channel of the deployment; each worker process subscribes to
that channel once and wakes the run of the named task, if it runs there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from uuid import UUID

import msgspec
from litestar.channels.backends.base import ChannelsBackend

from agentry.adapters.channels.run_signals import RunSignalHub

log = logging.getLogger("agentry.signals")
PUBLISH_TIMEOUT_S = 1.0
RESUBSCRIBE_AFTER_S = 0.5  # doubled after each failure in a row, up to the maximum
RESUBSCRIBE_MAX_S = 8.0


class StopRequest(msgspec.Struct, frozen=True):
    task_id: UUID


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(StopRequest)


class ChannelsStopRequests:
    def __init__(self, backend: ChannelsBackend, channel: str) -> None:
        self._backend = backend
        self._channel = channel

    async def request_stop(self, task_id: UUID) -> None:
        """Tried twice: a first try on a connection that Redis closed (it restarted) fails and the
        client drops that connection; the second connects afresh."""
        payload = _encoder.encode(StopRequest(task_id))
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                try:
                    await self._backend.publish(payload, [self._channel])
                except Exception:
                    await self._backend.publish(payload, [self._channel])
        except Exception as error:  # the worker's poll notices the cancel a little later
            log.warning("stop request for task %s not sent (%s: %s)", task_id, type(error).__name__, error)


class StopRequestListener:
    """One subscription per process. When the connection breaks it subscribes again; requests sent
    meanwhile are lost, and the runs' polls notice those cancels instead."""

    def __init__(self, hub: RunSignalHub, connect: Callable[[], ChannelsBackend], channel: str) -> None:
        self._hub = hub
        self._connect = connect
        self._channel = channel
        self.subscribed = asyncio.Event()

    async def run(self) -> None:
        """Deliver requests to the hub until cancelled."""
        failures = 0
        while True:
            backend = self._connect()
            try:
                await backend.on_startup()
                await backend.subscribe([self._channel])
                self.subscribed.set()
                if failures:
                    log.warning("stop requests: subscribed again")
                failures = 0
                async for _channel, payload in backend.stream_events():
                    self._deliver(payload)
            except Exception as error:
                failures += 1
                if failures == 1:
                    log.warning("stop requests: subscription lost (%s: %s)", type(error).__name__, error)
            finally:
                self.subscribed.clear()
                with contextlib.suppress(Exception):
                    await backend.on_shutdown()
            await asyncio.sleep(min(RESUBSCRIBE_MAX_S, RESUBSCRIBE_AFTER_S * 2 ** max(failures - 1, 0)))

    def _deliver(self, payload: bytes) -> None:
        try:
            request = _decoder.decode(payload)
        except msgspec.DecodeError:
            log.warning("stop requests: ignored a message that is not one (%r)", payload[:200])
            return
        self._hub.deliver(request.task_id)
