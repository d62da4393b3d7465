"""The ReadCacheMetrics port on a prometheus-client counter."""

from __future__ import annotations

from agentry.adapters.prometheus import families as m


class PrometheusReadCacheMetrics:
    def hit(self, area: str) -> None:
        m.read_cache_lookups.labels(area, "hit").inc()

    def miss(self, area: str) -> None:
        m.read_cache_lookups.labels(area, "miss").inc()


class NoReadCacheMetrics:
    """Metrics off (AGENTRY_METRICS=false)."""

    def hit(self, area: str) -> None: ...
    def miss(self, area: str) -> None: ...
