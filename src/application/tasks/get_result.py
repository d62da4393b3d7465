from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.access import visible_task
from application.errors import NotFound
from application.ports.access_policy import AccessPolicy
from application.ports.result_repository import ResultRepository
from application.ports.task_repository import TaskRepository
from domain.principal import Principal
from domain.results import TaskResult


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
