from __future__ import annotations

from typing import Protocol
from uuid import UUID

from agentry.domain.tasks.results import TaskResult


class ResultRepository(Protocol):
    async def add(self, result: TaskResult) -> None:
        """Stage the task's result; a task has at most one."""
        ...

    async def get(self, task_id: UUID) -> TaskResult | None: ...
