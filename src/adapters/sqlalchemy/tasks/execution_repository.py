from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.tasks.execution_starts import write_start
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.adapters.sqlalchemy.unit_of_work import execute
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask

e = task_executions.c
# Spelled as the partial index's own predicate, so the planner can use the index whatever the plan.
_RUNNING = text("task_executions.status = 'running'")


class SqlAlchemyExecutionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, execution: TaskExecution) -> None:
        self._session.add(execution)

    async def start(self, task: AgentTask, execution: TaskExecution) -> None:
        await write_start(self._session, task, execution)

    async def for_task(self, task_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[TaskExecution]:
        query = (
            select(TaskExecution)
            .where(e.task_id == task_id, e.number > after_number)
            .order_by(e.number)
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return list((await self._session.execute(query)).scalars())

    async def latest_of(self, task_ids: Sequence[UUID]) -> list[TaskExecution]:
        if not task_ids:
            return []
        query = (
            select(TaskExecution)
            .join(tasks, (tasks.c.id == e.task_id) & (tasks.c.execution_count == e.number))
            .where(e.task_id.in_(list(task_ids)))
            .execution_options(populate_existing=True)
        )
        return list((await self._session.execute(query)).scalars())

    async def beat(self, execution_id: UUID, now: datetime) -> bool:
        # A Core UPDATE, so the ORM copy the worker holds is left alone; its own write at the end
        # does not touch the column. On PostgreSQL, if the recovery ended the execution meanwhile,
        # the WHERE is checked again against its committed row and finds nothing.
        beaten = await execute(
            self._session,
            update(task_executions)
            .where(e.id == execution_id, e.status == ExecutionStatus.RUNNING)
            .values(heartbeat_at=now),
        )
        return bool(beaten.rowcount)

    async def beat_and_read(self, execution_id: UUID, now: datetime) -> TaskStatus | None:
        status = select(tasks.c.status).where(tasks.c.id == e.task_id).scalar_subquery()
        beaten = await execute(
            self._session,
            update(task_executions)
            .where(e.id == execution_id, e.status == ExecutionStatus.RUNNING)
            .values(heartbeat_at=now)
            .returning(status),
        )
        row = beaten.first()
        return None if row is None else TaskStatus(row[0])

    async def silent(self, before: datetime, limit: int) -> list[TaskExecution]:
        query = (
            select(TaskExecution)
            .where(_RUNNING, e.heartbeat_at < before)
            .order_by(e.heartbeat_at)
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return list((await self._session.execute(query)).scalars())
