"""Brokers by URL: redis:// or rediss:// (Redis), amqp:// or amqps:// (RabbitMQ), stub:// (in-process)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import redis
from dramatiq import Broker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
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


class PromptRedisBroker(RedisBroker):
    """Dramatiq's Redis consumers poll, backing off up to the worker time-out (1 s) when idle;
    capping the back-off makes an idle worker take new work within MAX_IDLE_POLL_MS. Only the
    executions queue is capped: the webhook and document queues and every delay queue (which holds
    only actor retries, themselves a second or more away) back off to QUIET_IDLE_POLL_MS. Each
    poll costs the worker about 0.5 ms of CPU: six consumers at 50 ms took ~66 ms of CPU a second,
    idle or busy, from the event loop that runs the tasks."""

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Any:
        cap = MAX_IDLE_POLL_MS if queue_name == EXECUTIONS_QUEUE else QUIET_IDLE_POLL_MS
        return super().consume(queue_name, prefetch, min(timeout, cap))


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
