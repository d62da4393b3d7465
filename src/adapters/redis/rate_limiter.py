"""Rate limits shared by every process on one Redis (production): a sliding log of hit times per key,
in a sorted set, read and changed by one Lua script, so atomic across processes.

The scripts of requests made while a round trip is under way go together in the next one (one
pipeline): a busy process pays one send, one read and one pooled connection for many requests
instead of one each, and each script stays atomic on its own, in the order the requests came.

While Redis cannot be reached, nothing is counted and every hit is allowed (a warning says so, at most
every 10 s): the API stays up, as it does for the broker, unlimited until Redis is back.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError, ResponseError

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

_Use = tuple[str, list[str | int]]  # the log's key, the script's arguments
_Reply = list[Any] | RedisError  # the script's reply, or the error that kept it from one
_Queued = tuple[str, list[str | int], asyncio.Future[list[Any]]]  # a use, and its reply once it came


class RedisRateLimiter:
    def __init__(self, redis: Redis[bytes], prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._sha = hashlib.sha1(_USE.encode()).hexdigest()
        self._take_back = redis.register_script(_TAKE_BACK)
        self._warned_at = float("-inf")
        self._sending = False  # a round trip of the script is under way
        self._queued: list[_Queued] = []  # uses waiting for the next
        self._sender: asyncio.Task[None] | None = None

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
            allowed, count, oldest, newest = await self._run(self._prefix + key, args)
        except RedisError as error:
            self._unavailable(error)
            return Usage(quota, True, 0, None, None)
        return Usage(quota, bool(allowed), int(count), _seconds(oldest), _seconds(newest))

    async def _run(self, key: str, args: list[str | int]) -> list[Any]:
        """The script's reply for one use: sent at once when no round trip is under way, else queued
        for the next."""
        if self._sending:
            reply: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
            self._queued.append((key, args, reply))
            return await reply
        self._sending = True
        try:
            [answer] = await self._evaluate([(key, args)])
        finally:
            if self._queued:
                self._sender = asyncio.create_task(self._send_queued())
            else:
                self._sending = False
        if isinstance(answer, RedisError):
            raise answer
        return answer

    async def _send_queued(self) -> None:
        """Sends what is queued, one pipeline per round trip, until nothing is; every queued use gets
        either the script's reply or the RedisError that kept it from one."""
        batch: list[_Queued] = []
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    answers = await self._evaluate([(key, args) for key, args, _ in batch])
                except RedisError as error:
                    answers = [error for _ in batch]
                for (_, _, reply), answer in zip(batch, answers, strict=True):
                    if reply.done():  # its request was cancelled
                        continue
                    if isinstance(answer, RedisError):
                        reply.set_exception(answer)
                    else:
                        reply.set_result(answer)
        finally:
            self._sending, self._sender = False, None
            for _, _, reply in [*batch, *self._queued]:  # left unanswered by an unexpected error
                reply.cancel()
            self._queued = []

    async def _evaluate(self, uses: list[_Use]) -> list[_Reply]:
        """The script's reply for each use, in order, or the ResponseError it met; after Redis lost the
        script (a restart), it is loaded again and run for the uses that found it missing."""
        replies = await self._send(uses)
        missing = [i for i, reply in enumerate(replies) if isinstance(reply, NoScriptError)]
        if missing:
            await self._redis.script_load(_USE)  # type: ignore[no-untyped-call]
            for i, reply in zip(missing, await self._send([uses[i] for i in missing]), strict=True):
                replies[i] = reply
        return replies

    async def _send(self, uses: list[_Use]) -> list[_Reply]:
        """One round trip: a pipeline, or the command alone (cheaper) for one use."""
        if len(uses) == 1:
            key, args = uses[0]
            try:
                return [await self._redis.evalsha(self._sha, 1, key, *args)]  # type: ignore[no-untyped-call]
            except ResponseError as error:
                return [error]
        async with self._redis.pipeline(transaction=False) as pipe:
            for key, args in uses:
                pipe.evalsha(self._sha, 1, key, *args)
            return list(await pipe.execute(raise_on_error=False))

    def _unavailable(self, error: RedisError) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("rate limits are not counted while Redis is unavailable: %s", error)


def _seconds(value: bytes | str) -> float | None:
    return float(value) if value else None
