"""A task's validator (its version with what the policy reads to let someone see it), kept in each API
process between conditional reads while changes are heard (see heard_cache.py): every commit that
updates or deletes a task, the worker's included, clears it everywhere before it returns."""

from __future__ import annotations

from uuid import UUID

from agentry.adapters.redis.heard_cache import HeardCache
from agentry.application.tasks.ports.task_repository import TaskVersion, TaskVersions


class TaskVersionCache(HeardCache[UUID, TaskVersion]):
    """Validators by task id (tasks that do not exist are not kept)."""


class CachedTaskVersions:
    """TaskVersions that asks `store` only for what the cache does not hold."""

    def __init__(self, store: TaskVersions, cache: TaskVersionCache) -> None:
        self._store = store
        self._cache = cache

    async def version(self, task_id: UUID) -> TaskVersion | None:
        found = self._cache.get(task_id)
        if found is not None:
            return found
        generation = self._cache.generation
        found = await self._store.version(task_id)
        if found is not None:
            self._cache.put(task_id, found, generation)
        return found
