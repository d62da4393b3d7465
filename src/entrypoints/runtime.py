"""Assembles a running service for a profile: container, relay, and (embedded) in-process workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.dramatiq.brokers import make_broker
from entrypoints.config import Settings
from entrypoints.container import make_container
from entrypoints.first_admin import hint_when_no_admin
from entrypoints.http.app import create_app
from entrypoints.relay import run_relay
from entrypoints.relay_wakeup import RelayWakeup
from entrypoints.signing_keys import SigningKeys, ensure_signing_key
from entrypoints.worker.embedded import start_embedded_worker

log = logging.getLogger("agentry")
WORKER_STOP_TIMEOUT_MS = 30_000
RELAY_STOP_TIMEOUT_S = 10


def build_api(settings: Settings) -> Litestar:
    broker = make_broker(settings.broker, namespace=settings.redis_namespace)
    wakeup = RelayWakeup()
    keys = SigningKeys(settings)
    container = make_container(settings, broker, wakeup, keys=keys)

    @contextlib.asynccontextmanager
    async def running(_app: Litestar) -> AsyncIterator[None]:
        engine = await container.get(AsyncEngine)
        if settings.embedded:
            await ensure_signing_key(engine)
            await hint_when_no_admin(container)
        await keys.load(engine)
        stop_reloading = asyncio.Event()
        reloader = asyncio.create_task(keys.keep_loaded(engine, stop_reloading), name="signing-keys")
        worker = start_embedded_worker(broker, settings, container) if settings.embedded else None
        relay = asyncio.create_task(run_relay(container, wakeup, settings.relay_poll_interval_s), name="relay")
        try:
            yield
        finally:
            stop_reloading.set()
            await reloader
            wakeup.stop()
            try:
                await asyncio.wait_for(relay, RELAY_STOP_TIMEOUT_S)
            except TimeoutError:
                log.warning("the outbox relay did not stop within %ss; cancelled", RELAY_STOP_TIMEOUT_S)
            if worker is not None:
                await asyncio.to_thread(worker.stop, WORKER_STOP_TIMEOUT_MS)
            await container.close()

    return create_app(settings, container, lifespan=[running])
