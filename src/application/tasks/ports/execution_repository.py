from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask


class ExecutionRepository(Protocol):
    async def add(self, execution: TaskExecution) -> None: ...

    async def start(self, task: AgentTask, execution: TaskExecution) -> None:
        """Stage the start `task` just went through and the `execution` it began, in the unit of work's
        transaction: the task's row only if no one changed it since it was read (else ConcurrentUpdate,
        now or at the commit), the execution's row, and the events the task recorded, stored at the
        commit. Call it right after the transition, before anything else is read or written."""
        ...

    async def for_task(self, task_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[TaskExecution]:
        """The task's executions in order of their number, after `after_number`, read fresh."""
        ...

    async def latest_of(self, task_ids: Sequence[UUID]) -> list[TaskExecution]:
        """The latest execution (the one numbered as the task's execution count) of each of these tasks
        that has one, in one read: what a page of tasks shows beside each task."""
        ...

    async def beat(self, execution_id: UUID, now: datetime) -> bool:
        """Renew a running execution's heartbeat (staged in this unit of work); False when it is not
        running any more: it ended elsewhere, as when its worker was taken for lost."""
        ...

    async def beat_and_read(self, execution_id: UUID, now: datetime) -> TaskStatus | None:
        """`beat`, and in the same statement its task's status now (CANCELLING: a cancel was asked for);
        None when the execution is not running any more. A heartbeat is this one statement."""
        ...

    async def silent(self, before: datetime, limit: int) -> list[TaskExecution]:
        """Up to `limit` running executions whose last heartbeat is older than `before`, longest
        silent first, read fresh and without locks."""
        ...
