"""Brokers by URL: redis:// or rediss:// (Redis), amqp:// or amqps:// (RabbitMQ), stub:// (in-process)."""

from __future__ import annotations

from urllib.parse import urlsplit

from dramatiq import Broker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

EXECUTIONS_QUEUE = "agentry-executions"
RUN_EXECUTION_ACTOR = "run_execution"
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "stub")
SOCKET_TIMEOUT_S = 5.0


def make_broker(url: str, *, namespace: str = "agentry") -> Broker:
    scheme = urlsplit(url).scheme
    broker: Broker
    if scheme in ("redis", "rediss"):
        import redis
        from dramatiq.brokers.redis import RedisBroker

        # Explicit time-outs: a Redis that accepts connections but never answers must not hang
        # the relay or a worker (Dramatiq's own pool from a URL sets none).
        client = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S, health_check_interval=30
        )
        broker = RedisBroker(client=client, namespace=namespace)  # type: ignore[no-untyped-call]
    elif scheme in ("amqp", "amqps"):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        broker = RabbitmqBroker(url=url)
    elif scheme == "stub":
        broker = StubBroker()
    else:
        raise ValueError(f"unsupported broker URL scheme {scheme!r}: use one of {', '.join(BROKER_SCHEMES)}")
    broker.add_middleware(AsyncIO())
    broker.declare_queue(EXECUTIONS_QUEUE)
    return broker
