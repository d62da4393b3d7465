from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import visible_task
from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.principal import Principal
from agentry.domain.tasks.results import TaskResult


@dataclass(frozen=True, slots=True)
class GetResult:
    tasks: TaskRepository
    results: ResultRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, task_id: UUID) -> TaskResult:
        await visible_task(self.tasks, self.policy, actor, task_id)
        result = await self.results.get(task_id)
        if result is None:
            raise NotFound("result of task", task_id)
        return result
