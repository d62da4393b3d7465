"""Which read cache a profile gets: memory embedded, Redis in production, off in production without
Redis (one process's memory would miss the invalidations other processes deliver) or when turned off."""

from __future__ import annotations

import logging

import pytest
from dishka import make_async_container

from agentry.adapters.redis.read_cache import RedisReadCache
from agentry.adapters.system.read_cache import MemoryReadCache, NoReadCache
from agentry.application.ports.read_cache import ReadCache
from agentry.application.read_cache import ReadThrough
from agentry.entrypoints.config import Settings, load_settings
from agentry.entrypoints.di.read_cache import ReadCacheProvider


async def wired(**env: str) -> tuple[ReadCache, ReadThrough]:
    production = {"AGENTRY_DATABASE_URL": "postgresql://db/agentry", "AGENTRY_SECRET_KEY": "s" * 32}
    needed = production if env.get("AGENTRY_PROFILE") == "production" else {}
    settings = load_settings({"AGENTRY_METRICS": "false", **needed, **env})
    container = make_async_container(ReadCacheProvider(), context={Settings: settings})
    try:
        return await container.get(ReadCache), await container.get(ReadThrough)
    finally:
        await container.close()


@pytest.mark.parametrize(
    ("env", "kind", "enabled"),
    [
        ({}, MemoryReadCache, True),
        ({"AGENTRY_READ_CACHE": "false"}, NoReadCache, False),
        ({"AGENTRY_PROFILE": "production", "AGENTRY_REDIS_URL": "redis://127.0.0.1:6379/0"}, RedisReadCache, True),
        ({"AGENTRY_PROFILE": "production"}, NoReadCache, True),
    ],
)
async def test_each_profile_gets_its_cache(
    env: dict[str, str], kind: type, enabled: bool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        cache, read = await wired(**env)
    assert isinstance(cache, kind)
    assert read.enabled is enabled
    warned = "the stats and usage cache is off" in caplog.text
    assert warned is (env == {"AGENTRY_PROFILE": "production"})
