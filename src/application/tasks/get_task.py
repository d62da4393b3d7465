from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.access import visible_task
from application.ports.access_policy import AccessPolicy
from application.ports.task_repository import TaskRepository
from domain.principal import Principal
from domain.tasks import AgentTask


@dataclass(frozen=True, slots=True)
class GetTask:
    tasks: TaskRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, task_id: UUID) -> AgentTask:
        return await visible_task(self.tasks, self.policy, actor, task_id)
