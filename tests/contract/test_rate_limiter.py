"""The rate limiter port, one suite for both adapters: in this process (memory) and shared (Redis)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from agentry.adapters.redis import rate_limiter
from agentry.adapters.redis.rate_limiter import RedisRateLimiter
from agentry.adapters.system.rate_limiter import MemoryRateLimiter
from agentry.application.ports.rate_limits import Quota, RateLimiter

NOW = 1_800_000_000.25  # seconds since the epoch; fractions must survive the round trip
FIVE_PER_10S = Quota(5, 10.0)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    redis: Redis[bytes] = Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"agentry-test-{uuid.uuid4().hex[:10]}:ratelimit:"
    try:
        yield RedisRateLimiter(redis, prefix)
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def test_a_quota_lets_its_limit_through_then_refuses_without_counting(limiter: RateLimiter) -> None:
    uses = [await limiter.hit("k", FIVE_PER_10S, NOW + i * 0.1) for i in range(7)]
    assert [u.allowed for u in uses] == [True] * 5 + [False] * 2
    assert [u.count for u in uses] == [1, 2, 3, 4, 5, 5, 5]
    assert [u.remaining for u in uses] == [4, 3, 2, 1, 0, 0, 0]
    refused = uses[-1]
    assert refused.oldest == pytest.approx(NOW) and refused.newest == pytest.approx(NOW + 0.4)
    assert refused.reset_s(NOW + 0.6) == pytest.approx(9.4)  # the first hit leaves the window then


async def test_the_window_slides_one_hit_at_a_time(limiter: RateLimiter) -> None:
    for i in range(5):
        await limiter.hit("k", FIVE_PER_10S, NOW + i)
    assert not (await limiter.hit("k", FIVE_PER_10S, NOW + 9.9)).allowed
    assert (await limiter.hit("k", FIVE_PER_10S, NOW + 10.0)).allowed  # the first (at NOW) has left
    assert not (await limiter.hit("k", FIVE_PER_10S, NOW + 10.5)).allowed
    assert (await limiter.hit("k", FIVE_PER_10S, NOW + 11.0)).allowed


async def test_keys_are_counted_apart_and_peek_counts_nothing(limiter: RateLimiter) -> None:
    for _ in range(5):
        await limiter.hit("a", FIVE_PER_10S, NOW)
    peeked = await limiter.peek("a", FIVE_PER_10S, NOW)
    assert (peeked.allowed, peeked.count) == (False, 5)
    assert (await limiter.peek("b", FIVE_PER_10S, NOW)).count == 0
    assert (await limiter.hit("b", FIVE_PER_10S, NOW)).allowed
    empty = await limiter.peek("c", FIVE_PER_10S, NOW)
    assert (empty.allowed, empty.count, empty.oldest, empty.newest, empty.reset_s(NOW)) == (True, 0, None, None, 0.0)


async def test_clear_forgets_a_key(limiter: RateLimiter) -> None:
    for _ in range(5):
        await limiter.hit("a", FIVE_PER_10S, NOW)
    await limiter.clear("a")
    assert (await limiter.hit("a", FIVE_PER_10S, NOW)).count == 1


async def test_take_back_forgets_one_hit_at_that_time_only(limiter: RateLimiter) -> None:
    at = NOW + 0.123456789
    for when in (NOW, at, at, NOW + 1):
        await limiter.hit("a", FIVE_PER_10S, when)
    await limiter.take_back("a", at)
    usage = await limiter.peek("a", FIVE_PER_10S, NOW + 2)
    assert (usage.count, usage.oldest, usage.newest) == (3, pytest.approx(NOW), pytest.approx(NOW + 1))
    await limiter.take_back("a", at)
    await limiter.take_back("a", at)  # none left at that time: nothing more goes
    await limiter.take_back("nobody", at)
    assert (await limiter.peek("a", FIVE_PER_10S, NOW + 2)).count == 2


async def test_hits_at_the_same_time_never_pass_the_limit(limiter: RateLimiter) -> None:
    uses = await asyncio.gather(*(limiter.hit("k", Quota(10, 60.0), NOW) for _ in range(50)))
    assert sum(u.allowed for u in uses) == 10
    assert (await limiter.peek("k", Quota(10, 60.0), NOW)).count == 10


async def test_while_redis_is_away_nothing_is_counted_and_everything_is_allowed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis: Redis[bytes] = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    limiter = RedisRateLimiter(redis, "agentry-test:ratelimit:")
    try:
        uses = [await limiter.hit("k", Quota(1, 60.0), NOW) for _ in range(3)]
        uses += await asyncio.gather(*(limiter.hit("k", Quota(1, 60.0), NOW) for _ in range(5)))  # queued ones too
        assert [(u.allowed, u.count) for u in uses] == [(True, 0)] * 8
        await limiter.clear("k")
    finally:
        await redis.aclose()
    warnings = [r for r in caplog.records if "not counted while Redis is unavailable" in r.getMessage()]
    assert len(warnings) == 1, "one warning, not one per request"


@pytest.mark.redis
async def test_hits_are_counted_when_redis_has_lost_the_script(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A script text Redis has never seen stands for one it lost (a restart): its first run finds it missing.
    monkeypatch.setattr(rate_limiter, "_USE", f"{rate_limiter._USE}-- {uuid.uuid4().hex}\n")
    redis: Redis[bytes] = Redis.from_url(redis_url)
    prefix = f"agentry-test-{uuid.uuid4().hex[:10]}:ratelimit:"
    limiter = RedisRateLimiter(redis, prefix)
    try:
        # The first is sent at once, and loads the script; the others wait for it and go together.
        uses = await asyncio.gather(*(limiter.hit("k", FIVE_PER_10S, NOW) for _ in range(7)))
        assert [u.allowed for u in uses] == [True] * 5 + [False] * 2
        assert (await limiter.peek("k", FIVE_PER_10S, NOW)).count == 5
    finally:
        await redis.delete(f"{prefix}k")
        await redis.aclose()
