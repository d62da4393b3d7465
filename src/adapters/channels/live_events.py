"""The LiveEvents port on a Litestar channels backend: each event goes to its task's and its project's channel
(a document's or a knowledge graph fact's, to its project's)."""

from __future__ import annotations

import asyncio
import logging

from litestar.channels.backends.base import ChannelsBackend
from redis.asyncio import Redis

from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.wire import encode
from agentry.application.ports.live_events import DocumentChanged, KnowledgeChanged, LiveEvent, PublicationChanged

log = logging.getLogger("agentry.live")
PUBLISH_TIMEOUT_S = 1.0


class ChannelsLiveEvents:
    """Publishes straight on the backend (not through the plugin's queue): awaited in order, so the
    events of one worker arrive in the order they happened, and a worker process, which runs no
    Litestar app, can publish with the same backend the API processes listen on.

    With `redis`, the client of a Redis backend, the events of one call go out in one round trip (a
    pipeline of PUBLISH, in order: what the backend's script does an event at a time)."""

    def __init__(self, backend: ChannelsBackend, names: ChannelNames, redis: Redis[bytes] | None = None) -> None:
        self._backend = backend
        self._names = names
        self._redis = redis

    async def publish(self, *events: LiveEvent) -> None:
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                if self._redis is None:
                    for event in events:
                        await self._backend.publish(encode(event), self._channels(event))
                    return
                async with self._redis.pipeline(transaction=False) as pipe:
                    for event in events:
                        data = encode(event)
                        for channel in self._channels(event):
                            pipe.publish(channel, data)
                    await pipe.execute()
        except Exception as error:  # the database holds what happened; watchers can read it there
            log.warning("live events not announced (%s: %s)", type(error).__name__, error)

    def _channels(self, event: LiveEvent) -> tuple[str, ...]:
        if isinstance(event, DocumentChanged | KnowledgeChanged | PublicationChanged):
            return (self._names.project(event.project_id),)
        return (self._names.task(event.task_id), self._names.project(event.project_id))


class UnwatchedLiveEvents:
    """For a process no one can watch (the embedded profile's CLI: its channels live in `serve`)."""

    async def publish(self, *events: LiveEvent) -> None:
        return None
