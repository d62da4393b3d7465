from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import visible_task
from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.tasks.ports.task_repository import TaskRepository, TaskVersions
from agentry.domain.principal import Principal
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class GetTask:
    tasks: TaskRepository
    versions: TaskVersions  # the repository, or a cache of it (a conditional read's validator)
    policy: AccessPolicy

    async def __call__(self, actor: Principal, task_id: UUID) -> AgentTask:
        """The task to answer with (read, not loaded for a change), if the actor may read it."""
        return await visible_task(self.tasks, self.policy, actor, task_id, to_answer=True)

    async def version(self, actor: Principal, task_id: UUID) -> int | None:
        """The task's stored version, without loading the task, for a conditional read: authorized as the
        task itself is (one the actor may not read does not exist for them). None: no such task, or
        the repository keeps no versions; the caller then reads the task, which says which."""
        found = await self.versions.version(task_id)
        if found is None:
            return None
        if not self.policy.allows(actor, Action.READ_TASK, Resource.of_task(found)):
            raise NotFound("task", task_id)
        return found.version
