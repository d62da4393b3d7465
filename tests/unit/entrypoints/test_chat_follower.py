"""A chat follower waiting for a session's next turn ends when it is stopped, without waiting out its
poll, and reads the session no more; nudged, or told on the session's channel that a turn was sent
(from any API process), it reads the session again at once; while the turn waits queued, so does a
message on the project's channel (where the turn's task is told once the event relay starts it)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from agentry.adapters.channels.names import ChannelNames
from agentry.domain.principal import Principal
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.http.live.chat_stream import ChatFollower

NAMES = ChannelNames("test")


class IdleSession:
    """ReadTurns for a session with no turn yet (or, `queued`, its turn 1 waiting): counts the reads."""

    def __init__(self, queued: bool = False) -> None:
        self.reads = 0
        self.read = asyncio.Event()
        self.project_id = uuid4()
        self.turns = [SimpleNamespace(number=1, task_id=None)] if queued else []

    async def __call__(self, *args: Any, **kwargs: Any) -> tuple[object, list[object]]:
        self.reads += 1
        self.read.set()
        return SimpleNamespace(project_id=self.project_id), list(self.turns)


class Request:
    def __init__(self, read: IdleSession) -> None:
        self._read = read

    async def get(self, _: type) -> IdleSession:
        return self._read


def follower_of(read: IdleSession, live: LiveChannels | None = None) -> ChatFollower:
    @contextlib.asynccontextmanager
    async def scope() -> AsyncIterator[Any]:
        yield Request(read)

    live = live or LiveChannels(ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True), NAMES)
    follower = ChatFollower(scope, live, Principal(uuid4(), "ada"), uuid4())
    follower.idle_poll_s = follower.idle_poll_max_s = 30.0
    return follower


async def test_a_stopped_follower_ends_at_once_and_reads_no_more() -> None:
    read = IdleSession()
    follower = follower_of(read)
    events = asyncio.create_task(anext(follower.events(1), None))
    await asyncio.wait_for(read.read.wait(), 2)
    follower.stop()
    assert await asyncio.wait_for(events, 2) is None  # not after the 30 s poll
    assert read.reads == 1


async def test_a_follower_not_stopped_keeps_waiting() -> None:
    follower = follower_of(IdleSession())
    events = asyncio.create_task(anext(follower.events(1), None))
    await asyncio.sleep(0.2)
    assert not events.done()
    events.cancel()


async def test_a_nudged_follower_reads_the_session_again_at_once() -> None:
    read = IdleSession()
    follower = follower_of(read)
    events = asyncio.create_task(anext(follower.events(1), None))
    await asyncio.wait_for(read.read.wait(), 2)
    read.read.clear()
    follower.nudge()
    await asyncio.wait_for(read.read.wait(), 2)  # not after the 30 s poll
    assert read.reads == 2
    follower.stop()
    await asyncio.wait_for(events, 2)


async def test_a_turn_sent_to_the_session_wakes_its_follower() -> None:
    plugin = ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True)
    await plugin._on_startup()
    try:
        read = IdleSession()
        live = LiveChannels(plugin, NAMES)
        follower = follower_of(read, live)
        events = asyncio.create_task(anext(follower.events(1), None))
        await asyncio.wait_for(read.read.wait(), 2)
        read.read.clear()
        live.turn_sent(follower._session_id)
        await asyncio.wait_for(read.read.wait(), 2)  # not after the 30 s poll
        follower.stop()
        await asyncio.wait_for(events, 2)
    finally:
        await plugin._on_shutdown()


async def test_a_follower_whose_turn_waits_queued_is_woken_by_its_projects_channel() -> None:
    plugin = ChannelsPlugin(backend=MemoryChannelsBackend(), arbitrary_channels_allowed=True)
    await plugin._on_startup()
    try:
        read = IdleSession(queued=True)
        live = LiveChannels(plugin, NAMES)
        follower = follower_of(read, live)
        events = asyncio.create_task(anext(follower.events(1), None))
        for _ in range(2):  # it read the queued turn, listened to the project, read again
            await asyncio.wait_for(read.read.wait(), 2)
            read.read.clear()
        await asyncio.sleep(0.05)
        assert read.reads == 2
        plugin.publish(b"{}", NAMES.project(read.project_id))
        await asyncio.wait_for(read.read.wait(), 2)  # not after the 30 s poll
        assert read.reads == 3
        plugin.publish(b"{}", NAMES.project(UUID(int=1)))  # another project's news wakes no one
        await asyncio.sleep(0.1)
        assert read.reads == 3
        follower.stop()
        await asyncio.wait_for(events, 2)
    finally:
        await plugin._on_shutdown()
