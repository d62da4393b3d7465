"""What the queue looks like now, for the metrics read at scrape time: the tasks waiting per project
(by slug) with the age of the oldest, and the executions running. One short read each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from agentry.adapters.sqlalchemy.projects.tables import projects
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.domain.projects.project import month_start
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.status import TaskStatus

WAITING = (TaskStatus.QUEUED,)  # pending tasks wait for their scheduled time, not for a worker


@dataclass(frozen=True, slots=True)
class ProjectQueue:
    slug: str
    waiting: int
    oldest_waiting_since: datetime | None


@dataclass(frozen=True, slots=True)
class ProjectBudget:
    slug: str
    monthly_budget_usd: float
    spent_usd: float


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    projects: list[ProjectQueue]
    running_executions: int
    budgets: list[ProjectBudget] = field(default_factory=list)


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
        budgets = await _budgets(connection)
    return QueueSnapshot([ProjectQueue(slug, n, oldest) for slug, n, oldest in rows], int(count), budgets)


async def _budgets(connection: AsyncConnection) -> list[ProjectBudget]:
    """This month's spend of the (shared) projects that have a monthly budget. Personal projects are
    left out: one per user, they would make a series per user."""
    shared = (
        await connection.execute(
            select(projects.c.id, projects.c.slug, projects.c.settings).where(~projects.c.personal)
        )
    ).all()
    budgeted = {pid: (slug, s.monthly_budget_usd) for pid, slug, s in shared if s.monthly_budget_usd is not None}
    if not budgeted:
        return []
    spent = (
        select(tasks.c.project_id, func.coalesce(func.sum(task_executions.c.cost_usd), 0.0))
        .select_from(task_executions.join(tasks, tasks.c.id == task_executions.c.task_id))
        .where(tasks.c.project_id.in_(budgeted), task_executions.c.started_at >= month_start(datetime.now(UTC)))
        .group_by(tasks.c.project_id)
    )
    by_project = dict((await connection.execute(spent)).all())
    return [
        ProjectBudget(slug, float(budget), float(by_project.get(pid, 0.0))) for pid, (slug, budget) in budgeted.items()
    ]
