from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from agentry.application.access import require_project_reader
from agentry.application.ports.access_policy import AccessPolicy, ProjectScope
from agentry.application.ports.clock import Clock
from agentry.application.tasks.ports.task_repository import TaskRepository, TaskStats
from agentry.application.tasks.time_window import require_aware
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class GetTaskStats:
    """Counts by status, success rate and durations over the tasks the actor may see (or one project's), in
    the creation window asked for; and each of those projects' backlog now, whatever the window."""

    tasks: TaskRepository
    policy: AccessPolicy
    clock: Clock

    async def __call__(
        self,
        actor: Principal,
        *,
        project_id: UUID | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> TaskStats:
        require_aware(created_after=created_after, created_before=created_before)
        scope = self.policy.readable_projects(actor)
        if project_id is not None:
            require_project_reader(self.policy, actor, project_id)
            scope = ProjectScope.only(frozenset({project_id}))
        stats = await self.tasks.stats(scope, created_after, created_before)
        now = self.clock.now()
        backlog = [
            replace(b, oldest_wait_s=max(0.0, (now - b.oldest_queued_at).total_seconds()))
            if b.oldest_queued_at is not None
            else b
            for b in await self.tasks.backlog(scope)
        ]
        return replace(stats, backlog=backlog)
