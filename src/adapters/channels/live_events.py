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
# A call's events, each to its channels, in order, in one command: as a pipeline of PUBLISH, the client
# packed a command and read a reply (each under a time-out of its own) per event and channel, which was
# about 2/5 of the event relay's CPU time (2-3 PUBLISH a task event; measured with bench/relay.py).
_PUBLISH_ALL = """
for i = 1, #ARGV, 2 do
  redis.call('PUBLISH', ARGV[i], ARGV[i + 1])
end
return #ARGV / 2
"""


class ChannelsLiveEvents:
    """Publishes straight on the backend (not through the plugin's queue): awaited in order, so the
    events of one worker arrive in the order they happened, and a worker process, which runs no
    Litestar app, can publish with the same backend the API processes listen on.

    With `redis`, the client of a Redis backend, the events of one call go out in one round trip and one
    command (a script that PUBLISHes them in order: what the backend's script does an event at a time)."""

    def __init__(self, backend: ChannelsBackend, names: ChannelNames, redis: Redis[bytes] | None = None) -> None:
        self._backend = backend
        self._names = names
        self._publish_all = redis.register_script(_PUBLISH_ALL) if redis is not None else None

    async def publish(self, *events: LiveEvent) -> None:
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                if self._publish_all is None:
                    for event in events:
                        await self._backend.publish(encode(event), self._channels(event))
                    return
                args: list[str | bytes] = []
                for event in events:
                    data = encode(event)
                    for channel in self._channels(event):
                        args += (channel, data)
                if args:
                    await self._publish_all(keys=[], args=args)
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
