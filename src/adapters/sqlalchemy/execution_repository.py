from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqlalchemy.tables import task_executions
from domain.executions import TaskExecution


class SqlAlchemyExecutionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, execution: TaskExecution) -> None:
        self._session.add(execution)

    async def for_task(self, task_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[TaskExecution]:
        query = (
            select(TaskExecution)
            .where(task_executions.c.task_id == task_id, task_executions.c.number > after_number)
            .order_by(task_executions.c.number)
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return list((await self._session.execute(query)).scalars())
