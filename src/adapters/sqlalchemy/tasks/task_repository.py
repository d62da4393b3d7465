"""Tasks in the database: load and lock them, page through them filtered and sorted, count them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Select,
    bindparam,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy import leased_tasks, month_spend
from agentry.adapters.sqlalchemy.projects.tables import projects
from agentry.adapters.sqlalchemy.tasks import page_query
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.adapters.sqlalchemy.tasks.task_reads import read_task
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.tasks.ports.task_repository import (
    ProjectBacklog,
    TaskQuery,
    TaskStats,
    TaskVersion,
)
from agentry.domain.projects.project import Project
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask

_OUTCOMES = (TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.TIMED_OUT)
# As the partial index of waiting tasks spells it, so the planner can use that index.
_WAITING = text("tasks.status IN ('pending', 'queued')")
# A conditional read's question, in Core: four columns of one row, no object built.
_VERSION = select(tasks.c.version, tasks.c.project_id, tasks.c.owner_id, tasks.c.status).where(
    tasks.c.id == bindparam("task_id")
)


class SqlAlchemyTaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, task: AgentTask) -> None:
        # Written by the next flush: a key taken already is raised by that statement, or by the commit
        self._session.add(task)

    async def get(self, task_id: UUID, *, for_update: bool = False) -> AgentTask | None:
        result = await self._session.execute(_by_id(for_update), {"task_id": task_id})
        return result.scalar_one_or_none()

    async def read(self, task_id: UUID) -> AgentTask | None:
        return await read_task(self._session, task_id)

    async def version(self, task_id: UUID) -> TaskVersion | None:
        row = (await self._session.execute(_VERSION, {"task_id": task_id})).one_or_none()
        return None if row is None else TaskVersion(row.version, row.project_id, row.owner_id, TaskStatus(row.status))

    async def get_to_run(self, task_id: UUID) -> tuple[AgentTask, Project | None] | None:
        read_ahead = self._session.get_bind().dialect.name == "postgresql"
        row = (await self._session.execute(_to_run(read_ahead), {"task_id": task_id})).one_or_none()
        if row is None:
            return None
        found: tuple[Any, ...] = tuple(row)
        if read_ahead and found[1] is not None:
            month_spend.remember(self._session, found[1].id, found[2], found[3])
        return found[0], found[1]

    async def get_many(
        self, task_ids: Sequence[UUID], *, for_update: bool = False, skip_locked: bool = False
    ) -> list[AgentTask]:
        if not task_ids:
            return []
        query = select(AgentTask).where(tasks.c.id.in_(task_ids)).order_by(tasks.c.id)
        if for_update:
            query = query.with_for_update(skip_locked=skip_locked)
        result = await self._session.execute(query.execution_options(populate_existing=True))
        return list(result.scalars())

    async def find_by_idempotency_key(self, owner_id: UUID, key: str) -> AgentTask | None:
        query = select(AgentTask).where(tasks.c.owner_id == owner_id, tasks.c.idempotency_key == key)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def forget_idempotency_keys(self, created_before: datetime, limit: int) -> int:
        keyed = (
            select(tasks.c.id)
            .where(tasks.c.idempotency_key.is_not(None), tasks.c.created_at < created_before)
            .limit(limit)
        )
        forgotten = await self._session.execute(
            update(tasks)
            .where(tasks.c.id.in_(keyed.scalar_subquery()))
            .values(idempotency_key=None, request_fingerprint=None)
            .returning(tasks.c.id)
        )
        return len(forgotten.all())

    async def statuses(self, task_ids: Sequence[UUID]) -> dict[UUID, TaskStatus]:
        if (leased := leased_tasks.recall(self._session, task_ids)) is not None:
            return {task_id: TaskStatus(task.status) for task_id, task in leased.items()}
        query = select(tasks.c.id, tasks.c.status).where(tasks.c.id.in_(task_ids))
        return {row.id: row.status for row in (await self._session.execute(query)).all()}

    async def page(self, query: TaskQuery) -> list[AgentTask]:
        projects = page_query.page_projects(query.scope, query.filter.project_ids)
        if projects is not None and not projects:
            return []
        postgresql = self._session.get_bind().dialect.name == "postgresql"
        if projects is not None and len(projects) > 1 and postgresql:
            statement = page_query.per_project(query, projects)
        else:
            statement = page_query.one_read(query, projects, on_postgresql=postgresql)
        return list((await self._session.execute(statement)).scalars())

    async def delete(self, task: AgentTask) -> None:
        await self._session.delete(task)

    async def stats(
        self, scope: ProjectScope, created_after: datetime | None, created_before: datetime | None
    ) -> TaskStats:
        if _sees_nothing(scope):
            return TaskStats()
        by_status = _filtered(
            select(tasks.c.status, func.count()).group_by(tasks.c.status), scope, created_after, created_before
        )
        counts = {TaskStatus(s): n for s, n in (await self._session.execute(by_status)).all()}
        outcomes = sum(counts.get(s, 0) for s in _OUTCOMES)
        success_rate = counts.get(TaskStatus.SUCCEEDED, 0) / outcomes if outcomes else None

        durations = _filtered(
            select(task_executions.c.duration_s)
            .join(tasks, tasks.c.id == task_executions.c.task_id)
            .where(task_executions.c.duration_s.is_not(None)),
            scope,
            created_after,
            created_before,
        )
        duration = task_executions.c.duration_s
        if self._session.get_bind().dialect.name == "postgresql":  # the nearest rank, in the same pass
            summary = durations.with_only_columns(
                func.count(), func.avg(duration), func.percentile_disc(0.95).within_group(duration)
            )
            ended, average, p95 = (await self._session.execute(summary)).one()
        else:
            summary = durations.with_only_columns(func.count(), func.avg(duration))
            ended, average = (await self._session.execute(summary)).one()
            p95 = None
            if ended:
                nearest_rank = math.ceil(0.95 * ended) - 1
                ordered = durations.order_by(duration).offset(nearest_rank).limit(1)
                p95 = (await self._session.execute(ordered)).scalar_one()
        return TaskStats(
            counts=counts,
            success_rate=success_rate,
            average_duration_s=float(average) if average is not None else None,
            p95_duration_s=p95,
        )

    async def backlog(self, scope: ProjectScope) -> list[ProjectBacklog]:
        if _sees_nothing(scope):
            return []
        query = (
            select(tasks.c.project_id, tasks.c.status, func.count(), func.min(tasks.c.queued_at))
            .where(_WAITING)
            .group_by(tasks.c.project_id, tasks.c.status)
        )
        if not scope.everything:
            query = query.where(tasks.c.project_id.in_(scope.project_ids))
        found: dict[UUID, ProjectBacklog] = {}
        for project_id, status, count, oldest in (await self._session.execute(query)).all():
            entry = found.get(project_id, ProjectBacklog(project_id))
            if status is TaskStatus.QUEUED:
                entry = replace(entry, queued=count, oldest_queued_at=_utc(oldest))
            else:
                entry = replace(entry, pending=count)
            found[project_id] = entry
        return [found[p] for p in sorted(found, key=str)]


def _utc(moment: datetime | None) -> datetime | None:
    """min() of a column loses its type's conversion on SQLite (naive UTC text)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _filtered(
    statement: Select[Any], scope: ProjectScope, created_after: datetime | None, created_before: datetime | None
) -> Select[Any]:
    if not scope.everything:
        statement = statement.where(tasks.c.project_id.in_(scope.project_ids))
    if created_after is not None:
        statement = statement.where(tasks.c.created_at >= created_after)
    if created_before is not None:
        statement = statement.where(tasks.c.created_at < created_before)
    return statement


@cache
def _by_id(for_update: bool) -> Select[AgentTask]:
    """One task's read, built once (the commonest query of all): `id = :task_id`, not `id IN (...)` (an IN
    list is re-rendered on every call), and no statement built per call (that was a tenth of a GET's CPU)."""
    query = select(AgentTask).where(tasks.c.id == bindparam("task_id")).execution_options(populate_existing=True)
    return query.with_for_update() if for_update else query


@cache
def _to_run(read_ahead: bool) -> Select[*tuple[Any, ...]]:
    """The claim's read, built once (each claim runs it): the task, locked, and its project; with
    `read_ahead` (PostgreSQL) also the project's spend this month, for the claim's budget check in the
    same round trip."""
    query: Select[*tuple[Any, ...]] = (
        select(AgentTask, Project)
        .outerjoin(Project, projects.c.id == tasks.c.project_id)
        .where(tasks.c.id == bindparam("task_id"))
        .with_for_update(of=tasks)
        .execution_options(populate_existing=True)
    )
    if read_ahead:
        query = query.add_columns(month_spend.THIS_MONTH, month_spend.spent_this_month())
    return query


def _sees_nothing(scope: ProjectScope) -> bool:
    return not scope.everything and not scope.project_ids
