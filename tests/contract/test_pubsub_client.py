"""The pub/sub client's commands go out on the caller's task: a worker sends four or five a task (its live
events, its commits' cache changes, its event wake-ups), and a task made for each send cost it CPU."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine, Generator
from typing import Any

from agentry.adapters.redis.heard_cache import CacheChanges, HeardCache
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.pubsub import pubsub_redis


def _counting_tasks(made: list[Coroutine[Any, Any, Any] | Generator[Any, None, Any]]) -> Any:
    def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        made.append(coro)
        return asyncio.Task(coro, loop=loop, **kwargs)

    return factory


async def test_publishing_a_cache_change_makes_no_task(redis_url: str) -> None:
    environ = {"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://db/agentry"}
    settings = load_settings(environ | {"AGENTRY_REDIS_URL": redis_url})
    redis = pubsub_redis(settings)
    assert redis is not None
    changes = CacheChanges(HeardCache(60), HeardCache(60), redis, f"test-{uuid.uuid4().hex}")
    loop = asyncio.get_running_loop()
    try:
        await changes.tasks_changed()  # connected
        made: list[Any] = []
        loop.set_task_factory(_counting_tasks(made))
        try:
            await changes.tasks_changed()
            await changes.principals_changed()
        finally:
            loop.set_task_factory(None)
        assert made == []
    finally:
        await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5
