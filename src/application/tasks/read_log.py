from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import visible_task
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.tasks.logs import LogLine

PAGE_MAX = 1_000


@dataclass(frozen=True, slots=True)
class LogPage:
    execution_number: int | None
    items: list[LogLine]
    next_after: int


@dataclass(frozen=True, slots=True)
class ReadLog:
    """Lines of one execution (the latest by default) after a sequence number."""

    tasks: TaskRepository
    logs: LogStore
    policy: AccessPolicy

    async def __call__(
        self,
        actor: Principal,
        task_id: UUID,
        *,
        execution: int | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> LogPage:
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be from 1 to {PAGE_MAX}")
        if after < 0:
            raise InvalidValue("after", "must not be negative")
        task = await visible_task(self.tasks, self.policy, actor, task_id)
        number = execution if execution is not None else task.execution_count
        if not 1 <= number <= task.execution_count:
            if execution is not None:
                raise InvalidValue("execution", f"the task has {task.execution_count} execution(s)")
            return LogPage(None, [], after)
        lines = await self.logs.read(task_id, number, after, limit)
        return LogPage(number, lines, lines[-1].sequence if lines else after)
