"""The LiveEvents port on a Litestar channels backend: each event goes to its task's and its project's channel
(a document's or a knowledge graph fact's, to its project's)."""

from __future__ import annotations

import asyncio
import logging

from litestar.channels.backends.base import ChannelsBackend

from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.wire import encode
from agentry.application.ports.live_events import DocumentChanged, KnowledgeChanged, LiveEvent, PublicationChanged

log = logging.getLogger("agentry.live")
PUBLISH_TIMEOUT_S = 1.0


class ChannelsLiveEvents:
    """Publishes straight on the backend (not through the plugin's queue): awaited in order, so the
    events of one worker arrive in the order they happened, and a worker process, which runs no
    Litestar app, can publish with the same backend the API processes listen on."""

    def __init__(self, backend: ChannelsBackend, names: ChannelNames) -> None:
        self._backend = backend
        self._names = names

    async def publish(self, *events: LiveEvent) -> None:
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                for event in events:
                    if isinstance(event, DocumentChanged | KnowledgeChanged | PublicationChanged):
                        channels: tuple[str, ...] = (self._names.project(event.project_id),)
                    else:
                        channels = (self._names.task(event.task_id), self._names.project(event.project_id))
                    await self._backend.publish(encode(event), channels)
        except Exception as error:  # the database holds what happened; watchers can read it there
            log.warning("live events not announced (%s: %s)", type(error).__name__, error)


class UnwatchedLiveEvents:
    """For a process no one can watch (the embedded profile's CLI: its channels live in `serve`)."""

    async def publish(self, *events: LiveEvent) -> None:
        return None
