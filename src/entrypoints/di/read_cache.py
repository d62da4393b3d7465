"""The stats and usage-report cache: on Redis when there is one to share between processes (production),
in this process when embedded, off otherwise or when AGENTRY_READ_CACHE=false; its hit and miss
counters; and the outbox subscriber that empties it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from agentry.adapters.system.read_cache import MemoryReadCache, NoReadCache
from agentry.application.ports.read_cache import ReadCache, ReadCacheMetrics
from agentry.application.read_cache import InvalidateReadCache, ReadThrough
from agentry.entrypoints.config import Settings

log = logging.getLogger("agentry")


class ReadCacheProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    async def cache(self, settings: Settings) -> AsyncIterator[ReadCache]:
        if not settings.read_cache:
            yield NoReadCache()
            return
        if settings.embedded:
            yield MemoryReadCache(settings.read_cache_ttl_s, settings.read_cache_max_entries)
            return
        if not settings.redis_url:
            log.warning("AGENTRY_REDIS_URL is not set: the stats and usage cache is off")
            yield NoReadCache()
            return
        from agentry.adapters.redis.read_cache import RedisReadCache

        redis: Redis[bytes] = Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=1)
        yield RedisReadCache(redis, f"{settings.redis_namespace}:readcache:", settings.read_cache_ttl_s)
        await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5

    @provide(scope=Scope.APP)
    def metrics(self, settings: Settings) -> ReadCacheMetrics:
        if not settings.metrics_enabled:
            from agentry.adapters.prometheus.read_cache_metrics import NoReadCacheMetrics

            return NoReadCacheMetrics()
        from agentry.adapters.prometheus.read_cache_metrics import PrometheusReadCacheMetrics

        return PrometheusReadCacheMetrics()

    @provide(scope=Scope.APP)
    def read_through(self, cache: ReadCache, metrics: ReadCacheMetrics, settings: Settings) -> ReadThrough:
        return ReadThrough(cache, metrics, enabled=settings.read_cache)

    @provide  # one a relay pass: it remembers what the pass emptied
    def invalidate(self, cache: ReadCache) -> InvalidateReadCache:
        return InvalidateReadCache(cache)
