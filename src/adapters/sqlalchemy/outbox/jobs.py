"""The outbox table, for use cases (enqueue, reschedule) and for the relay (lease, mark)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, CursorResult, and_, bindparam, delete, exists, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy import leased_tasks
from agentry.adapters.sqlalchemy.outbox.at_once import AtOnce, stage_at_once
from agentry.adapters.sqlalchemy.outbox.tables import queue_jobs
from agentry.adapters.sqlalchemy.tasks.tables import tasks
from agentry.adapters.sqlalchemy.unit_of_work import OUTBOX_TOUCHED, each_on_its_own, execute, execute_deferred
from agentry.application.ports.work_context import EXECUTION_NUMBER, TASK_ID, Attributes, WorkContext
from agentry.domain.tasks.orders import ExecutionOrder, QueueJob

q = queue_jobs.c
t = tasks.c
_QUEUED = text("tasks.status = 'queued'")  # a literal, so the planner can use the status index
_WAITING = text("tasks.status IN ('pending', 'queued')")  # as the partial index on waiting tasks' owners says
_INSERT = insert(queue_jobs)


class SqlAlchemyOutbox:
    """`at_once_lease_s`: a job enqueued `at_once` and due now is written under a lease this long, for the
    unit of work to send after its commit (at_once.py); None: the unit of work sends nothing itself, and
    such a job waits for the relay as any other."""

    def __init__(self, session: AsyncSession, work: WorkContext, at_once_lease_s: float | None = None) -> None:
        self._session = session
        self._work = work
        self._at_once_lease_s = at_once_lease_s

    async def enqueue(self, job: QueueJob, *, at_once: bool = False) -> None:
        attributes: Attributes = {TASK_ID: str(job.order.task_id), EXECUTION_NUMBER: job.order.number}
        with self._work.span("outbox enqueue", attributes):
            context = job.order.context or self._work.carrier()
            if at_once and self._at_once_lease_s is not None and job.available_at <= job.created_at:
                lease = job.created_at + timedelta(seconds=self._at_once_lease_s)
                await self._insert(job, context, leased_until=lease)
                order = ExecutionOrder(job.order.task_id, job.order.number, context)
                stage_at_once(self._session, AtOnce(job.id, order, job.created_at, lease))
            else:
                await self._insert(job, context)
                self._session.info[OUTBOX_TOUCHED] = True

    async def _insert(self, job: QueueJob, context: dict[str, str], leased_until: datetime | None = None) -> None:
        row = {
            "id": job.id,
            "task_id": job.order.task_id,
            "execution_number": job.order.number,
            "priority_rank": job.priority_rank,
            "available_at": job.available_at,
            "created_at": job.created_at,
            "attempts": job.attempts,
            "context": context or None,
            "leased_until": leased_until,
        }
        await execute_deferred(self._session, _INSERT, row)  # and the new task's row with it: the submit's

    async def reschedule(self, task_id: UUID, available_at: datetime, priority_rank: int) -> None:
        await execute(
            self._session,
            update(queue_jobs)
            .where(q.task_id == task_id, q.dispatched_at.is_(None))
            .values(available_at=available_at, priority_rank=priority_rank),
        )
        self._session.info[OUTBOX_TOUCHED] = True

    async def hold_back(self, order: ExecutionOrder, until: datetime, priority_rank: int) -> None:
        # not OUTBOX_TOUCHED: nothing is due now, so there is no need to wake the relay
        await execute(
            self._session,
            update(queue_jobs)
            .where(q.task_id == order.task_id, q.execution_number == order.number)
            .values(dispatched_at=None, leased_until=until, priority_rank=priority_rank),
        )

    async def offer_held_back(self, project_id: UUID, now: datetime) -> None:
        queued = select(t.id).where(t.project_id == project_id, _QUEUED)
        offered = await execute(
            self._session,
            update(queue_jobs)
            .where(q.dispatched_at.is_(None), q.leased_until > now, q.task_id.in_(queued.scalar_subquery()))
            .values(leased_until=now),
        )
        self._wake_relay_if(offered)

    async def offer_held_back_of_owner(self, owner_id: UUID, now: datetime) -> None:
        # From the user's waiting tasks (the partial index on their owner) to the job of each one's next order.
        first = (
            select(q.id)
            .join(tasks, and_(t.id == q.task_id, q.execution_number == t.execution_count + 1))
            .where(t.owner_id == owner_id, _WAITING, _QUEUED, q.dispatched_at.is_(None), q.leased_until > now)
            .order_by(q.priority_rank.desc(), q.available_at)
            .limit(1)
            .with_for_update(of=queue_jobs, skip_locked=True)  # two runs ending at once offer two jobs
        )
        offered = await execute(
            self._session, update(queue_jobs).where(q.id.in_(first.scalar_subquery())).values(leased_until=now)
        )
        self._wake_relay_if(offered)

    def _wake_relay_if(self, offered: CursorResult[Any]) -> None:
        """Jobs offered are due now: the relay is woken after the commit. None offered (the usual ending,
        nothing held back): no pass, which would find nothing to send."""
        if offered.rowcount:
            self._session.info[OUTBOX_TOUCHED] = True


class SqlAlchemyOutboxRelayStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[QueueJob]:
        # the lease is the pass's one write, and what the pass reads with it needs no transaction
        await each_on_its_own(self._session)
        postgres = self._session.get_bind().dialect.name == "postgresql"
        params = {"now": now, "lease_until": lease_until, "limit": limit}
        rows = (await execute(self._session, _LEASES[postgres], params)).all()
        if postgres:
            leased_tasks.remember(self._session, rows)
        jobs = [
            QueueJob(
                id=row.id,
                order=ExecutionOrder(row.task_id, row.execution_number, row.context or {}),
                available_at=row.available_at,
                created_at=row.created_at,
                priority_rank=row.priority_rank,
                attempts=row.attempts,
                last_error=row.last_error,
            )
            for row in rows
        ]
        jobs.sort(key=lambda j: (-j.priority_rank, j.available_at))
        return jobs

    async def mark_dispatched(self, job_ids: Sequence[UUID], now: datetime, lease_until: datetime) -> None:
        await each_on_its_own(self._session)  # the mark alone, after the send (with the failures' marks otherwise)
        still_leased = (q.id.in_(job_ids), q.dispatched_at.is_(None), q.leased_until == lease_until)
        await execute(
            self._session, update(queue_jobs).where(*still_leased).values(dispatched_at=now, leased_until=None)
        )

    async def mark_failed(self, job_ids: Sequence[UUID], error: str, retry_at: datetime) -> None:
        await execute(
            self._session,
            update(queue_jobs).where(q.id.in_(job_ids)).values(leased_until=retry_at, last_error=error[:2000]),
        )

    async def redispatch_stale(self, dispatched_before: datetime, now: datetime, limit: int) -> list[QueueJob]:
        # From the queued tasks (few, and indexed by status) to the job of each one's next order.
        stale = (
            select(q.id)
            .join(tasks, and_(t.id == q.task_id, q.execution_number == t.execution_count + 1))
            .where(_QUEUED, q.dispatched_at < dispatched_before)
            .limit(limit)
            .with_for_update(of=queue_jobs, skip_locked=True)
        )
        rearmed = (
            update(queue_jobs)
            .where(q.id.in_(stale.scalar_subquery()))
            .values(dispatched_at=None, leased_until=None, available_at=now, last_error=_REDISPATCHED)
            .returning(q.id, q.task_id, q.execution_number, q.created_at, q.priority_rank, q.attempts, q.context)
        )
        rows = (await execute(self._session, rearmed)).all()
        if rows:
            self._session.info[OUTBOX_TOUCHED] = True  # wake the relay: there is work to send
        return [
            QueueJob(
                id=row.id,
                order=ExecutionOrder(row.task_id, row.execution_number, row.context or {}),
                available_at=now,
                created_at=row.created_at,
                priority_rank=row.priority_rank,
                attempts=row.attempts,
                last_error=_REDISPATCHED,
            )
            for row in rows
        ]

    async def purge_dispatched(self, before: datetime, limit: int) -> int:
        waited_for = exists().where(
            t.id == q.task_id, _QUEUED, q.execution_number == t.execution_count + 1
        )  # a queued task's next order stays, however old: the resend rule may need it
        old = select(q.id).where(q.dispatched_at < before, ~waited_for).limit(limit)
        gone = await execute(self._session, delete(queue_jobs).where(q.id.in_(old.scalar_subquery())).returning(q.id))
        return len(gone.all())


def _leasing(postgres: bool) -> Any:
    due = (
        select(q.id)
        .where(
            q.dispatched_at.is_(None),
            q.available_at <= bindparam("now"),
            or_(q.leased_until.is_(None), q.leased_until <= bindparam("now")),
        )
        .order_by(q.priority_rank.desc(), q.available_at)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True)
    )
    returned: tuple[ColumnElement[Any], ...] = (
        q.id,
        q.task_id,
        q.execution_number,
        q.available_at,
        q.created_at,
        q.priority_rank,
        q.attempts,
        q.last_error,
        q.context,
    )
    if postgres:  # with what the pass asks about their tasks next: no round trips of its own
        returned += leased_tasks.columns()
    return (
        update(queue_jobs)
        .where(q.id.in_(due.scalar_subquery()))
        .values(leased_until=bindparam("lease_until"), attempts=q.attempts + 1)
        .returning(*returned)
    )


_LEASES = {True: _leasing(postgres=True), False: _leasing(postgres=False)}


_REDISPATCHED = "sent again: the message was sent long ago and its task never started"
