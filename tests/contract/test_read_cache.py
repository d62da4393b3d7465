"""The read cache port, one suite for both adapters: in this process (memory) and shared (Redis)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from agentry.adapters.redis.read_cache import RedisReadCache
from agentry.adapters.system.read_cache import MemoryReadCache
from agentry.application.ports.read_cache import ALL, ReadCache

PARTS = ["p:a", "u:x"]


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[ReadCache]:
    if request.param == "memory":
        yield MemoryReadCache(ttl_s=60.0)
        return
    redis: Redis[bytes] = Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"agentry-test-{uuid.uuid4().hex[:10]}:readcache:"
    try:
        yield RedisReadCache(redis, prefix, ttl_s=60.0)
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def fill(cache: ReadCache, area: str, key: str, value: str) -> None:
    found = await cache.lookup(area, key, PARTS)
    assert found is not None
    await cache.store(area, key, found.generation, value)


async def test_a_stored_value_is_found_in_its_generation(cache: ReadCache) -> None:
    first = await cache.lookup("tasks", "k", PARTS)
    assert first is not None and first.value is None
    await cache.store("tasks", "k", first.generation, '{"n": 1, "é": "ü"}')
    found = await cache.lookup("tasks", "k", PARTS)
    assert found == type(first)(first.generation, '{"n": 1, "é": "ü"}')
    other = await cache.lookup("tasks", "k2", PARTS)
    assert other is not None and other.value is None


async def test_an_invalidation_empties_its_areas_and_no_other(cache: ReadCache) -> None:
    await fill(cache, "tasks", "k", "t")
    await fill(cache, "usage", "k", "u")
    before = await cache.lookup("tasks", "k", PARTS)
    await cache.invalidate(["tasks"], ["p:a"])
    after = await cache.lookup("tasks", "k", PARTS)
    assert after is not None and before is not None
    assert after.value is None and after.generation != before.generation
    assert (await cache.lookup("usage", "k", PARTS)) is not None
    assert (await cache.lookup("usage", "k", PARTS)).value == "u"  # type: ignore[union-attr]
    await cache.invalidate(["tasks", "usage"], ["p:a"])
    assert (await cache.lookup("usage", "k", PARTS)).value is None  # type: ignore[union-attr]


async def test_an_invalidation_empties_the_entries_covering_its_parts_and_all_and_no_others(
    cache: ReadCache,
) -> None:
    covers = {"a": ["p:a"], "b": ["p:b"], "ab": ["p:a", "p:b"], "all": [ALL], "none": []}
    for key, parts in covers.items():
        found = await cache.lookup("tasks", key, parts)
        assert found is not None
        await cache.store("tasks", key, found.generation, key)
    await cache.invalidate(["tasks"], ["p:a"])
    left = {key: (await cache.lookup("tasks", key, parts)).value for key, parts in covers.items()}  # type: ignore[union-attr]
    assert left == {"a": None, "b": "b", "ab": None, "all": None, "none": "none"}
    await cache.invalidate(["tasks"], [])  # a change no project names: reads of everything only
    assert (await cache.lookup("tasks", "b", ["p:b"])).value == "b"  # type: ignore[union-attr]


async def test_a_value_stored_under_an_old_generation_is_never_served(cache: ReadCache) -> None:
    old = await cache.lookup("tasks", "k", PARTS)
    assert old is not None
    await cache.invalidate(["tasks"], ["p:a"])  # a change while the value was being computed
    await cache.store("tasks", "k", old.generation, "stale")
    found = await cache.lookup("tasks", "k", PARTS)
    assert found is not None and found.value is None
    await cache.store("tasks", "k", found.generation, "fresh")
    assert (await cache.lookup("tasks", "k", PARTS)).value == "fresh"  # type: ignore[union-attr]


async def test_generations_are_never_reused(cache: ReadCache) -> None:
    seen = set()
    for _ in range(5):
        found = await cache.lookup("tasks", "k", PARTS)
        assert found is not None
        seen.add(found.generation)
        await cache.invalidate(["tasks"], ["p:a"])
    assert len(seen) == 5


@pytest.mark.redis
async def test_redis_losing_a_generation_does_not_revive_its_entries(redis_url: str) -> None:
    redis: Redis[bytes] = Redis.from_url(redis_url)
    prefix = f"agentry-test-{uuid.uuid4().hex[:10]}:readcache:"
    cache = RedisReadCache(redis, prefix, ttl_s=60.0)
    try:
        await fill(cache, "tasks", "k", "old")
        await redis.delete(f"{prefix}gen:tasks:p:a")  # evicted, or a restart without its keys
        found = await cache.lookup("tasks", "k", PARTS)
        assert found is not None and found.value is None
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def test_redis_out_of_reach_reads_compute_and_invalidations_raise() -> None:
    redis: Redis[bytes] = Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)  # nothing listens
    cache = RedisReadCache(redis, "agentry-test:readcache:", ttl_s=60.0)
    try:
        assert await cache.lookup("tasks", "k", PARTS) is None
        await cache.store("tasks", "k", "g", "v")  # swallowed
        with pytest.raises(RedisError):
            await cache.invalidate(["tasks"], ["p:a"])
    finally:
        await redis.aclose()
