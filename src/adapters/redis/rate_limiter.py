"""Rate limits shared by every process on one Redis (production): a sliding log of hit times per key,
in a sorted set, read and changed by one Lua script, so one round trip and atomic across processes."""

from __future__ import annotations

import secrets
from typing import Any

from redis.asyncio import Redis

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


class RedisRateLimiter:
    def __init__(self, redis: Redis[bytes], prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._script = redis.register_script(_USE)

    async def hit(self, key: str, quota: Quota, now: float) -> Usage:
        return await self._use(key, quota, now, take=True)

    async def peek(self, key: str, quota: Quota, now: float) -> Usage:
        return await self._use(key, quota, now, take=False)

    async def clear(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def _use(self, key: str, quota: Quota, now: float, *, take: bool) -> Usage:
        member = f"{now!r}:{secrets.token_hex(6)}"
        args: list[str | int] = [repr(now), repr(quota.window_s), quota.limit, 1 if take else 0, member]
        reply: list[Any] = await self._script(keys=[self._prefix + key], args=args)
        allowed, count, oldest, newest = reply
        return Usage(quota, bool(allowed), int(count), _seconds(oldest), _seconds(newest))


def _seconds(value: bytes | str) -> float | None:
    return float(value) if value else None
