"""Assembles a running service for a profile: container, relay, and (embedded) in-process workers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator

from litestar import Litestar
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.channels.live_events import ChannelsLiveEvents
from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.reconnecting_redis import ReconnectingRedisPubSubBackend
from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.channels.stop_requests import ChannelsStopRequests
from agentry.adapters.dramatiq.brokers import make_broker
from agentry.adapters.otel.setup import start_tracing, stop_tracing
from agentry.adapters.redis.heard_cache import CacheChanges
from agentry.entrypoints.config import Settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.first_admin import hint_when_no_admin
from agentry.entrypoints.http.app import create_app
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.metrics.api import api_metrics
from agentry.entrypoints.pubsub import pubsub_redis
from agentry.entrypoints.relay.events import run_api_relays
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.signing_keys import SigningKeys, ensure_signing_key
from agentry.entrypoints.worker.embedded import start_embedded_worker
from agentry.entrypoints.worker.graceful import shutdown_timeout_ms

log = logging.getLogger("agentry")
RELAY_STOP_TIMEOUT_S = 10


def build_api(settings: Settings, *, expose_metrics: bool = True) -> Litestar:
    """`expose_metrics`: this process serves /metrics (of `serve --workers N`, one process does)."""
    start_tracing("agentry-api")  # on when OTEL_EXPORTER_OTLP_ENDPOINT is set
    broker = make_broker(settings.broker, namespace=settings.redis_namespace)
    wakeup = RelayWakeup()
    keys = SigningKeys(settings)
    redis = _live_redis(settings)
    backend: ChannelsBackend = ReconnectingRedisPubSubBackend(redis=redis) if redis else MemoryChannelsBackend()
    channels = ChannelsPlugin(backend, arbitrary_channels_allowed=True)
    names = ChannelNames(settings.redis_namespace)
    # A cancel asked here reaches the runs over Redis pub/sub (worker processes) or straight (in-process).
    signals = RunSignalHub()
    stops = ChannelsStopRequests(backend, names.stop_requests()) if redis else signals
    publisher = ChannelsLiveEvents(backend, names, redis)
    container = make_container(settings, broker, wakeup, keys=keys, live=publisher, signals=signals, stops=stops)

    @contextlib.asynccontextmanager
    async def serving_channels(_app: Litestar) -> AsyncIterator[None]:
        """Open before `running` and closed after it: the in-process workers publish on them."""
        try:
            async with channels:
                yield
        finally:
            if redis is not None:
                await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5

    @contextlib.asynccontextmanager
    async def running(_app: Litestar) -> AsyncIterator[None]:
        engine = await container.get(AsyncEngine)
        if settings.embedded:
            await ensure_signing_key(engine, keys.sealer)
            await hint_when_no_admin(container)
        await keys.load(engine)
        stop_reloading = asyncio.Event()
        reloader = asyncio.create_task(keys.keep_loaded(engine, stop_reloading), name="signing-keys")
        worker = start_embedded_worker(broker, settings, container, signals) if settings.embedded else None
        relay = asyncio.create_task(run_api_relays(container, wakeup, settings), name="relays")
        cache_changes = await container.get(CacheChanges)
        stop_hearing = asyncio.Event()
        hearing = asyncio.create_task(cache_changes.listen(stop_hearing), name="cache-changes")
        # What exists now (modules, the container, the app) lives as long as the process: keep it out
        # of the garbage collector's full passes, which would otherwise walk it every time and show
        # up as pauses in the slowest requests.
        gc.freeze()
        try:
            yield
        finally:
            stop_reloading.set()
            stop_hearing.set()
            await reloader
            await hearing
            wakeup.stop()
            try:
                await asyncio.wait_for(relay, RELAY_STOP_TIMEOUT_S)
            except TimeoutError:
                log.warning("the outbox relay did not stop within %ss; cancelled", RELAY_STOP_TIMEOUT_S)
            if worker is not None:
                # Running executions get the grace period, then are interrupted; their tasks' queue
                # jobs stay in the outbox (the relay has stopped), sent when the service starts again.
                await asyncio.to_thread(worker.stop, shutdown_timeout_ms(settings))
            await container.close()
            # The spans still batched are sent now: uvicorn ends the process by raising the SIGTERM it
            # caught again, which runs no exit hooks (the SDK's among them).
            await asyncio.to_thread(stop_tracing)

    live = LiveChannels(channels, names, recheck_s=settings.live_recheck_s, max_json_depth=settings.max_json_depth)
    app = create_app(
        settings,
        container,
        live,
        lifespan=[serving_channels, running, api_metrics(settings, container, expose=expose_metrics)],
    )
    app.state.draining = live.draining  # set by `serve` on SIGTERM: open streams end themselves
    return app


def _live_redis(settings: Settings) -> Redis[bytes] | None:
    """Production: live events cross processes on Redis pub/sub. Without a Redis URL (a RabbitMQ
    broker alone) this process hears only the events published in it: said at start."""
    if not settings.embedded and not settings.redis_url:
        log.warning("AGENTRY_REDIS_URL is not set: live events from worker processes will not reach this API")
    return pubsub_redis(settings)
