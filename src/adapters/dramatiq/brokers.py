"""Brokers by URL: redis:// or rediss:// (Redis), amqp:// or amqps:// (RabbitMQ), stub:// (in-process)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import redis
from dramatiq import Broker, ConnectionClosed, Message
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker, _RedisConsumer
from dramatiq.brokers.stub import StubBroker

EXECUTIONS_QUEUE = "agentry-executions"
RUN_EXECUTION_ACTOR = "run_execution"
WEBHOOKS_QUEUE = "agentry-webhooks"
DELIVER_WEBHOOK_ACTOR = "deliver_webhook"
DOCUMENTS_QUEUE = "agentry-documents"
INGEST_DOCUMENT_ACTOR = "ingest_document"
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "stub")
SOCKET_TIMEOUT_S = 5.0
MAX_IDLE_POLL_MS = 50
QUIET_IDLE_POLL_MS = 1_000


WAKE_TOKENS_MAX = 16  # wake-ups kept for consumers that were busy when they came (each costs one fetch)


class PromptRedisBroker(RedisBroker):
    """Dramatiq's Redis consumers poll, backing off up to the worker time-out (1 s) when idle;
    capping the back-off makes an idle worker take new work within MAX_IDLE_POLL_MS. Only the
    executions queue is capped: the webhook and document queues and every delay queue (which holds
    only actor retries, themselves a second or more away) back off to QUIET_IDLE_POLL_MS. Each
    poll costs the worker about 0.5 ms of CPU: six consumers at 50 ms took ~66 ms of CPU a second,
    idle or busy, from the event loop that runs the tasks.

    An idle consumer of the executions queue does not sleep out its back-off: it waits on a wake-up
    list (BLPOP, for as long) that each message sent to that queue pushes to, so an idle worker takes
    a new order as soon as it is sent, not up to MAX_IDLE_POLL_MS (about 25 ms on average) later.
    The poll stays, for wake-ups that went to a consumer that could take no more work."""

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Any:
        if queue_name == EXECUTIONS_QUEUE:
            return WokenConsumer(self, queue_name, prefetch, min(timeout, MAX_IDLE_POLL_MS), self.wake_key)
        return super().consume(queue_name, prefetch, min(timeout, QUIET_IDLE_POLL_MS))

    def enqueue(self, message: Message[Any], *, delay: int | None = None, wake: bool = True) -> Message[Any]:
        """`wake=False`: the sender wakes the consumers itself, once for a batch (see `wake`)."""
        sent = super().enqueue(message, delay=delay)
        if wake and delay is None and message.queue_name == EXECUTIONS_QUEUE:
            self.wake(1)
        return sent

    def wake(self, messages: int) -> None:
        """A wake-up for each of `messages` sent to the executions queue (up to WAKE_TOKENS_MAX), in one
        round trip: as many idle consumers take them at once as one wake-up a message would wake."""
        if messages <= 0:
            return
        with self.client.pipeline(transaction=False) as pipe:
            pipe.lpush(self.wake_key, *([1] * min(messages, WAKE_TOKENS_MAX)))
            pipe.ltrim(self.wake_key, 0, WAKE_TOKENS_MAX - 1)
            pipe.expire(self.wake_key, 60)
            pipe.execute()

    @property
    def wake_key(self) -> str:
        return f"{self.namespace}:{EXECUTIONS_QUEUE}.wake"


class WokenConsumer(_RedisConsumer):
    """Fetches as Dramatiq's consumer does, but waits for a wake-up (up to `timeout` ms) where it slept."""

    def __init__(self, broker: PromptRedisBroker, queue_name: str, prefetch: int, timeout: int, wake_key: str):
        super().__init__(broker, queue_name, prefetch, 0)  # type: ignore[no-untyped-call]  # no sleep of its own: the wait below is it
        self.wait_ms = timeout
        self._wait_s = min(timeout / 1000, SOCKET_TIMEOUT_S / 2)  # a blocked read longer than that times out
        self._wake_key = wake_key

    def __next__(self) -> Any:
        message = super().__next__()  # type: ignore[no-untyped-call]
        if message is None:
            if self.outstanding_message_count >= self.prefetch:  # could take nothing: leave wake-ups to others
                time.sleep(self._wait_s)
                return None
            try:
                self.broker.client.blpop([self._wake_key], timeout=self._wait_s)
            except redis.ConnectionError as error:
                raise ConnectionClosed(error) from None  # type: ignore[no-untyped-call]
        return message


def make_broker(url: str, *, namespace: str = "agentry") -> Broker:
    scheme = urlsplit(url).scheme
    broker: Broker
    if scheme in ("redis", "rediss"):
        # Explicit time-outs: a Redis that accepts connections but never answers must not hang
        # the relay or a worker (Dramatiq's own pool from a URL sets none).
        client = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S, health_check_interval=30
        )
        broker = PromptRedisBroker(client=client, namespace=namespace)  # type: ignore[no-untyped-call]
    elif scheme in ("amqp", "amqps"):
        broker = RabbitmqBroker(url=url)
    elif scheme == "stub":
        broker = StubBroker()
    else:
        raise ValueError(f"unsupported broker URL scheme {scheme!r}: use one of {', '.join(BROKER_SCHEMES)}")
    broker.declare_queue(EXECUTIONS_QUEUE)
    broker.declare_queue(WEBHOOKS_QUEUE)
    broker.declare_queue(DOCUMENTS_QUEUE)
    return broker
