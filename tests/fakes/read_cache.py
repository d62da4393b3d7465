"""Counts the read cache's hits and misses, by area, for tests to assert on."""

from __future__ import annotations

from collections import Counter


class CountingReadCacheMetrics:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()

    def hit(self, area: str) -> None:
        self.hits[area] += 1

    def miss(self, area: str) -> None:
        self.misses[area] += 1
