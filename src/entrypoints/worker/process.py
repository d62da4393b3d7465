"""The module `agentry worker` hands to Dramatiq's CLI: each worker process imports it and finds `broker`.

Each process has its own event loop, container and outbox relay.
"""

from __future__ import annotations

import dramatiq
import uvloop
from dishka import AsyncContainer

from adapters.dramatiq.brokers import make_broker
from entrypoints.config import load_settings
from entrypoints.container import make_container
from entrypoints.logs import configure_logging
from entrypoints.relay import run_relay
from entrypoints.relay_wakeup import RelayWakeup
from entrypoints.worker.setup import equip_worker

uvloop.install()  # the worker's event loop (made by Dramatiq's AsyncIO middleware) runs on uvloop
settings = load_settings()
configure_logging(settings.log_level)
broker = make_broker(settings.broker, namespace=settings.redis_namespace)
dramatiq.set_broker(broker)
wakeup = RelayWakeup()


async def _relay(container: AsyncContainer) -> None:
    await run_relay(container, wakeup, settings.relay_poll_interval_s)


equip_worker(
    broker,
    lambda: make_container(settings, broker, wakeup),
    owns_container=True,
    background=_relay,
    stop_background=wakeup.stop,
)
