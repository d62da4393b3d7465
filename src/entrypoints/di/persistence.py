"""A request's database session (read-only requests get one in autocommit) and its unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from agentry.adapters.redis.heard_cache import CacheChanges
from agentry.adapters.sqlalchemy.outbox.at_once import SendAtOnce
from agentry.adapters.sqlalchemy.request_session import request_session
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.entrypoints.di.infrastructure import ReadOnlySessions
from agentry.entrypoints.read_only import READ_ONLY
from agentry.entrypoints.relay.wakeup import RelayWakeup


class PersistenceProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def session(
        self, factory: async_sessionmaker[AsyncSession], readers: ReadOnlySessions
    ) -> AsyncIterator[AsyncSession]:
        async with request_session(readers.factory if READ_ONLY.get() else factory) as session:
            yield session

    @provide
    def unit_of_work(
        self,
        session: AsyncSession,
        wakeup: RelayWakeup,
        ids: IdGenerator,
        caches: CacheChanges,
        send_at_once: SendAtOnce,
    ) -> UnitOfWork:
        """A commit that wrote jobs someone waits for sends them itself; one that wrote other queue jobs
        wakes the job relay; one that wrote events, the event relay; one that may have changed a principal
        or a task tells every process's caches before it returns."""
        return SqlAlchemyUnitOfWork(
            session,
            ids.new_id,
            on_outbox_commit=wakeup.jobs.notify,
            on_events_commit=wakeup.events.notify,
            on_principals_commit=caches.principals_changed,
            on_tasks_commit=caches.tasks_changed,
            send_at_once=send_at_once,
        )
