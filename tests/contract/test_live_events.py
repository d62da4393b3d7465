"""The LiveEvents port on each channels backend: what a worker publishes reaches the API's subscribers
of the task and of its project, in order, in the wire format clients read; a broken channel never raises."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.channels import ChannelsPlugin, Subscriber
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis

from agentry.adapters.channels.live_events import ChannelsLiveEvents
from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.wire import decode
from agentry.application.ports.live_events import LogAppended, RunEnded, TaskStatusChanged
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLine
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.usage import Usage

AT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
TASK, PROJECT, EXECUTION = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@dataclass
class Channel:
    """An API process listening (the plugin) and a worker publishing, each with a backend of its own
    where the backend crosses processes."""

    plugin: ChannelsPlugin
    publisher: ChannelsLiveEvents
    names: ChannelNames
    redis: Redis | None

    async def subscribe(self, channel: str) -> Subscriber:
        subscriber = await self.plugin.subscribe(channel)
        if self.redis is not None:  # SUBSCRIBE is sent, not yet confirmed: wait until Redis counts it
            for _ in range(200):
                if dict(await self.redis.pubsub_numsub(channel)).get(channel.encode(), 0):
                    break
                await asyncio.sleep(0.01)
        return subscriber


@pytest.fixture(params=["memory", "redis", "redis pipelined"])
async def channel(request: pytest.FixtureRequest) -> AsyncIterator[Channel]:
    names = ChannelNames(f"agentry-test-{uuid.uuid4().hex[:10]}")
    if request.param == "memory":
        backend: ChannelsBackend = MemoryChannelsBackend()
        async with ChannelsPlugin(backend, arbitrary_channels_allowed=True) as plugin:
            yield Channel(plugin, ChannelsLiveEvents(backend, names), names, None)
        return
    url = request.getfixturevalue("redis_url")
    api, worker = Redis.from_url(url), Redis.from_url(url)
    try:
        plugin = ChannelsPlugin(RedisChannelsPubSubBackend(redis=api), arbitrary_channels_allowed=True)
        async with plugin:
            pipelined = worker if request.param == "redis pipelined" else None  # one script call, not the backend's
            publisher = ChannelsLiveEvents(RedisChannelsPubSubBackend(redis=worker), names, pipelined)
            yield Channel(plugin, publisher, names, api)
    finally:
        await api.aclose()
        await worker.aclose()


def line(sequence: int) -> LogLine:
    return LogLine(TASK, EXECUTION, 1, sequence, AT, LogKind.ASSISTANT, f"line {sequence}", data={"n": sequence})


async def received(subscriber: Subscriber, count: int) -> list[dict[str, Any]]:
    async def take() -> list[dict[str, Any]]:
        messages = []
        async for payload in subscriber.iter_events():
            messages.append(decode(payload))
            if len(messages) == count:
                break
        return messages

    return await asyncio.wait_for(take(), timeout=5)


async def test_events_reach_the_task_and_project_subscribers_in_order_in_the_wire_format(channel: Channel) -> None:
    on_task = await channel.subscribe(channel.names.task(TASK))
    on_project = await channel.subscribe(channel.names.project(PROJECT))
    await channel.publisher.publish(
        TaskStatusChanged(TASK, PROJECT, TaskStatus.RUNNING, AT),
        LogAppended(TASK, PROJECT, 1, (line(1), line(2))),
        RunEnded(
            TASK, PROJECT, 1, ExecutionStatus.FAILED, None, ExecutionError("agent_failed", "no"), Usage(3, 4, 0.5)
        ),
    )
    for subscriber in (on_task, on_project):
        status, log, ended = await received(subscriber, 3)
        assert status == {
            "type": "task.status_changed",
            "task_id": str(TASK),
            "project_id": str(PROJECT),
            "status": "running",
            "at": "2026-01-01T09:00:00Z",
        }
        assert (log["type"], log["execution"]) == ("execution.log", 1)
        assert log["lines"] == [
            {
                "sequence": n,
                "at": "2026-01-01T09:00:00Z",
                "kind": "assistant",
                "level": "info",
                "message": f"line {n}",
                "data": {"n": n},
            }
            for n in (1, 2)
        ]
        assert ended == {
            "type": "task.result",
            "task_id": str(TASK),
            "project_id": str(PROJECT),
            "execution": 1,
            "status": "failed",
            "summary": None,
            "error": {"code": "agent_failed", "message": "no"},
            "usage": {"input_tokens": 3, "output_tokens": 4, "cost_usd": 0.5},
        }


async def test_a_thousand_batches_arrive_in_the_order_they_were_published(channel: Channel) -> None:
    subscriber = await channel.subscribe(channel.names.task(TASK))
    for n in range(1, 1001):
        await channel.publisher.publish(LogAppended(TASK, PROJECT, 1, (line(n),)))
    messages = await received(subscriber, 1000)
    assert [m["lines"][0]["sequence"] for m in messages] == list(range(1, 1001))


async def test_another_task_s_events_do_not_reach_a_subscriber(channel: Channel) -> None:
    subscriber = await channel.subscribe(channel.names.task(TASK))
    await channel.publisher.publish(TaskStatusChanged(uuid.uuid4(), uuid.uuid4(), TaskStatus.QUEUED, AT))
    await channel.publisher.publish(TaskStatusChanged(TASK, PROJECT, TaskStatus.QUEUED, AT))
    [only] = await received(subscriber, 1)
    assert only["task_id"] == str(TASK)


@pytest.mark.parametrize("where", ["memory backend not started", "Redis unreachable", "Redis unreachable, pipelined"])
async def test_publishing_on_a_broken_channel_logs_and_never_raises(
    where: str, caplog: pytest.LogCaptureFixture
) -> None:
    redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    backend = MemoryChannelsBackend() if where.startswith("memory") else RedisChannelsPubSubBackend(redis=redis)
    try:
        pipelined = redis if where.endswith("pipelined") else None
        await ChannelsLiveEvents(backend, ChannelNames("x"), pipelined).publish(
            TaskStatusChanged(TASK, PROJECT, TaskStatus.QUEUED, AT)
        )
    finally:
        await redis.aclose()
    assert "live events not announced" in caplog.text
