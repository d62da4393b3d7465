from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import visible_task
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.principal import Principal
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class GetTask:
    tasks: TaskRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, task_id: UUID) -> AgentTask:
        return await visible_task(self.tasks, self.policy, actor, task_id)
