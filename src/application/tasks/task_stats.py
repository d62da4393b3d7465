from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.access import require_project_reader
from agentry.application.ports.access_policy import AccessPolicy, ProjectScope
from agentry.application.ports.clock import Clock
from agentry.application.read_cache import TASKS, ReadThrough, project_parts, scope_key
from agentry.application.tasks.ports.task_repository import ProjectBacklog, TaskRepository, TaskStats
from agentry.application.tasks.time_window import require_aware
from agentry.domain.principal import Principal
from agentry.domain.tasks.status import TaskStatus


@dataclass(frozen=True, slots=True)
class GetTaskStats:
    """Counts by status, success rate and durations over the tasks the actor may see (or one project's), in
    the creation window asked for; and each of those projects' backlog now, whatever the window.

    Served from the read cache, keyed by the projects visible (never by who asks: two readers who see the
    same projects share an entry) and the window; the backlog's wait is worked out at each read."""

    tasks: TaskRepository
    policy: AccessPolicy
    clock: Clock
    cache: ReadThrough

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
        everything = "*" if scope.everything else ",".join(sorted(str(p) for p in scope.project_ids))
        key = scope_key(
            "stats.v1",
            everything,
            created_after and created_after.isoformat(),
            created_before and created_before.isoformat(),
        )

        async def compute() -> TaskStats:
            stats = await self.tasks.stats(scope, created_after, created_before)
            return replace(stats, backlog=await self.tasks.backlog(scope))

        parts = project_parts(scope.everything, scope.project_ids)
        stats = await self.cache(TASKS, key, parts, compute, encode_stats, decode_stats)
        now = self.clock.now()
        backlog = [
            replace(b, oldest_wait_s=max(0.0, (now - b.oldest_queued_at).total_seconds()))
            if b.oldest_queued_at is not None
            else b
            for b in stats.backlog
        ]
        return replace(stats, backlog=backlog)


def encode_stats(stats: TaskStats) -> str:
    return json.dumps(
        {
            "counts": {status.value: n for status, n in stats.counts.items()},
            "success_rate": stats.success_rate,
            "average_duration_s": stats.average_duration_s,
            "p95_duration_s": stats.p95_duration_s,
            "backlog": [
                [
                    str(b.project_id),
                    b.pending,
                    b.queued,
                    b.oldest_queued_at.isoformat() if b.oldest_queued_at is not None else None,
                ]
                for b in stats.backlog
            ],
        }
    )


def decode_stats(text: str) -> TaskStats:
    data: dict[str, Any] = json.loads(text)
    return TaskStats(
        counts={TaskStatus(status): n for status, n in data["counts"].items()},
        success_rate=data["success_rate"],
        average_duration_s=data["average_duration_s"],
        p95_duration_s=data["p95_duration_s"],
        backlog=[
            ProjectBacklog(UUID(p), pending, queued, datetime.fromisoformat(oldest) if oldest else None)
            for p, pending, queued, oldest in data["backlog"]
        ],
    )
