"""What a relay pass asks about the tasks of the jobs it leases (status, owner, the owner's running
executions), read with the lease in its one statement on PostgreSQL: the pass's questions to the task
repository and the user usage then cost no round trips of their own. Kept for the transaction that
read it; any other question is asked of the tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.outbox.tables import queue_jobs
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks

_KEY = "agentry.leased_tasks"
_owners_tasks = tasks.alias("owners_tasks")
_RUNNING = text("task_executions.status = 'running'")  # a literal, as the partial index says


@dataclass(frozen=True, slots=True)
class LeasedTask:
    status: str
    owner_id: UUID
    owner_running: int


def columns() -> tuple[ColumnElement[Any], ...]:
    """For the lease's RETURNING: the job's task's status and owner, and how many executions of that
    owner's tasks run now (NULL when the task is gone)."""
    of_job = tasks.c.id == queue_jobs.c.task_id
    owner = select(tasks.c.owner_id).where(of_job).correlate(queue_jobs).scalar_subquery()
    running = (
        select(func.count())
        .select_from(task_executions.join(_owners_tasks, _owners_tasks.c.id == task_executions.c.task_id))
        .where(_RUNNING, _owners_tasks.c.owner_id == owner)
        .scalar_subquery()
    )
    return (
        select(tasks.c.status).where(of_job).scalar_subquery().label("task_status"),
        owner.label("task_owner_id"),
        running.label("owner_running"),
    )


def remember(session: AsyncSession, rows: Iterable[Any]) -> None:
    leased = {
        row.task_id: LeasedTask(row.task_status, row.task_owner_id, int(row.owner_running))
        for row in rows
        if row.task_status is not None
    }
    session.info[_KEY] = (session.sync_session.get_transaction(), leased, {row.task_id for row in rows})


def recall(session: AsyncSession, task_ids: Sequence[UUID]) -> dict[UUID, LeasedTask] | None:
    """What the lease read in this transaction of these tasks (those that exist); None if it read
    not all of them, or in another transaction."""
    kept = session.info.get(_KEY)
    if kept is None:
        return None
    transaction, leased, asked = kept
    current = session.sync_session.get_transaction()
    if current is None or transaction is not current or not asked.issuperset(task_ids):
        return None
    return {task_id: leased[task_id] for task_id in task_ids if task_id in leased}
