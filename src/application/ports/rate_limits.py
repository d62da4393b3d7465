"""Counting requests against quotas: how many a key may make in a sliding window of time.

A quota of `limit` per `window_s` holds exactly: in no window of `window_s` seconds are more than
`limit` hits counted for a key. A refused hit is not counted, so a client that keeps asking while
refused gets through again as soon as its oldest counted hit leaves the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Quota:
    limit: int
    window_s: float


@dataclass(frozen=True, slots=True)
class Usage:
    """A key's hits in the window ending now (`now` as the caller gave it, in seconds)."""

    quota: Quota
    allowed: bool
    count: int
    oldest: float | None
    newest: float | None

    @property
    def remaining(self) -> int:
        return max(0, self.quota.limit - self.count)

    def reset_s(self, now: float) -> float:
        """Seconds until the oldest counted hit leaves the window (one more is then allowed); 0 if none."""
        return 0.0 if self.oldest is None else max(0.0, self.oldest + self.quota.window_s - now)


class RateLimiter(Protocol):
    """Atomic per key, also across processes when the adapter is shared (Redis)."""

    async def hit(self, key: str, quota: Quota, now: float) -> Usage:
        """Counts a hit at `now` if the quota has room (`allowed`), else counts nothing."""
        ...

    async def peek(self, key: str, quota: Quota, now: float) -> Usage:
        """The key's usage without counting a hit; `allowed`: whether one more hit would be."""
        ...

    async def clear(self, key: str) -> None:
        """Forgets every hit of the key."""
        ...

    async def take_back(self, key: str, now: float) -> None:
        """Forgets one hit counted at `now` (an attempt that turned out not to count), if there is one."""
        ...
