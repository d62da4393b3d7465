from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.executions import TaskExecution


class ExecutionRepository(Protocol):
    async def add(self, execution: TaskExecution) -> None: ...

    async def for_task(self, task_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[TaskExecution]:
        """The task's executions in order of their number, after `after_number`, read fresh."""
        ...
