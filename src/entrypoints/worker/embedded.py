"""The embedded profile's worker: Dramatiq worker threads inside the `serve` process."""

from __future__ import annotations

import dramatiq

from entrypoints.config import Settings
from entrypoints.relay_wakeup import RelayWakeup
from entrypoints.worker.setup import equip_worker


def start_embedded_worker(broker: dramatiq.Broker, settings: Settings, wakeup: RelayWakeup) -> dramatiq.Worker:
    equip_worker(broker, settings, wakeup, with_relay=False)
    worker = dramatiq.Worker(broker, worker_threads=settings.embedded_worker_threads, worker_timeout=100)
    worker.start()
    return worker
