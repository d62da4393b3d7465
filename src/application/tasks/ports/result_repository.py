from __future__ import annotations

from typing import Protocol
from uuid import UUID

from agentry.application.tasks.ports.agent_gateway import Exchange
from agentry.domain.tasks.results import TaskResult


class ResultRepository(Protocol):
    async def add(self, result: TaskResult) -> None:
        """Stage the task's result; a task has at most one."""
        ...

    async def get(self, task_id: UUID) -> TaskResult | None: ...

    async def chain(self, task_id: UUID, limit: int) -> list[Exchange]:
        """The prompt and answer of `task_id` and of the tasks it follows, one link after the other, oldest
        first: at most `limit`, the newest. A task with no result answered ""; a link to a task deleted since
        ends the chain. One read, however long the chain."""
        ...
