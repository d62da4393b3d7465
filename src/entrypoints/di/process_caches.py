"""What each API process keeps between requests while it hears changes on Redis: the callers'
principals and the tasks' validators, and the channel that clears them in every process at once."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.redis.heard_cache import CacheChanges
from agentry.adapters.redis.principal_cache import CachedPrincipalStore, PrincipalCache
from agentry.adapters.redis.task_versions import CachedTaskVersions, TaskVersionCache
from agentry.adapters.sqlalchemy.identity.principal_store import SqlAlchemyPrincipalStore
from agentry.application.identity.ports.sessions import PrincipalStore
from agentry.application.tasks.ports.task_repository import TaskRepository, TaskVersions
from agentry.entrypoints.config import Settings
from agentry.entrypoints.pubsub import pubsub_redis


class ProcessCachesProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def principal_cache(self, settings: Settings) -> PrincipalCache:
        return PrincipalCache(ttl_s=settings.principal_cache_ttl_s)

    @provide(scope=Scope.APP)
    def task_version_cache(self, settings: Settings) -> TaskVersionCache:
        return TaskVersionCache(ttl_s=settings.task_version_cache_ttl_s)

    @provide(scope=Scope.APP)
    async def changes(
        self, settings: Settings, principals: PrincipalCache, tasks: TaskVersionCache
    ) -> AsyncIterator[CacheChanges]:
        """Production: changes cross processes on Redis pub/sub (the API processes listen, see
        runtime.py); embedded: no cache is used (the CLI may change principals from another process)."""
        redis = pubsub_redis(settings)
        yield CacheChanges(principals, tasks, redis, f"{settings.redis_namespace}:caches-changed")
        if redis is not None:
            await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5

    @provide
    def principals(self, session: AsyncSession, settings: Settings, cache: PrincipalCache) -> PrincipalStore:
        store = SqlAlchemyPrincipalStore(session)
        return store if settings.principal_cache_ttl_s == 0 else CachedPrincipalStore(store, cache)

    @provide
    def task_versions(self, tasks: TaskRepository, settings: Settings, cache: TaskVersionCache) -> TaskVersions:
        return tasks if settings.task_version_cache_ttl_s == 0 else CachedTaskVersions(tasks, cache)
