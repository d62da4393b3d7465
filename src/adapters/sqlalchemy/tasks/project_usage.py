"""What a project is using now, counted in SQL (Core statements: nothing staged in the session is flushed)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy import month_spend
from agentry.adapters.sqlalchemy.outbox.tables import queue_jobs
from agentry.adapters.sqlalchemy.reports.tables import usage_monthly
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.adapters.sqlalchemy.tasks.user_usage import busy_owners
from agentry.adapters.sqlalchemy.unit_of_work import execute
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.status import TaskStatus

t, e, q, m = tasks.c, task_executions.c, queue_jobs.c, usage_monthly.c
# A literal, as the partial index on running executions spells it, so the planner can use that index.
_RUNNING = text("task_executions.status = 'running'")


class SqlAlchemyProjectUsage:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def running_executions(self, project_id: UUID) -> int:
        query = (
            select(func.count())
            .select_from(task_executions.join(tasks, t.id == e.task_id))
            .where(_RUNNING, t.project_id == project_id)
        )
        return int((await execute(self._session, query)).scalar_one())

    async def queued_ahead(
        self, project_id: UUID, order: ExecutionOrder, priority_rank: int, now: datetime, *, busy_at: int | None = None
    ) -> int:
        mine = (
            select(q.available_at)
            .where(q.task_id == order.task_id, q.execution_number == order.number)
            .scalar_subquery()
        )
        before = or_(
            q.priority_rank > priority_rank,
            and_(
                q.priority_rank == priority_rank,
                or_(q.available_at < mine, and_(q.available_at == mine, t.id < order.task_id)),
            ),
        )
        query = (
            select(func.count())
            .select_from(tasks.join(queue_jobs, and_(q.task_id == t.id, q.execution_number == t.execution_count + 1)))
            .where(
                t.project_id == project_id,
                t.status == TaskStatus.QUEUED,
                t.id != order.task_id,
                q.available_at <= now,
                before,
            )
        )
        if busy_at is not None:
            query = query.where(t.owner_id.not_in(busy_owners(busy_at)))
        return int((await execute(self._session, query)).scalar_one())

    async def spent_in_month(self, project_id: UUID, month: date) -> float:
        if (read_ahead := month_spend.recall(self._session, project_id, month)) is not None:
            return read_ahead  # read with the task the claim holds (task_repository.get_to_run)
        # one range of the roll-up's primary key: (project_id, month), a row per user and model
        query = select(func.coalesce(func.sum(m.cost_usd), 0.0)).where(m.project_id == project_id, m.month == month)
        return float((await execute(self._session, query)).scalar_one())
