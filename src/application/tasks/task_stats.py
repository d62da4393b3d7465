from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.ports.access_policy import AccessPolicy, Action
from application.ports.task_repository import TaskRepository, TaskStats
from application.tasks.access import require
from application.tasks.list_tasks import require_aware
from domain.principal import Principal


@dataclass(frozen=True, slots=True)
class GetTaskStats:
    """Counts by status, success rate and durations over the tasks the actor may see."""

    tasks: TaskRepository
    policy: AccessPolicy

    async def __call__(
        self, actor: Principal, *, created_after: datetime | None = None, created_before: datetime | None = None
    ) -> TaskStats:
        require(self.policy, actor, Action.READ_TASK)
        require_aware(created_after=created_after, created_before=created_before)
        return await self.tasks.stats(self.policy.task_scope(actor), created_after, created_before)
