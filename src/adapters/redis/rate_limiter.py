"""Rate limits shared by every process on one Redis (production): a sliding log of hit times per key,
in a sorted set, read and changed by one Lua script, so one round trip and atomic across processes.

While Redis cannot be reached, nothing is counted and every hit is allowed (a warning says so, at most
every 10 s): the API stays up, as it does for the broker, unlimited until Redis is back.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from agentry.application.ports.rate_limits import Quota, Usage

# KEYS[1]: the log; ARGV: now, window (s), limit, take (1/0), a member unique to this hit.
# Hits at or before now - window have left it. Returns allowed, count, oldest and newest (as strings:
# Lua numbers become integers in Redis replies).
_USE = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = count < limit
if allowed and ARGV[4] == '1' then
  redis.call('ZADD', key, now, ARGV[5])
  count = count + 1
end
if count > 0 then
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
return {allowed and 1 or 0, count, oldest[2] or '', newest[2] or ''}
"""

# KEYS[1]: the log; ARGV[1]: the time of the hit to forget (one of them, if several).
_TAKE_BACK = """
local hits = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
if hits[1] then redis.call('ZREM', KEYS[1], hits[1]) end
return 0
"""


log = logging.getLogger("agentry.rate_limits")
WARN_EVERY_S = 10.0


class RedisRateLimiter:
    def __init__(self, redis: Redis[bytes], prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._script = redis.register_script(_USE)
        self._take_back = redis.register_script(_TAKE_BACK)
        self._warned_at = float("-inf")

    async def hit(self, key: str, quota: Quota, now: float) -> Usage:
        return await self._use(key, quota, now, take=True)

    async def peek(self, key: str, quota: Quota, now: float) -> Usage:
        return await self._use(key, quota, now, take=False)

    async def clear(self, key: str) -> None:
        try:
            await self._redis.delete(self._prefix + key)
        except RedisError as error:
            self._unavailable(error)

    async def take_back(self, key: str, now: float) -> None:
        try:
            await self._take_back(keys=[self._prefix + key], args=[repr(now)])
        except RedisError as error:
            self._unavailable(error)

    async def _use(self, key: str, quota: Quota, now: float, *, take: bool) -> Usage:
        member = f"{now!r}:{secrets.token_hex(6)}"
        args: list[str | int] = [repr(now), repr(quota.window_s), quota.limit, 1 if take else 0, member]
        try:
            reply: list[Any] = await self._script(keys=[self._prefix + key], args=args)
        except RedisError as error:
            self._unavailable(error)
            return Usage(quota, True, 0, None, None)
        allowed, count, oldest, newest = reply
        return Usage(quota, bool(allowed), int(count), _seconds(oldest), _seconds(newest))

    def _unavailable(self, error: RedisError) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("rate limits are not counted while Redis is unavailable: %s", error)


def _seconds(value: bytes | str) -> float | None:
    return float(value) if value else None
