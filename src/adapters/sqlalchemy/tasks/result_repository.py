from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from agentry.domain.tasks.results import TaskResult


class SqlAlchemyResultRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, result: TaskResult) -> None:
        self._session.add(result)

    async def get(self, task_id: UUID) -> TaskResult | None:
        return await self._session.get(TaskResult, task_id)
