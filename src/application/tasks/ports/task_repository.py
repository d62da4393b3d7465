"""Where tasks are kept, and how a page of them is asked for: filter, sort and position."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.projects.project import Project
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask


class TaskSort(StrEnum):
    CREATED_DESC = "-created_at"
    CREATED_ASC = "created_at"
    PRIORITY_DESC = "-priority"
    PRIORITY_ASC = "priority"


@dataclass(frozen=True, slots=True)
class SortPosition:
    """Where the previous page ended, in the sort's own terms (keyset pagination)."""

    created_at: datetime
    task_id: UUID
    priority_rank: int = 0


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Which tasks to list: each criterion given must hold (a task carries all of `tags`, any of the other
    sets); an empty set or None leaves that criterion out. `created_before` is exclusive; `title_contains`
    ignores case and takes its characters literally."""

    project_ids: frozenset[UUID] = frozenset()
    owner_ids: frozenset[UUID] = frozenset()
    statuses: frozenset[TaskStatus] = frozenset()
    priorities: frozenset[Priority] = frozenset()
    tags: frozenset[str] = frozenset()
    created_after: datetime | None = None
    created_before: datetime | None = None
    title_contains: str | None = None


@dataclass(frozen=True, slots=True)
class TaskQuery:
    """A page of the tasks in `scope` that pass `filter`; a filter narrows the scope, never widens it."""

    scope: ProjectScope
    filter: TaskFilter = field(default_factory=TaskFilter)
    sort: TaskSort = TaskSort.CREATED_DESC
    after: SortPosition | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class ProjectBacklog:
    """A project's waiting tasks now: `pending` (scheduled for later) and `queued` (due, waiting for a worker);
    `oldest_queued_at`: when the longest-waiting queued task became due (None: nothing queued);
    `oldest_wait_s`: how long ago that was (filled in by the use case, which has the clock)."""

    project_id: UUID
    pending: int = 0
    queued: int = 0
    oldest_queued_at: datetime | None = None
    oldest_wait_s: float | None = None


@dataclass(frozen=True, slots=True)
class TaskStats:
    counts: dict[TaskStatus, int] = field(default_factory=dict)
    success_rate: float | None = None
    average_duration_s: float | None = None
    p95_duration_s: float | None = None
    backlog: list[ProjectBacklog] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class TaskVersion:
    """A task's stored version (bumped by every write of its row) with what the policy reads to let
    someone see it: enough to answer a conditional read without loading the task."""

    version: int
    project_id: UUID
    owner_id: UUID
    status: TaskStatus


class TaskVersions(Protocol):
    async def version(self, task_id: UUID) -> TaskVersion | None:
        """The task's version as last committed (None: no such task, or no versions kept); a cache of
        them must not answer an older version once the write that changed it has been answered."""
        ...


class TaskRepository(Protocol):
    async def add(self, task: AgentTask) -> None:
        """Stage a new task; if its key is already taken, DuplicateIdempotencyKey is raised here or by the
        unit of work's commit."""
        ...

    async def get(self, task_id: UUID, *, for_update: bool = False) -> AgentTask | None: ...

    async def read(self, task_id: UUID) -> AgentTask | None:
        """The task to answer with, not to change: changes made to it need not be saved by the commit."""
        ...

    async def version(self, task_id: UUID) -> TaskVersion | None:
        """The committed version of the task's row, read fresh (None: no such task, or no versions kept)."""
        ...

    async def get_to_run(self, task_id: UUID) -> tuple[AgentTask, Project | None] | None:
        """The task, locked as `get(for_update=True)` locks it, with its project as it is now (read, not
        locked; None if it is gone): what a worker's claim needs, in one read."""
        ...

    async def get_many(
        self, task_ids: Sequence[UUID], *, for_update: bool = False, skip_locked: bool = False
    ) -> list[AgentTask]:
        """The tasks that exist, in id order; `skip_locked` (with `for_update`) leaves out those another
        unit of work holds locked instead of waiting for them."""
        ...

    async def find_by_idempotency_key(self, owner_id: UUID, key: str) -> AgentTask | None: ...

    async def forget_idempotency_keys(self, created_before: datetime, limit: int) -> int:
        """Let go of the Idempotency-Keys of up to `limit` tasks created before `created_before`; how many."""
        ...

    async def statuses(self, task_ids: Sequence[UUID]) -> dict[UUID, TaskStatus]:
        """The committed status of each of these tasks that exists, read fresh."""
        ...

    async def page(self, query: TaskQuery) -> list[AgentTask]:
        """Up to `query.limit` tasks in sort order, strictly after `query.after`."""
        ...

    async def delete(self, task: AgentTask) -> None:
        """Remove the task with its executions, log, result and queue jobs."""
        ...

    async def stats(
        self, scope: ProjectScope, created_after: datetime | None, created_before: datetime | None
    ) -> TaskStats: ...

    async def backlog(self, scope: ProjectScope) -> list[ProjectBacklog]:
        """For each project in `scope` with tasks waiting now (pending or queued), how many and since when,
        in project id order (from the index of waiting tasks, not a scan of every task)."""
        ...
