"""The storage adapters under test, behind one interface: a fresh unit of work per `scope()`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from adapters.sqlalchemy.execution_repository import SqlAlchemyExecutionRepository
from adapters.sqlalchemy.log_store import SqlAlchemyLogStore
from adapters.sqlalchemy.mapping import start_mappers
from adapters.sqlalchemy.outbox import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from adapters.sqlalchemy.result_repository import SqlAlchemyResultRepository
from adapters.sqlalchemy.task_repository import SqlAlchemyTaskRepository
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from tests.fakes.memory import (
    MemoryDatabase,
    MemoryExecutionRepository,
    MemoryLogStore,
    MemoryOutbox,
    MemoryOutboxRelayStore,
    MemoryResultRepository,
    MemoryTaskRepository,
    MemoryUnitOfWork,
)


@dataclass
class Ports:
    tasks: Any
    executions: Any
    logs: Any
    results: Any
    outbox: Any
    relay: Any
    uow: Any


class MemoryStorage:
    name = "memory"

    def __init__(self) -> None:
        self.db = MemoryDatabase()

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Ports]:
        s = self.db.session()
        try:
            yield Ports(
                MemoryTaskRepository(s),
                MemoryExecutionRepository(s),
                MemoryLogStore(s),
                MemoryResultRepository(s),
                MemoryOutbox(s),
                MemoryOutboxRelayStore(s),
                MemoryUnitOfWork(s),
            )
        finally:
            await s.rollback()


class SqlStorage:
    def __init__(self, name: str, engine: AsyncEngine) -> None:
        start_mappers()
        self.name = name
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.outbox_commits = 0

    def _woken(self) -> None:
        self.outbox_commits += 1

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Ports]:
        async with self.sessions() as s:
            yield Ports(
                SqlAlchemyTaskRepository(s),
                SqlAlchemyExecutionRepository(s),
                SqlAlchemyLogStore(s),
                SqlAlchemyResultRepository(s),
                SqlAlchemyOutbox(s),
                SqlAlchemyOutboxRelayStore(s),
                SqlAlchemyUnitOfWork(s, on_outbox_commit=self._woken),
            )
