from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require, visible_task
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.run_signals import StopRequests
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.principal import Principal
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class CancelTask:
    """Waiting work is cancelled at once; a running task becomes `cancelling` until its worker stops,
    which the stop request sent after the commit makes happen at once."""

    tasks: TaskRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    stops: StopRequests

    async def __call__(self, actor: Principal, task_id: UUID) -> AgentTask:
        task = await visible_task(self.tasks, self.policy, actor, task_id, for_update=True)
        require(self.policy, actor, Action.CANCEL_TASK, Resource.of_task(task))
        task.cancel(self.clock.now())
        await self.uow.commit()
        if task.status is TaskStatus.CANCELLING:
            await self.stops.request_stop(task.id)
        return task
