from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require, visible_task
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.budget import require_budget
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.queue_next import queue_next
from agentry.application.tasks.quotas import Quotas, require_waiting_room
from agentry.application.tasks.task_rules import require_allowed
from agentry.domain.principal import Principal
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class RetryTask:
    """Run a failed or timed-out task again, with a fresh allowance of attempts; refused, as new work
    is, if the task no longer meets the rules (task_rules.py) as its project has them now, once the
    project's monthly budget is spent, or when its owner has `user_max_waiting` tasks waiting."""

    tasks: TaskRepository
    outbox: Outbox
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    projects: ProjectRepository
    usage: ProjectUsage
    runners: RunnerCatalog
    users: UserUsage
    quotas: Quotas

    async def __call__(self, actor: Principal, task_id: UUID) -> AgentTask:
        task = await visible_task(self.tasks, self.policy, actor, task_id, for_update=True)
        require(self.policy, actor, Action.RETRY_TASK, Resource.of_task(task))
        now = self.clock.now()
        await require_waiting_room(self.users, self.quotas, task.owner_id)  # counted before it waits itself
        task.retry(now)
        project = await self.projects.get(task.project_id)
        require_allowed(self.runners, project, task.options)  # a refused retry is not written
        if project is not None:
            await require_budget(self.usage, project, now, self.quotas)
        await queue_next(self.outbox, self.ids, task, now, now)
        await self.uow.commit()
        return task
