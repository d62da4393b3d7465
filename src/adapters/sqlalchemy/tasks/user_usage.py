"""What one user's tasks use now, counted in SQL (Core statements: nothing staged in the session is flushed)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from uuid import UUID

import psycopg
from sqlalchemy import Select, bindparam, func, select, text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ClauseElement

from agentry.adapters.sqlalchemy import leased_tasks
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.adapters.sqlalchemy.unit_of_work import execute, translate
from agentry.application.tasks.ports.user_usage import OwnerLoad

t, e = tasks.c, task_executions.c
# Literals, as the partial indexes spell them, so the planner can use those indexes.
_RUNNING = text("task_executions.status = 'running'")
_WAITING = text("tasks.status IN ('pending', 'queued')")
_RUNNING_BY_OWNER = (
    select(t.owner_id).select_from(task_executions.join(tasks, t.id == e.task_id)).where(_RUNNING).group_by(t.owner_id)
)


def busy_owners(at: int) -> Select[tuple[UUID]]:
    """The users whose tasks run `at` executions or more now (from the few running executions)."""
    return _RUNNING_BY_OWNER.having(func.count() >= at)


_TURN = text("SELECT pg_advisory_xact_lock(:key)")
_RUNNING_OF = (
    select(func.count())
    .select_from(task_executions.join(tasks, t.id == e.task_id))
    .where(_RUNNING, t.owner_id == bindparam("owner_id"))
)
_WAITING_OF = select(func.count()).select_from(tasks).where(t.owner_id == bindparam("owner_id"), _WAITING)


@functools.cache
def _driver_sql(statement: ClauseElement) -> str:
    """The statement's PostgreSQL text with psycopg's named placeholders: the turn's lock and a count
    after it go out together past SQLAlchemy, in one pipeline (one round trip; the count is its own
    statement, so it reads what was committed once the lock was held)."""
    return str(statement.compile(dialect=PGDialect_psycopg()))  # type: ignore[no-untyped-call]


def _turn_key(owner_id: UUID) -> int:
    return int.from_bytes(owner_id.bytes[:8], "big", signed=True)


class SqlAlchemyUserUsage:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def take_turn(self, owner_id: UUID) -> None:
        # PostgreSQL: a transaction-scoped advisory lock on the user's id. SQLite: every transaction that
        # writes begins IMMEDIATE, so they go one at a time already.
        if self._session.get_bind().dialect.name == "postgresql":
            await execute(self._session, _TURN, {"key": _turn_key(owner_id)})

    async def running_executions_in_turn(self, owner_id: UUID) -> int:
        if self._session.get_bind().dialect.name != "postgresql":
            return await self.running_executions(owner_id)  # SQLite: its writers go one at a time
        return await self._count_in_turn(owner_id, _RUNNING_OF)

    async def waiting_tasks_in_turn(self, owner_id: UUID) -> int:
        if self._session.get_bind().dialect.name != "postgresql":
            return await self.waiting_tasks(owner_id)
        return await self._count_in_turn(owner_id, _WAITING_OF)

    async def _count_in_turn(self, owner_id: UUID, count: ClauseElement) -> int:
        session = self._session
        driver = (await (await session.connection()).get_raw_connection()).driver_connection
        assert driver is not None, "a connection checked out of the pool has its driver's"
        try:
            async with driver.pipeline():
                await driver.execute(_driver_sql(_TURN), {"key": _turn_key(owner_id)})
                counted = await driver.execute(_driver_sql(count), {"owner_id": owner_id})
            row = await counted.fetchone()
        except psycopg.Error as error:  # the same port errors as a statement through the session
            wrapped = DBAPIError.instance(_driver_sql(count), None, error, psycopg.Error)
            raise translate(wrapped, session) from error
        assert row is not None
        return int(row[0])

    async def running_executions(self, owner_id: UUID) -> int:
        return int((await execute(self._session, _RUNNING_OF, {"owner_id": owner_id})).scalar_one())

    async def waiting_tasks(self, owner_id: UUID) -> int:
        return int((await execute(self._session, _WAITING_OF, {"owner_id": owner_id})).scalar_one())

    async def loads(self, task_ids: Sequence[UUID]) -> dict[UUID, OwnerLoad]:
        if not task_ids:
            return {}
        if (leased := leased_tasks.recall(self._session, task_ids)) is not None:
            return {task_id: OwnerLoad(task.owner_id, task.owner_running) for task_id, task in leased.items()}
        running = (
            select(t.owner_id.label("owner_id"), func.count().label("running"))
            .select_from(task_executions.join(tasks, t.id == e.task_id))
            .where(_RUNNING)
            .group_by(t.owner_id)
            .subquery()
        )
        query = (
            select(t.id, t.owner_id, func.coalesce(running.c.running, 0))
            .outerjoin(running, running.c.owner_id == t.owner_id)
            .where(t.id.in_(task_ids))
        )
        rows = (await execute(self._session, query)).all()
        return {task_id: OwnerLoad(owner_id, int(count)) for task_id, owner_id, count in rows}
