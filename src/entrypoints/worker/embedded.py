"""The embedded profile's worker: Dramatiq worker threads inside the `serve` process, running their
coroutines on the API's event loop with the API's container."""

from __future__ import annotations

import asyncio

import dramatiq
from dishka import AsyncContainer

from entrypoints.config import Settings
from entrypoints.worker.setup import equip_worker


def start_embedded_worker(broker: dramatiq.Broker, settings: Settings, container: AsyncContainer) -> dramatiq.Worker:
    equip_worker(broker, lambda: container, owns_container=False, loop=asyncio.get_running_loop())
    worker = dramatiq.Worker(broker, worker_threads=settings.embedded_worker_threads, worker_timeout=100)
    worker.start()
    return worker
