"""The ProjectUsage and UserUsage ports over the in-memory database: counts of what others committed, as SQL
reads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from agentry.application.tasks.ports.user_usage import OwnerLoad
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.memory import MemorySession


class MemoryProjectUsage:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    def _in_project(self, project_id: UUID) -> set[UUID]:
        return {t.id for t in self._s.db.tasks.values() if t.project_id == project_id}

    async def running_executions(self, project_id: UUID) -> int:
        tasks = self._in_project(project_id)
        return sum(
            1 for e in self._s.db.executions.values() if e.task_id in tasks and e.status is ExecutionStatus.RUNNING
        )

    async def queued_ahead(
        self, project_id: UUID, order: ExecutionOrder, priority_rank: int, now: datetime, *, busy_at: int | None = None
    ) -> int:
        jobs = {row.job.order: row.job for row in self._s.db.jobs.values()}
        mine = jobs.get(order)

        def comes_first(rank: int, due: datetime, task_id: UUID) -> bool:
            if rank != priority_rank:
                return rank > priority_rank
            if mine is None:
                return False
            return (due, task_id) < (mine.available_at, order.task_id)

        users = MemoryUserUsage(self._s)
        ahead = 0
        for task in self._s.db.tasks.values():
            job = jobs.get(ExecutionOrder(task.id, task.execution_count + 1))
            if (
                task.project_id == project_id
                and task.status is TaskStatus.QUEUED
                and task.id != order.task_id
                and job is not None
                and job.available_at <= now
                and comes_first(job.priority_rank, job.available_at, task.id)
                and (busy_at is None or users.running(task.owner_id) < busy_at)
            ):
                ahead += 1
        return ahead

    async def spent_in_month(self, project_id: UUID, month: date) -> float:
        usage = self._s.db.usage.items()
        return float(sum(t.cost_usd for k, t in usage if k.project_id == project_id and k.month == month))


class MemoryUserUsage:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def take_turn(self, owner_id: UUID) -> None:
        await self._s.lock(("user_turn", owner_id))  # held until the unit of work ends

    def running(self, owner_id: UUID) -> int:
        db = self._s.db
        return sum(
            1
            for e in db.executions.values()
            if e.status is ExecutionStatus.RUNNING and (task := db.tasks.get(e.task_id)) and task.owner_id == owner_id
        )

    async def running_executions(self, owner_id: UUID) -> int:
        return self.running(owner_id)

    async def running_executions_in_turn(self, owner_id: UUID) -> int:
        await self.take_turn(owner_id)
        return await self.running_executions(owner_id)

    async def waiting_tasks_in_turn(self, owner_id: UUID) -> int:
        await self.take_turn(owner_id)
        return await self.waiting_tasks(owner_id)

    async def waiting_tasks(self, owner_id: UUID) -> int:
        waiting = (TaskStatus.PENDING, TaskStatus.QUEUED)
        return sum(1 for t in self._s.db.tasks.values() if t.owner_id == owner_id and t.status in waiting)

    async def loads(self, task_ids: Sequence[UUID]) -> dict[UUID, OwnerLoad]:
        tasks = self._s.db.tasks
        return {i: OwnerLoad(tasks[i].owner_id, self.running(tasks[i].owner_id)) for i in task_ids if i in tasks}
