"""Brokers by URL: redis:// or rediss:// (Redis), amqp:// or amqps:// (RabbitMQ), stub:// (in-process)."""

from __future__ import annotations

from urllib.parse import urlsplit

from dramatiq import Broker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

EXECUTIONS_QUEUE = "agentry-executions"
RUN_EXECUTION_ACTOR = "run_execution"
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "stub")


def make_broker(url: str, *, namespace: str = "agentry") -> Broker:
    scheme = urlsplit(url).scheme
    broker: Broker
    if scheme in ("redis", "rediss"):
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url, namespace=namespace)  # type: ignore[no-untyped-call]
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
