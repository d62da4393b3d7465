"""What one user's tasks use now, counted in SQL (Core statements: nothing staged in the session is flushed)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy import leased_tasks
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.adapters.sqlalchemy.unit_of_work import execute
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


class SqlAlchemyUserUsage:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def take_turn(self, owner_id: UUID) -> None:
        # PostgreSQL: a transaction-scoped advisory lock on the user's id. SQLite: every transaction that
        # writes begins IMMEDIATE, so they go one at a time already.
        if self._session.get_bind().dialect.name == "postgresql":
            key = int.from_bytes(owner_id.bytes[:8], "big", signed=True)
            await execute(self._session, text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    async def running_executions(self, owner_id: UUID) -> int:
        query = (
            select(func.count())
            .select_from(task_executions.join(tasks, t.id == e.task_id))
            .where(_RUNNING, t.owner_id == owner_id)
        )
        return int((await execute(self._session, query)).scalar_one())

    async def waiting_tasks(self, owner_id: UUID) -> int:
        query = select(func.count()).select_from(tasks).where(t.owner_id == owner_id, _WAITING)
        return int((await execute(self._session, query)).scalar_one())

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
