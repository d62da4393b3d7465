"""The ReadCacheMetrics port on a prometheus-client counter."""

from __future__ import annotations

from agentry.adapters.prometheus import families as m
from agentry.adapters.prometheus.labels import Children


class PrometheusReadCacheMetrics:
    def __init__(self) -> None:
        self._lookups = Children(m.read_cache_lookups)

    def hit(self, area: str) -> None:
        self._lookups(area, "hit").inc()

    def miss(self, area: str) -> None:
        self._lookups(area, "miss").inc()


class NoReadCacheMetrics:
    """Metrics off (AGENTRY_METRICS=false)."""

    def hit(self, area: str) -> None: ...
    def miss(self, area: str) -> None: ...
