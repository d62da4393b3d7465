from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require, visible_task
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class DeleteTask:
    """Delete a task that is not running, with everything recorded about it."""

    tasks: TaskRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, task_id: UUID) -> None:
        task = await visible_task(self.tasks, self.policy, actor, task_id, for_update=True)
        require(self.policy, actor, Action.DELETE_TASK, Resource.of_task(task))
        task.delete(self.clock.now())
        await self.tasks.delete(task)
        await self.uow.commit()
