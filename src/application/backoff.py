"""Back-off after failed attempts at a secret (a password): each failure past the free ones doubles the
wait before the next attempt is even looked at, up to a ceiling; a success clears the record.

Never a permanent lock (OWASP Authentication Cheat Sheet, "Account Lockout"): the wait is at most
`max_s`, and failures are forgotten after `observation_s`. An attempt refused while waiting is not
verified, so the right password does not get through either, and the refusal says nothing about it.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from agentry.application.errors import RateLimited
from agentry.application.ports.rate_limits import Quota, RateLimiter, Usage

MAX_RECORDED = 1000  # failures kept per key: far more than the waits let anyone make in `observation_s`


@dataclass(frozen=True, slots=True)
class BackoffSchedule:
    free: int
    base_s: float = 1.0
    max_s: float = 900.0
    observation_s: float = 86_400.0

    def delay_s(self, failures: int) -> float:
        """The wait after the `failures`-th failure: none before `free`, then base, 2 base, 4 base..."""
        if failures < self.free:
            return 0.0
        doublings = failures - self.free
        if doublings >= math.log2(self.max_s / self.base_s):
            return self.max_s
        return float(self.base_s * 2**doublings)

    @property
    def quota(self) -> Quota:
        return Quota(MAX_RECORDED, self.observation_s)

    def wait_s(self, usage: Usage, now: float) -> float:
        if usage.newest is None:
            return 0.0
        return max(0.0, usage.newest + self.delay_s(usage.count) - now)


@dataclass(frozen=True, slots=True)
class FailureBackoff:
    """One schedule over one kind of key; `policy` names it in RateLimit headers, `what` in refusals."""

    limiter: RateLimiter
    schedule: BackoffSchedule
    policy: str
    what: str

    async def check(self, key: str, now: float) -> None:
        """Refuses while the key waits out its back-off."""
        usage = await self.limiter.peek(key, self.schedule.quota, now)
        self._refuse_for(self.schedule.wait_s(usage, now))

    async def admit(self, key: str, now: float) -> None:
        """`check`, then counts the attempt as a failure until `succeeded` clears it, so attempts made at
        the same time are counted before any is verified: of those past the free ones, one goes on."""
        before = await self.limiter.peek(key, self.schedule.quota, now)
        self._refuse_for(self.schedule.wait_s(before, now))
        after = await self.limiter.hit(key, self.schedule.quota, now)
        previous = after.count - 1
        if previous > before.count:  # others were counted between the two calls: they came first
            self._refuse_for(self.schedule.delay_s(previous))

    async def not_judged(self, key: str, now: float) -> None:
        """The attempt `admit` counted at `now` was never judged (the accounts could not be read): it is
        not a failure."""
        await self.limiter.take_back(key, now)

    async def failed(self, key: str, now: float) -> None:
        await self.limiter.hit(key, self.schedule.quota, now)

    async def succeeded(self, key: str) -> None:
        await self.limiter.clear(key)

    def _refuse_for(self, wait_s: float) -> None:
        if wait_s > 0:
            raise RateLimited(self.policy, self.schedule.free, self.schedule.observation_s, wait_s, self.what)


def key_of(*parts: str) -> str:
    """A key naming an account or a client without keeping its email address or IP in the limiter."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]
