"""What the queue looks like now, for the metrics read at scrape time: the tasks waiting per project
(by slug) with the age of the oldest, and the executions running. One short read each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.sqlalchemy.projects.tables import projects
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.status import TaskStatus

WAITING = (TaskStatus.QUEUED,)  # pending tasks wait for their scheduled time, not for a worker


@dataclass(frozen=True, slots=True)
class ProjectQueue:
    slug: str
    waiting: int
    oldest_waiting_since: datetime | None


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    projects: list[ProjectQueue]
    running_executions: int


async def read_queue(engine: AsyncEngine) -> QueueSnapshot:
    since = func.min(func.coalesce(tasks.c.queued_at, tasks.c.created_at))
    waiting = (
        select(projects.c.slug, func.count(), since)
        .select_from(tasks.join(projects, projects.c.id == tasks.c.project_id))
        .where(tasks.c.status.in_(WAITING))
        .group_by(projects.c.slug)
    )
    running = (
        select(func.count()).select_from(task_executions).where(task_executions.c.status == ExecutionStatus.RUNNING)
    )
    async with engine.connect() as connection:
        rows = (await connection.execute(waiting)).all()
        count = (await connection.execute(running)).scalar() or 0
    return QueueSnapshot([ProjectQueue(slug, n, oldest) for slug, n, oldest in rows], int(count))
