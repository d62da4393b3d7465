"""The API service's /metrics: its own samples (and its in-process workers'), plus the queue read
from the database at scrape time, on AGENTRY_METRICS_PORT."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.entrypoints.config import Settings

SCRAPE_READ_TIMEOUT_S = 5.0


Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]


def api_metrics(settings: Settings, container: AsyncContainer, *, expose: bool = True) -> Lifespan:
    """A lifespan that serves the metrics while the API runs (nothing when metrics are off, or when
    another process of the same `serve` exposes them: `expose` false)."""

    @contextlib.asynccontextmanager
    async def serving(_app: Litestar) -> AsyncIterator[None]:
        if not (settings.metrics_enabled and expose):
            yield
            return
        from agentry.adapters.prometheus.exposition import metrics_server, serve_in_thread, service_registry
        from agentry.adapters.prometheus.queue_collector import QueueCollector
        from agentry.adapters.sqlalchemy.tasks.queue_gauges import QueueSnapshot, read_queue

        engine = await container.get(AsyncEngine)
        loop = asyncio.get_running_loop()

        def read() -> QueueSnapshot:  # on the server's thread: the read runs on the API's loop
            return asyncio.run_coroutine_threadsafe(read_queue(engine), loop).result(SCRAPE_READ_TIMEOUT_S)

        registry = service_registry([QueueCollector(read, top=settings.metrics_max_projects)])  # type: ignore[arg-type]
        server = metrics_server(settings.metrics_interface, settings.metrics_port, registry, settings.metrics_token)
        thread = serve_in_thread(server)
        try:
            yield
        finally:
            await asyncio.to_thread(server.shutdown)
            server.server_close()
            thread.join(1)

    return serving
