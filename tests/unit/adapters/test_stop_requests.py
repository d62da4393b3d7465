"""The stop-request hub of one process, and requests crossing a channels backend to it (the in-memory
backend here; Redis pub/sub across processes in tests/integration/test_stop_signals.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterable
from typing import Any
from uuid import UUID

from litestar.channels.backends.memory import MemoryChannelsBackend

from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.channels.stop_requests import ChannelsStopRequests, StopRequestListener
from agentry.application.tasks.ports.run_signals import StopReason

TASK, OTHER = UUID(int=1), UUID(int=2)
CHANNEL = "test:stop-requests"


async def test_a_request_wakes_the_runs_of_its_task_only() -> None:
    hub = RunSignalHub()
    with hub.watch(TASK) as mine, hub.watch(OTHER) as other:
        waiting, unrelated = asyncio.ensure_future(mine.next()), asyncio.ensure_future(other.next())
        assert hub.deliver(TASK)
        assert await asyncio.wait_for(waiting, 1) is StopReason.CANCEL
        await asyncio.sleep(0.01)
        assert not unrelated.done()
        unrelated.cancel()
    assert not hub.deliver(TASK), "no run watches the task once it ended"
    assert hub.running == 0


async def test_stop_all_reaches_every_run_and_any_run_that_starts_later() -> None:
    hub = RunSignalHub()
    with hub.watch(TASK) as first:
        assert hub.stop_all(StopReason.SHUTDOWN) == 1
        assert await asyncio.wait_for(first.next(), 1) is StopReason.SHUTDOWN
    with hub.watch(OTHER) as late:
        assert await asyncio.wait_for(late.next(), 1) is StopReason.SHUTDOWN


async def test_a_request_published_on_the_channel_reaches_the_listening_hub() -> None:
    backend = MemoryChannelsBackend()
    hub = RunSignalHub()
    listener = StopRequestListener(hub, lambda: backend, CHANNEL)
    listening = asyncio.create_task(listener.run())
    try:
        await asyncio.wait_for(listener.subscribed.wait(), 1)
        with hub.watch(TASK) as watch:
            await backend.publish(b"not json", [CHANNEL])  # ignored, and the listener keeps going
            await ChannelsStopRequests(backend, CHANNEL).request_stop(TASK)
            assert await asyncio.wait_for(watch.next(), 1) is StopReason.CANCEL
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)


class BrokenOnce(MemoryChannelsBackend):
    """Fails to stream the first time, as a Redis connection that drops would."""

    connections = 0

    def __init__(self) -> None:
        super().__init__()
        BrokenOnce.connections += 1
        self.broken = BrokenOnce.connections == 1

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        if self.broken:
            raise ConnectionError("connection reset")
        async for event in super().stream_events():
            yield event


async def test_the_listener_subscribes_again_after_the_connection_breaks(monkeypatch: Any) -> None:
    monkeypatch.setattr("agentry.adapters.channels.subscription.RESUBSCRIBE_AFTER_S", 0.01)
    backends: list[BrokenOnce] = []

    def connect() -> BrokenOnce:
        backend = BrokenOnce()
        backends.append(backend)
        return backend

    hub = RunSignalHub()
    listener = StopRequestListener(hub, connect, CHANNEL)
    listening = asyncio.create_task(listener.run())
    try:
        for _ in range(100):
            if len(backends) == 2 and listener.subscribed.is_set():
                break
            await asyncio.sleep(0.01)
        live = backends[-1]
        with hub.watch(TASK) as watch:
            await ChannelsStopRequests(live, CHANNEL).request_stop(TASK)
            assert await asyncio.wait_for(watch.next(), 1) is StopReason.CANCEL
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)


class Unreachable(MemoryChannelsBackend):
    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        raise ConnectionError("Redis is down")


async def test_a_request_that_cannot_be_sent_is_logged_not_raised(caplog: Any) -> None:
    await ChannelsStopRequests(Unreachable(), CHANNEL).request_stop(TASK)
    assert "not sent" in caplog.text


class ClosedOnce(MemoryChannelsBackend):
    """Its first publish meets a connection Redis closed when it restarted."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        self.tries += 1
        if self.tries == 1:
            raise ConnectionError("Connection closed by server.")
        await super().publish(data, channels)


async def test_a_request_whose_first_try_meets_a_closed_connection_is_sent_on_the_second() -> None:
    backend = ClosedOnce()
    hub = RunSignalHub()
    listener = StopRequestListener(hub, lambda: backend, CHANNEL)
    listening = asyncio.create_task(listener.run())
    try:
        await asyncio.wait_for(listener.subscribed.wait(), 1)
        with hub.watch(TASK) as watch:
            await ChannelsStopRequests(backend, CHANNEL).request_stop(TASK)
            assert await asyncio.wait_for(watch.next(), 1) is StopReason.CANCEL
        assert backend.tries == 2
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
