"""The Redis broker's idle polls: the executions queue is polled within MAX_IDLE_POLL_MS, the quiet
queues (webhooks, documents, every delay queue) back off to QUIET_IDLE_POLL_MS."""

from __future__ import annotations

import pytest
from dramatiq.common import dq_name

from agentry.adapters.dramatiq.brokers import (
    DOCUMENTS_QUEUE,
    EXECUTIONS_QUEUE,
    MAX_IDLE_POLL_MS,
    QUIET_IDLE_POLL_MS,
    WEBHOOKS_QUEUE,
    make_broker,
)


def _idle_poll_ms(queue: str, worker_timeout: int) -> int:
    broker = make_broker("redis://127.0.0.1:1/0")  # never connects: building a consumer sends nothing
    return int(broker.consume(queue, prefetch=1, timeout=worker_timeout).timeout)


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
