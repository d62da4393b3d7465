"""The MessageBroker contract, held by the in-memory fake and by the Dramatiq publisher on every broker.

Each adapter comes with a way to read back what it delivered, so all of them share the same assertions:
the fake reads its record, the Dramatiq ones consume the executions queue as a worker would.
"""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any
from uuid import UUID

import pytest
from dramatiq import Broker, Message, MessageProxy
from dramatiq.brokers.stub import StubBroker

from agentry.adapters.dramatiq.brokers import EXECUTIONS_QUEUE, RUN_EXECUTION_ACTOR, make_broker
from agentry.adapters.dramatiq.publisher import DramatiqPublisher
from agentry.adapters.otel.context import PlainWorkContext
from agentry.application.tasks.ports.message_broker import BrokerUnavailable, MessageBroker
from agentry.domain.tasks.orders import ExecutionOrder
from tests.fakes.system import RecordingBroker

CLOSED_PORT_REDIS_URL = "redis://127.0.0.1:1/0"
CLOSED_PORT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:1/"
DRAIN_LIMIT_S = 30.0
SILENCE_LIMIT_S = 15.0


class RecordingAdapter:
    """The fake records what it was sent; reading back takes what was recorded since the last read."""

    def __init__(self) -> None:
        self.broker = RecordingBroker()
        self._taken = 0

    async def read_back(self) -> list[ExecutionOrder]:
        fresh, self._taken = self.broker.sent[self._taken :], len(self.broker.sent)
        return fresh

    def unreachable(self) -> MessageBroker:
        down = RecordingBroker()
        down.down = True
        return down


class DramatiqAdapter:
    """The publisher over a Dramatiq broker; reading back consumes and acks the executions queue."""

    def __init__(self, broker: Broker, unreachable: Callable[[], Broker]) -> None:
        self.dramatiq = broker
        self.broker = DramatiqPublisher(broker, PlainWorkContext())
        self.messages: list[MessageProxy] = []
        self._unreachable = unreachable

    async def read_back(self) -> list[ExecutionOrder]:
        messages = await asyncio.to_thread(drain, self.dramatiq)
        self.messages.extend(messages)
        return [ExecutionOrder(UUID(message.args[0]), message.args[1]) for message in messages]

    def unreachable(self) -> MessageBroker:
        return DramatiqPublisher(self._unreachable(), PlainWorkContext())


Adapter = RecordingAdapter | DramatiqAdapter


class UnreachableStubBroker(StubBroker):
    """The in-process broker cannot lose its connection, so this one is made to: every enqueue fails."""

    def enqueue(self, message: Message[Any], *, delay: int | None = None) -> Message[Any]:
        raise ConnectionError("connection refused")


def drain(broker: Broker) -> list[MessageProxy]:
    """Consume the executions queue until it stays empty for a moment, acking each message."""
    consumer = broker.consume(EXECUTIONS_QUEUE, prefetch=100, timeout=200)
    taken: list[MessageProxy] = []
    deadline = time.monotonic() + DRAIN_LIMIT_S
    try:
        for message in consumer:
            if message is None:
                break
            taken.append(message)
            consumer.ack(message)
            assert time.monotonic() < deadline, f"the queue kept delivering: {len(taken)} messages so far"
    finally:
        consumer.close()
    return taken


def redis_namespace() -> str:
    return f"agentry-test-{uuid.uuid4().hex}"


def forget(broker: Broker, namespace: str) -> None:
    """Delete every key the test's namespace left behind."""
    client = broker.client  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=f"{namespace}*"))
    if keys:
        client.delete(*keys)
    client.connection_pool.disconnect()


async def build_dramatiq(kind: str, request: pytest.FixtureRequest) -> AsyncIterator[DramatiqAdapter]:
    if kind == "stub":
        yield DramatiqAdapter(make_broker("stub://"), UnreachableStubBroker)
        return
    if kind == "rabbitmq":
        broker = make_broker(request.getfixturevalue("rabbitmq_url"))
        broker.flush_all()  # RabbitMQ has no key namespace: the test owns the queue while it runs
        try:
            yield DramatiqAdapter(broker, lambda: make_broker(CLOSED_PORT_RABBITMQ_URL))
        finally:
            broker.flush_all()
            broker.close()
        return
    url, namespace = request.getfixturevalue("redis_url"), redis_namespace()
    broker = make_broker(url, namespace=namespace)
    try:
        yield DramatiqAdapter(broker, lambda: make_broker(CLOSED_PORT_REDIS_URL, namespace=redis_namespace()))
    finally:
        forget(broker, namespace)


BROKERS = ["stub", pytest.param("redis", marks=pytest.mark.redis), pytest.param("rabbitmq", marks=pytest.mark.rabbitmq)]


@pytest.fixture(params=["recording", *BROKERS])
async def adapter(request: pytest.FixtureRequest) -> AsyncIterator[Adapter]:
    if request.param == "recording":
        yield RecordingAdapter()
        return
    async for built in build_dramatiq(request.param, request):
        yield built


@pytest.fixture(params=BROKERS)
async def dramatiq(request: pytest.FixtureRequest) -> AsyncIterator[DramatiqAdapter]:
    async for built in build_dramatiq(request.param, request):
        yield built


def orders(count: int) -> list[ExecutionOrder]:
    return [ExecutionOrder(uuid.uuid4(), number % 3 + 1) for number in range(count)]


async def test_orders_sent_are_delivered_in_the_order_they_were_sent(adapter: Adapter) -> None:
    first, second = orders(3), orders(2)
    await adapter.broker.send(first)
    await adapter.broker.send(second)
    assert await adapter.read_back() == first + second


async def test_sending_an_empty_batch_delivers_nothing_and_raises_nothing(adapter: Adapter) -> None:
    await adapter.broker.send([])
    assert await adapter.read_back() == []


async def test_many_orders_are_each_delivered_exactly_once(adapter: Adapter) -> None:
    many = orders(500)
    await adapter.broker.send(many)
    delivered = await adapter.read_back()
    assert len(delivered) == len(many) and set(delivered) == set(many)
    assert await adapter.read_back() == []


async def test_a_broker_that_cannot_be_reached_raises_broker_unavailable(adapter: Adapter) -> None:
    with pytest.raises(BrokerUnavailable):
        await adapter.unreachable().send(orders(1))


async def test_a_delivered_message_names_the_run_execution_actor_and_carries_only_ids(
    dramatiq: DramatiqAdapter,
) -> None:
    [order] = orders(1)
    await dramatiq.broker.send([order])
    await dramatiq.read_back()
    [message] = dramatiq.messages
    assert (message.queue_name, message.actor_name) == (EXECUTIONS_QUEUE, RUN_EXECUTION_ACTOR)
    assert (list(message.args), message.kwargs) == ([str(order.task_id), order.number], {})


async def test_an_order_with_a_context_carries_it_to_the_worker_in_the_message(dramatiq: DramatiqAdapter) -> None:
    """The correlation id stored with the job travels in the message (and, traced, the relay's trace context)."""
    order = ExecutionOrder(uuid.uuid4(), 1, {"correlation_id": "req-42"})
    await dramatiq.broker.send([order])
    await dramatiq.read_back()
    [message] = dramatiq.messages
    assert message.kwargs == {"context": {"correlation_id": "req-42"}}


@pytest.mark.slow
async def test_a_redis_that_accepts_connections_but_never_answers_raises_broker_unavailable_in_bounded_time() -> None:
    """Relies on the Redis client's socket time-out (5 s by default in the locked redis-py 8.1).

    Without one, a send to a Redis that went silent would block the outbox relay forever.
    """
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        publisher = DramatiqPublisher(make_broker(url, namespace=redis_namespace()), PlainWorkContext())
        async with asyncio.timeout(SILENCE_LIMIT_S):
            with pytest.raises(BrokerUnavailable):
                await publisher.send(orders(1))
