from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require, visible_task
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.task_rules import require_allowed
from agentry.domain.principal import Principal
from agentry.domain.tasks.changes import TaskChanges
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class UpdateTask:
    """Edit a task that has not been released to the workers yet. The task as edited must meet the
    rules (task_rules.py) as its project has them now."""

    tasks: TaskRepository
    projects: ProjectRepository
    outbox: Outbox
    runners: RunnerCatalog
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, task_id: UUID, changes: TaskChanges) -> AgentTask:
        task = await visible_task(self.tasks, self.policy, actor, task_id, for_update=True)
        require(self.policy, actor, Action.UPDATE_TASK, Resource.of_task(task))
        project = await self.projects.get(task.project_id)
        require_allowed(self.runners, project, changes.options or task.options)
        release_before = (task.release_at(), task.priority.rank)
        task.edit(changes, self.clock.now())
        if (task.release_at(), task.priority.rank) != release_before:
            await self.outbox.reschedule(task.id, task.release_at(), task.priority.rank)
        await self.uow.commit()
        return task
