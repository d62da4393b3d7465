"""Rate limits kept in this process (the embedded profile): a sliding log of hit times per key."""

from __future__ import annotations

import bisect
import threading
from collections import deque
from dataclasses import dataclass, field

from agentry.application.ports.rate_limits import Quota, Usage

SWEEP_EVERY = 4096  # hits between two passes that forget keys whose window holds nothing any more


@dataclass
class _Log:
    window_s: float
    times: deque[float] = field(default_factory=deque)

    def trim(self, now: float) -> None:
        edge = now - self.window_s
        while self.times and self.times[0] <= edge:
            self.times.popleft()


class MemoryRateLimiter:
    """Thread-safe: one lock around every read and change (each takes microseconds)."""

    def __init__(self) -> None:
        self._logs: dict[str, _Log] = {}
        self._lock = threading.Lock()
        self._since_sweep = 0

    async def hit(self, key: str, quota: Quota, now: float) -> Usage:
        return self._use(key, quota, now, take=True)

    async def peek(self, key: str, quota: Quota, now: float) -> Usage:
        return self._use(key, quota, now, take=False)

    async def clear(self, key: str) -> None:
        with self._lock:
            self._logs.pop(key, None)

    async def take_back(self, key: str, now: float) -> None:
        with self._lock:
            log = self._logs.get(key)
            if log is not None and now in log.times:
                log.times.remove(now)

    def _use(self, key: str, quota: Quota, now: float, *, take: bool) -> Usage:
        with self._lock:
            log = self._logs.get(key)
            if log is None:
                log = self._logs[key] = _Log(quota.window_s)
            log.window_s = quota.window_s
            log.trim(now)
            allowed = len(log.times) < quota.limit
            if take and allowed:
                if log.times and now < log.times[-1]:  # another thread's clock reading came first
                    bisect.insort(log.times, now)
                else:
                    log.times.append(now)
                self._since_sweep += 1
                if self._since_sweep >= SWEEP_EVERY:
                    self._sweep(now)
            times = log.times
            usage = Usage(quota, allowed, len(times), times[0] if times else None, times[-1] if times else None)
            if not times:
                self._logs.pop(key, None)
            return usage

    def _sweep(self, now: float) -> None:
        self._since_sweep = 0
        for key in [key for key, log in self._logs.items() if not log.times or log.times[-1] <= now - log.window_s]:
            del self._logs[key]
