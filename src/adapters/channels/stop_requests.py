"""Stop requests across processes, on the channels backend live events use (Redis pub/sub in production).

An API process publishes a request on one channel of the deployment; each worker process subscribes to
that channel once and wakes the run of the named task, if it runs there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from uuid import UUID

import msgspec
from litestar.channels.backends.base import ChannelsBackend

from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.channels.subscription import ChannelSubscription

log = logging.getLogger("agentry.signals")
PUBLISH_TIMEOUT_S = 1.0


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


class StopRequestListener(ChannelSubscription):
    """One subscription per process. Requests sent while it is not subscribed are lost; the runs'
    polls notice those cancels instead."""

    def __init__(self, hub: RunSignalHub, connect: Callable[[], ChannelsBackend], channel: str) -> None:
        super().__init__(connect, channel, self._deliver, "stop requests")
        self._hub = hub

    def _deliver(self, payload: bytes) -> None:
        try:
            request = _decoder.decode(payload)
        except msgspec.DecodeError:
            log.warning("stop requests: ignored a message that is not one (%r)", payload[:200])
            return
        self._hub.deliver(request.task_id)
