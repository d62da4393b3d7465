"""The embedded profile's worker: Dramatiq worker threads inside the `serve` process, running their
coroutines on the API's event loop with the API's container."""

from __future__ import annotations

import asyncio

import dramatiq
from dishka import AsyncContainer

from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.entrypoints.config import Settings
from agentry.entrypoints.worker.graceful import GracefulShutdown
from agentry.entrypoints.worker.setup import equip_worker


def start_embedded_worker(
    broker: dramatiq.Broker, settings: Settings, container: AsyncContainer, signals: RunSignalHub
) -> dramatiq.Worker:
    """`signals`: the hub the container's runs watch; a cancel in this process reaches it directly."""
    equip_worker(
        broker,
        lambda: container,
        owns_container=False,
        loop=asyncio.get_running_loop(),
        shutdown=GracefulShutdown(signals, settings.shutdown_grace_s),
    )
    worker = dramatiq.Worker(broker, worker_threads=settings.embedded_worker_threads, worker_timeout=100)
    worker.start()
    return worker
