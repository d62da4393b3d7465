from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import visible_task
from agentry.application.errors import InvalidCursor
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.tasks.executions import TaskExecution

PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class ExecutionPage:
    items: list[TaskExecution]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListExecutions:
    """A task's executions in order; the cursor is the number of the last one seen."""

    tasks: TaskRepository
    executions: ExecutionRepository
    policy: AccessPolicy

    async def __call__(
        self, actor: Principal, task_id: UUID, *, cursor: str | None = None, limit: int = 50
    ) -> ExecutionPage:
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be from 1 to {PAGE_MAX}")
        after = _decode(cursor)
        await visible_task(self.tasks, self.policy, actor, task_id)
        items, next_cursor = await fetch_page(
            lambda n: self.executions.for_task(task_id, after_number=after, limit=n),
            limit,
            lambda last: str(last.number),
        )
        return ExecutionPage(items, next_cursor)


def _decode(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 9:
        raise InvalidCursor("it was not made by this service")
    return int(cursor)
