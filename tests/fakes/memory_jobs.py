"""The job outbox on the in-memory database (tests/fakes/memory.py): what use cases enqueue, and the relay's store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from agentry.domain.tasks.orders import ExecutionOrder, QueueJob
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.memory import JobRow, MemoryDatabase, MemorySession, UniqueViolation


class MemoryOutbox:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def enqueue(self, job: QueueJob, *, at_once: bool = False) -> None:
        # at_once: the database outbox sends such a job itself after the commit; here the relay sends every job
        def insert(db: MemoryDatabase) -> None:
            if any(r.job.order == job.order for r in db.jobs.values()):
                raise UniqueViolation("uq_queue_jobs_task_id_execution_number")
            db.jobs[job.id] = JobRow(job, at_once=at_once)

        self._s.job_ops.append(insert)

    async def reschedule(self, task_id: UUID, available_at: datetime, priority_rank: int) -> None:
        def move(db: MemoryDatabase) -> None:
            for row in db.jobs.values():
                if row.job.order.task_id == task_id and row.job.dispatched_at is None:
                    row.job = replace(row.job, available_at=available_at, priority_rank=priority_rank)

        self._s.job_ops.append(move)

    async def hold_back(self, order: ExecutionOrder, until: datetime, priority_rank: int) -> None:
        def hold(db: MemoryDatabase) -> None:
            for row in db.jobs.values():
                if row.job.order == order:
                    row.job = replace(row.job, dispatched_at=None, priority_rank=priority_rank)
                    row.leased_until = until

        self._s.job_ops.append(hold)

    async def offer_held_back(self, project_id: UUID, now: datetime) -> None:
        def offer(db: MemoryDatabase) -> None:
            for row in db.jobs.values():
                task = db.tasks.get(row.job.order.task_id)
                held = row.job.dispatched_at is None and row.leased_until is not None and row.leased_until > now
                if held and task is not None and task.project_id == project_id and task.status is TaskStatus.QUEUED:
                    row.leased_until = now

        self._s.job_ops.append(offer)

    async def offer_held_back_of_owner(self, owner_id: UUID, now: datetime) -> None:
        def offer(db: MemoryDatabase) -> None:
            held = []
            for row in db.jobs.values():
                task = db.tasks.get(row.job.order.task_id)
                if (
                    task is not None
                    and task.owner_id == owner_id
                    and task.status is TaskStatus.QUEUED
                    and row.job.order.number == task.execution_count + 1
                    and row.job.dispatched_at is None
                    and row.leased_until is not None
                    and row.leased_until > now
                ):
                    held.append(row)
            if held:
                min(held, key=lambda r: (-r.job.priority_rank, r.job.available_at)).leased_until = now

        self._s.job_ops.append(offer)


class MemoryOutboxRelayStore:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[QueueJob]:
        due = [
            row
            for row in self._s.db.jobs.values()
            if row.job.dispatched_at is None
            and row.job.available_at <= now
            and (row.leased_until is None or row.leased_until <= now)
        ]
        due.sort(key=lambda r: (-r.job.priority_rank, r.job.available_at))
        claimed = []
        for row in due[:limit]:  # the lease is taken at once, as the SQL UPDATE ... RETURNING does
            row.leased_until = lease_until
            row.job = replace(row.job, attempts=row.job.attempts + 1)
            claimed.append(row.job)
        return claimed

    async def mark_dispatched(self, job_ids: Sequence[UUID], now: datetime, lease_until: datetime) -> None:
        def mark(db: MemoryDatabase) -> None:
            for job_id in job_ids:
                row = db.jobs[job_id]
                if row.job.dispatched_at is None and row.leased_until == lease_until:
                    row.job, row.leased_until = replace(row.job, dispatched_at=now), None

        self._s.job_ops.append(mark)

    async def mark_failed(self, job_ids: Sequence[UUID], error: str, retry_at: datetime) -> None:
        def mark(db: MemoryDatabase) -> None:
            for job_id in job_ids:
                row = db.jobs[job_id]
                row.job, row.leased_until = replace(row.job, last_error=error), retry_at

        self._s.job_ops.append(mark)

    async def redispatch_stale(self, dispatched_before: datetime, now: datetime, limit: int) -> list[QueueJob]:
        db = self._s.db

        def waits_for(job: QueueJob) -> bool:
            task = db.tasks.get(job.order.task_id)
            return (
                task is not None
                and task.status is TaskStatus.QUEUED
                and job.order.number == task.execution_count + 1
                and job.dispatched_at is not None
                and job.dispatched_at < dispatched_before
            )

        error = "sent again: the message was sent long ago and its task never started"
        stale = [row.job.id for row in db.jobs.values() if waits_for(row.job)][:limit]

        def rearm(db: MemoryDatabase) -> None:
            for job_id in stale:
                row = db.jobs[job_id]
                row.job = replace(row.job, dispatched_at=None, available_at=now, last_error=error)
                row.leased_until = None

        self._s.job_ops.append(rearm)
        return [replace(db.jobs[i].job, dispatched_at=None, available_at=now, last_error=error) for i in stale]

    async def purge_dispatched(self, before: datetime, limit: int) -> int:
        db = self._s.db

        def waited_for(job: QueueJob) -> bool:
            task = db.tasks.get(job.order.task_id)
            return (
                task is not None and task.status is TaskStatus.QUEUED and job.order.number == task.execution_count + 1
            )

        old = [
            job_id
            for job_id, row in db.jobs.items()
            if row.job.dispatched_at is not None and row.job.dispatched_at < before and not waited_for(row.job)
        ][:limit]

        def purge(db: MemoryDatabase) -> None:
            for job_id in old:
                db.jobs.pop(job_id, None)

        self._s.job_ops.append(purge)
        return len(old)
