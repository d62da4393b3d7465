"""The outbox relay: sends due queue jobs to the broker, so a crash between commit and send loses nothing.

One pass, in short transactions:
1. lease a batch of due jobs (other relays skip them while the lease lasts) and read their
   tasks' statuses;
2. release the scheduled (pending) tasks among them, with those tasks locked; a job whose task
   was rescheduled meanwhile is not due after all and waits;
3. send the rest, in fair order across users (dispatch/fair_share.py); once the broker took them, mark
   them dispatched, together with the jobs of tasks that were cancelled or deleted meanwhile (nothing
   to send for those). A job a worker held back meanwhile (its project or owner had no free slot) keeps
   its hold: the mark is only for jobs still under this pass's lease.
A crash after 1 or 2 leaves the jobs undispatched: they are sent again once the lease lapses. A
duplicate message is harmless: a worker's claim turns any order that is not the task's next
execution into a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.dispatch.fair_share import fair_order
from agentry.application.tasks.ports.message_broker import BrokerUnavailable, MessageBroker
from agentry.application.tasks.ports.outbox import OutboxRelayStore
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.domain.principal import Principal
from agentry.domain.tasks.orders import QueueJob
from agentry.domain.tasks.status import TaskStatus

WAITING = frozenset({TaskStatus.PENDING, TaskStatus.QUEUED})


@dataclass(frozen=True, slots=True)
class RelaySettings:
    batch_size: int = 500
    lease_s: float = 30.0
    retry_after_s: float = 2.0
    retention_s: float = 7 * 86_400  # how long jobs are kept once sent
    purge_batch_size: int = 1_000


@dataclass(frozen=True, slots=True)
class RelayReport:
    sent: int = 0
    settled: int = 0
    failed: int = 0
    full_batch: bool = False


@dataclass(frozen=True, slots=True)
class RelayOutbox:
    store: OutboxRelayStore
    tasks: TaskRepository
    broker: MessageBroker
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    settings: RelaySettings
    users: UserUsage

    async def __call__(self, actor: Principal) -> RelayReport:
        require(self.policy, actor, Action.DISPATCH_WORK)
        now = self.clock.now()
        lease = now + timedelta(seconds=self.settings.lease_s)
        jobs = await self.store.claim_due(now, lease, self.settings.batch_size)
        if not jobs:
            await self.uow.commit()
            return RelayReport()
        task_ids = [job.order.task_id for job in jobs]
        statuses = await self.tasks.statuses(task_ids)
        waiting = [task_id for task_id in task_ids if statuses.get(task_id) in WAITING]  # the others go unsent
        jobs = fair_order(jobs, await self.users.loads(waiting))
        await self.uow.commit()
        full = len(jobs) == self.settings.batch_size

        settled = [job for job in jobs if statuses.get(job.order.task_id) not in WAITING]
        pending = {job.order.task_id for job in jobs if statuses.get(job.order.task_id) is TaskStatus.PENDING}
        not_due = await self._release(pending, jobs, now) if pending else []
        held_back = {job.id for job in settled} | {job.id for job in not_due}
        to_send = [job for job in jobs if job.id not in held_back]
        if to_send:
            try:
                await self.broker.send([job.order for job in to_send])
            except BrokerUnavailable as error:
                retry_at = self.clock.now() + timedelta(seconds=self.settings.retry_after_s)
                await self.store.mark_failed([job.id for job in to_send], str(error) or type(error).__name__, retry_at)
                await self.store.mark_dispatched([job.id for job in settled], now, lease)
                await self.uow.commit()
                return RelayReport(settled=len(settled), failed=len(to_send))
        await self.store.mark_dispatched([job.id for job in to_send + settled], self.clock.now(), lease)
        await self.uow.commit()
        return RelayReport(sent=len(to_send), settled=len(settled), full_batch=full)

    async def _release(self, pending: set[UUID], jobs: list[QueueJob], now: datetime) -> list[QueueJob]:
        """Release the pending tasks whose time has come (locked, through the domain); return the
        jobs whose task turned out not to be due after all (it was rescheduled meanwhile)."""
        later = []
        for task in await self.tasks.get_many(sorted(pending), for_update=True):
            if task.status is not TaskStatus.PENDING:
                continue
            if task.release_at() <= now:
                task.release(now)
            else:
                later += [job for job in jobs if job.order.task_id == task.id]
        if later:
            await self.store.mark_failed([job.id for job in later], "not due: the task was rescheduled", now)
        await self.uow.commit()
        return later
