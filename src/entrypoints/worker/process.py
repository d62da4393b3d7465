"""The module `agentry worker` hands to Dramatiq's CLI: each worker process imports it and finds `broker`.

Each process has its own event loop, container, job relay and subscription to stop requests; the
events it commits are delivered by the API processes, which it wakes over Redis pub/sub.
"""

from __future__ import annotations

import gc

import dramatiq
import uvloop
from dishka import AsyncContainer
from litestar.channels.backends.redis import RedisChannelsPubSubBackend

from agentry.adapters.channels.event_wakeups import EventWakeupPublisher
from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.channels.stop_requests import StopRequestListener
from agentry.adapters.dramatiq.brokers import make_broker
from agentry.adapters.otel.setup import start_tracing, stop_tracing
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.logs import configure_logging
from agentry.entrypoints.metrics.worker import WorkerMetrics
from agentry.entrypoints.pubsub import pubsub_redis
from agentry.entrypoints.relay.jobs import run_relay
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.worker.graceful import GracefulShutdown, take_sigterm_once
from agentry.entrypoints.worker.setup import equip_worker

take_sigterm_once()  # a SIGTERM to the whole process group arrives here twice: one stop
uvloop.install()  # the worker's event loop (made by Dramatiq's AsyncIO middleware) runs on uvloop
settings = load_settings()
configure_logging(settings.log_level, settings.log_format)
start_tracing("agentry-worker")
broker = make_broker(settings.broker, namespace=settings.redis_namespace)
dramatiq.set_broker(broker)
signals = RunSignalHub()


def _event_wakeups() -> EventWakeupPublisher | None:
    """Its commits' events are delivered by the API processes, which hear of them over Redis pub/sub
    (without Redis, at their next poll)."""
    redis = pubsub_redis(settings)
    if redis is None:
        return None
    channel = ChannelNames(settings.redis_namespace).events_written()
    return EventWakeupPublisher(redis, channel)


wakeups = _event_wakeups()
wakeup = RelayWakeup(events_elsewhere=wakeups.notify if wakeups else None)


async def _relay(container: AsyncContainer) -> None:
    # Booted: the start-up objects (modules, container, mappings) leave the full collections, whose
    # pauses would otherwise show in the live latency (as the API does once it has started).
    gc.freeze()
    await run_relay(container, wakeup, settings.relay_poll_interval_s)  # events are delivered by the API


def _stop_requests() -> StopRequestListener | None:
    """Cancels asked on any API process arrive over Redis pub/sub; without Redis (a RabbitMQ broker
    alone) the runs notice them only by re-reading their task's status."""
    redis = pubsub_redis(settings)
    if redis is None:
        return None
    channel = ChannelNames(settings.redis_namespace).stop_requests()
    return StopRequestListener(signals, lambda: RedisChannelsPubSubBackend(redis=redis), channel)


if settings.metrics_enabled:
    broker.add_middleware(WorkerMetrics())
equip_worker(
    broker,
    lambda: make_container(settings, broker, wakeup, signals=signals),
    owns_container=True,
    background=_relay,
    stop_background=wakeup.stop,
    shutdown=GracefulShutdown(signals, settings.shutdown_grace_s, _stop_requests()),
)


class _FlushTraces(dramatiq.Middleware):
    """A worker process ends without running exit hooks: the spans still buffered are sent here."""

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        stop_tracing()


broker.add_middleware(_FlushTraces())
