"""The Redis broker's idle polls: the executions queue is polled within MAX_IDLE_POLL_MS (and an idle
consumer of it is woken by each message sent), the quiet queues (webhooks, documents, every delay
queue) back off to QUIET_IDLE_POLL_MS."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from dramatiq import Message
from dramatiq.common import dq_name

from agentry.adapters.dramatiq.brokers import (
    DOCUMENTS_QUEUE,
    EXECUTIONS_QUEUE,
    MAX_IDLE_POLL_MS,
    QUIET_IDLE_POLL_MS,
    RUN_EXECUTION_ACTOR,
    WEBHOOKS_QUEUE,
    PromptRedisBroker,
    WokenConsumer,
    make_broker,
)
from agentry.adapters.dramatiq.publisher import DramatiqPublisher
from agentry.adapters.otel.context import PlainWorkContext
from agentry.domain.tasks.orders import ExecutionOrder


def _idle_poll_ms(queue: str, worker_timeout: int) -> int:
    broker = make_broker("redis://127.0.0.1:1/0")  # never connects: building a consumer sends nothing
    consumer = broker.consume(queue, prefetch=1, timeout=worker_timeout)
    return int(consumer.wait_ms if isinstance(consumer, WokenConsumer) else consumer.timeout)


def test_the_executions_queue_is_polled_promptly() -> None:
    assert _idle_poll_ms(EXECUTIONS_QUEUE, 1_000) == MAX_IDLE_POLL_MS


@pytest.mark.parametrize(
    "queue",
    [WEBHOOKS_QUEUE, DOCUMENTS_QUEUE, dq_name(EXECUTIONS_QUEUE), dq_name(WEBHOOKS_QUEUE), dq_name(DOCUMENTS_QUEUE)],
)
def test_quiet_queues_back_off_further(queue: str) -> None:
    assert QUIET_IDLE_POLL_MS > MAX_IDLE_POLL_MS
    assert _idle_poll_ms(queue, 5_000) == QUIET_IDLE_POLL_MS


def test_a_shorter_worker_timeout_still_wins() -> None:
    """The embedded profile's worker passes 100 ms."""
    assert _idle_poll_ms(WEBHOOKS_QUEUE, 100) == 100
    assert _idle_poll_ms(EXECUTIONS_QUEUE, 20) == 20


@pytest.mark.redis
def test_an_idle_consumer_of_the_executions_queue_takes_a_message_as_it_is_sent(redis_url: str) -> None:
    """Its wait (2.5 s here) ends when a message is sent, not when it runs out."""
    namespace = f"agentry-test-{uuid.uuid4().hex}"
    broker = make_broker(redis_url, namespace=namespace)
    assert isinstance(broker, PromptRedisBroker)
    consumer = WokenConsumer(broker, EXECUTIONS_QUEUE, 1, 2_500, broker.wake_key)
    message = Message(queue_name=EXECUTIONS_QUEUE, actor_name=RUN_EXECUTION_ACTOR, args=("t", 1), kwargs={}, options={})
    try:
        assert next(consumer) is None  # nothing yet: it waits until the send below
        waited: list[float] = []
        started = time.monotonic()
        idle = threading.Thread(target=lambda: waited.append(next(consumer) or time.monotonic() - started))
        idle.start()
        time.sleep(0.3)
        broker.enqueue(message)
        idle.join(10)
        assert waited and waited[0] < 1.5, f"woken after {waited} s, not at the end of its 2.5 s wait"
        taken = next(consumer)
        assert taken is not None and taken.message_id == message.message_id
        consumer.ack(taken)
    finally:
        consumer.close()
        keys = list(broker.client.scan_iter(match=f"{namespace}*"))
        if keys:
            broker.client.delete(*keys)


async def test_a_batch_of_orders_leaves_a_wake_up_each_in_one_round_trip(redis_url: str) -> None:
    namespace = f"agentry-test-{uuid.uuid4().hex}"
    broker = make_broker(redis_url, namespace=namespace)
    assert isinstance(broker, PromptRedisBroker)
    pipelines = 0
    pipeline = broker.client.pipeline

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal pipelines
        pipelines += 1
        return pipeline(*args, **kwargs)

    broker.client.pipeline = counted  # type: ignore[method-assign]
    try:
        await DramatiqPublisher(broker, PlainWorkContext()).send([ExecutionOrder(uuid.uuid4(), 1) for _ in range(3)])
        assert broker.client.llen(broker.wake_key) == 3
        assert pipelines == 1
    finally:
        keys = list(broker.client.scan_iter(match=f"{namespace}*"))
        if keys:
            broker.client.delete(*keys)
