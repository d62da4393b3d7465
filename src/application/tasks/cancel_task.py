from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.access import require, visible_task
from application.ports.access_policy import AccessPolicy, Action, Resource
from application.ports.clock import Clock
from application.ports.live_events import LiveEvents, TaskStatusChanged
from application.ports.task_repository import TaskRepository
from application.ports.unit_of_work import UnitOfWork
from domain.principal import Principal
from domain.tasks import AgentTask


@dataclass(frozen=True, slots=True)
class CancelTask:
    """Waiting work is cancelled at once; a running task becomes `cancelling` until its worker stops."""

    tasks: TaskRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    live: LiveEvents

    async def __call__(self, actor: Principal, task_id: UUID) -> AgentTask:
        task = await visible_task(self.tasks, self.policy, actor, task_id, for_update=True)
        require(self.policy, actor, Action.CANCEL_TASK, Resource.of_task(task))
        task.cancel(self.clock.now())
        await self.uow.commit()
        await self.live.publish(TaskStatusChanged.of(task))
        return task
