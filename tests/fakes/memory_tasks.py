"""The tasks' repositories on the in-memory database (tests/fakes/memory.py): tasks, executions, the log, results."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.errors import DuplicateIdempotencyKey
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.tasks.ports.agent_gateway import Exchange
from agentry.application.tasks.ports.task_repository import (
    ProjectBacklog,
    SortPosition,
    TaskQuery,
    TaskSort,
    TaskStats,
    TaskVersion,
)
from agentry.domain.projects.project import Project
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.logs import LogLine
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from tests.fakes.memory import MemoryDatabase, MemorySession, clone


class MemoryTaskRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, task: AgentTask) -> None:
        db, s = self._s.db, self._s
        if task.idempotency_key is not None:
            seen = [s.tasks.get(t.id, t) for t in db.tasks.values()]  # with this session's own changes
            taken = any(
                (t.owner_id, t.idempotency_key) == (task.owner_id, task.idempotency_key)
                for t in [*seen, *(s.tasks[i] for i in s.new_tasks)]
            )
            if taken:
                raise DuplicateIdempotencyKey()
        s.tasks[task.id] = task
        s.new_tasks.add(task.id)

    async def get(self, task_id: UUID, *, for_update: bool = False) -> AgentTask | None:
        return await self._s.load_task(task_id, lock=for_update)

    async def read(self, task_id: UUID) -> AgentTask | None:
        return await self._s.load_task(task_id, lock=False)

    async def version(self, task_id: UUID) -> TaskVersion | None:
        return None  # no versions kept: a conditional read loads the task

    async def get_to_run(self, task_id: UUID) -> tuple[AgentTask, Project | None] | None:
        task = await self._s.load_task(task_id, lock=True)
        if task is None:
            return None
        return task, await self._s.load_row("projects", task.project_id)

    async def get_many(
        self, task_ids: Sequence[UUID], *, for_update: bool = False, skip_locked: bool = False
    ) -> list[AgentTask]:
        wanted = sorted(set(task_ids))
        if for_update and skip_locked:
            wanted = [i for i in wanted if i in self._s.held or not self._s.db.locks[i].locked()]
        found = [await self._s.load_task(i, lock=for_update) for i in wanted]
        return [t for t in found if t is not None]

    async def find_by_idempotency_key(self, owner_id: UUID, key: str) -> AgentTask | None:
        for task in self._s.db.tasks.values():
            if task.owner_id == owner_id and task.idempotency_key == key:
                return await self._s.load_task(task.id, lock=False)
        return None

    async def forget_idempotency_keys(self, created_before: datetime, limit: int) -> int:
        keyed = [t.id for t in self._s.db.tasks.values() if t.idempotency_key and t.created_at < created_before]
        chosen = keyed[:limit]

        def forget(db: MemoryDatabase) -> None:
            for task_id in chosen:
                if task_id in db.tasks:
                    db.tasks[task_id].idempotency_key = db.tasks[task_id].request_fingerprint = None

        self._s.job_ops.append(forget)
        return len(chosen)

    async def statuses(self, task_ids: Sequence[UUID]) -> dict[UUID, TaskStatus]:
        self._s.db.reach()
        return {i: t.status for i in task_ids if (t := self._s.db.tasks.get(i)) is not None}

    async def page(self, query: TaskQuery) -> list[AgentTask]:
        rows = [t for t in self._s.db.tasks.values() if _matches(t, query)]
        rows.sort(key=_sort_key(query.sort), reverse=query.sort in (TaskSort.CREATED_DESC, TaskSort.PRIORITY_DESC))
        if query.after is not None:
            edge = _position_key(query.sort, query.after)
            descending = query.sort in (TaskSort.CREATED_DESC, TaskSort.PRIORITY_DESC)
            key = _sort_key(query.sort)
            rows = [t for t in rows if (key(t) < edge if descending else key(t) > edge)]
        return [clone(t) for t in rows[: query.limit]]

    async def delete(self, task: AgentTask) -> None:
        self._s.deleted.add(task.id)

    async def stats(
        self, scope: ProjectScope, created_after: datetime | None, created_before: datetime | None
    ) -> TaskStats:
        visible = {
            t.id: t
            for t in self._s.db.tasks.values()
            if _in_scope(t, scope) and _in_window(t, created_after, created_before)
        }
        counts: dict[TaskStatus, int] = {}
        for task in visible.values():
            counts[task.status] = counts.get(task.status, 0) + 1
        outcomes = sum(counts.get(s, 0) for s in (TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.TIMED_OUT))
        durations = sorted(
            e.duration_s for e in self._s.db.executions.values() if e.task_id in visible and e.duration_s is not None
        )
        return TaskStats(
            counts=counts,
            success_rate=counts.get(TaskStatus.SUCCEEDED, 0) / outcomes if outcomes else None,
            average_duration_s=sum(durations) / len(durations) if durations else None,
            p95_duration_s=durations[math.ceil(0.95 * len(durations)) - 1] if durations else None,
        )

    async def backlog(self, scope: ProjectScope) -> list[ProjectBacklog]:
        found: dict[UUID, ProjectBacklog] = {}
        for task in self._s.db.tasks.values():
            if not _in_scope(task, scope) or task.status not in (TaskStatus.PENDING, TaskStatus.QUEUED):
                continue
            entry = found.get(task.project_id, ProjectBacklog(task.project_id))
            if task.status is TaskStatus.PENDING:
                entry = replace(entry, pending=entry.pending + 1)
            else:
                oldest = min((d for d in (entry.oldest_queued_at, task.queued_at) if d is not None), default=None)
                entry = replace(entry, queued=entry.queued + 1, oldest_queued_at=oldest)
            found[task.project_id] = entry
        return [found[p] for p in sorted(found, key=str)]


def _in_scope(task: AgentTask, scope: ProjectScope) -> bool:
    return scope.includes(task.project_id)


def _in_window(task: AgentTask, after: datetime | None, before: datetime | None) -> bool:
    return (after is None or task.created_at >= after) and (before is None or task.created_at < before)


def _matches(task: AgentTask, q: TaskQuery) -> bool:
    f = q.filter
    return (
        _in_scope(task, q.scope)
        and (not f.project_ids or task.project_id in f.project_ids)
        and (not f.owner_ids or task.owner_id in f.owner_ids)
        and _in_window(task, f.created_after, f.created_before)
        and (not f.statuses or task.status in f.statuses)
        and (not f.priorities or task.priority in f.priorities)
        and f.tags <= set(task.tags)
        and (not f.title_contains or f.title_contains.lower() in task.title.lower())
    )


def _sort_key(sort: TaskSort) -> Any:
    if sort in (TaskSort.PRIORITY_DESC, TaskSort.PRIORITY_ASC):
        return lambda t: (t.priority.rank, t.created_at, t.id)
    return lambda t: (t.created_at, t.id)


def _position_key(sort: TaskSort, p: SortPosition) -> tuple[Any, ...]:
    if sort in (TaskSort.PRIORITY_DESC, TaskSort.PRIORITY_ASC):
        return (p.priority_rank, p.created_at, p.task_id)
    return (p.created_at, p.task_id)


class MemoryExecutionRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, execution: TaskExecution) -> None:
        self._s.executions[execution.id] = execution
        self._s.new_executions.add(execution.id)

    async def start(self, task: AgentTask, execution: TaskExecution) -> None:
        # as the SQL adapter, which writes the task at the version it was read at: the commit checks it
        assert self._s.tasks.get(task.id) is task, "the task is written as this unit of work read it"
        await self.add(execution)

    async def for_task(self, task_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[TaskExecution]:
        rows = [e for e in self._s.db.executions.values() if e.task_id == task_id and e.number > after_number]
        return [self._s.load_execution(e.id) for e in sorted(rows, key=lambda e: e.number)[:limit]]

    async def latest_of(self, task_ids: Sequence[UUID]) -> list[TaskExecution]:
        latest = []
        for task_id in task_ids:
            task = self._s.db.tasks.get(task_id)
            found = [e for e in self._s.db.executions.values() if e.task_id == task_id]
            latest += [self._s.load_execution(e.id) for e in found if task and e.number == task.execution_count]
        return latest

    async def beat(self, execution_id: UUID, now: datetime) -> bool:
        self._s.db.reach()
        stored = self._s.db.executions.get(execution_id)
        if stored is None or stored.status.is_terminal:
            return False

        def renew(db: MemoryDatabase) -> None:  # only the one column, as the SQL UPDATE writes it
            row = db.executions.get(execution_id)
            if row is not None and not row.status.is_terminal:
                row.heartbeat_at = now

        self._s.job_ops.append(renew)
        return True

    async def beat_and_read(self, execution_id: UUID, now: datetime) -> TaskStatus | None:
        if not await self.beat(execution_id, now):
            return None
        return self._s.db.tasks[self._s.db.executions[execution_id].task_id].status

    async def silent(self, before: datetime, limit: int) -> list[TaskExecution]:
        rows = [
            e
            for e in self._s.db.executions.values()
            if not e.status.is_terminal and e.heartbeat_at is not None and e.heartbeat_at < before
        ]
        rows.sort(key=lambda e: e.heartbeat_at or before)
        return [self._s.load_execution(e.id) for e in rows[:limit]]


class MemoryLogStore:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def append(self, lines: Sequence[LogLine]) -> None:
        self._s.new_logs.extend(lines)

    async def read(self, task_id: UUID, execution_number: int, after: int, limit: int) -> list[LogLine]:
        self._s.db.reach()
        rows = [
            line
            for (t, n, seq), line in self._s.db.logs.items()
            if t == task_id and n == execution_number and seq > after
        ]
        return sorted(rows, key=lambda line: line.sequence)[:limit]


class MemoryResultRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, result: TaskResult) -> None:
        self._s.new_results.append(result)

    async def get(self, task_id: UUID) -> TaskResult | None:
        found = self._s.db.results.get(task_id)
        return clone(found) if found else None

    async def chain(self, task_id: UUID, limit: int) -> list[Exchange]:
        exchanges: list[Exchange] = []
        link: UUID | None = task_id
        while link is not None and len(exchanges) < limit:
            task = self._s.db.tasks.get(link)
            if task is None:
                break
            result = self._s.db.results.get(link)
            exchanges.append(Exchange(task.prompt, result.output if result else ""))
            link = task.follows_task_id
        return exchanges[::-1]
