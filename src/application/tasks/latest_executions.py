"""The latest execution of each of a set of tasks, in a constant number of reads: what a page of tasks
shows beside each task (the GraphQL API's loader asks for a whole page at once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.principal import Principal
from agentry.domain.tasks.executions import TaskExecution

BATCH_MAX = 1000


@dataclass(frozen=True, slots=True)
class LatestExecutions:
    tasks: TaskRepository
    executions: ExecutionRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, task_ids: Sequence[UUID]) -> dict[UUID, TaskExecution]:
        """By task id; a task the actor may not read (or that does not exist, or has not run) is absent."""
        wanted = list(dict.fromkeys(task_ids))[:BATCH_MAX]
        readable = [
            task.id
            for task in await self.tasks.get_many(wanted)
            if self.policy.allows(actor, Action.READ_TASK, Resource.of_task(task))
        ]
        return {execution.task_id: execution for execution in await self.executions.latest_of(readable)}
