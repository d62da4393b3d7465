"""The outbox relay: sends due queue jobs to the broker, so a crash between commit and send loses nothing.

One pass, in three short transactions:
1. lease a batch of due jobs (other relays skip them while the lease lasts);
2. with the tasks locked, release pending tasks to `queued` and sort the jobs: to send, stale
   (the task moved on, was cancelled or deleted), or not due after all (rescheduled meanwhile);
3. after the broker took the messages, mark the jobs dispatched.
A crash after 1 or 2 leaves the jobs undispatched: they are sent again once the lease lapses, and
the worker's claim makes a duplicate message harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from application.ports.access_policy import AccessPolicy, Action
from application.ports.clock import Clock
from application.ports.message_broker import BrokerUnavailable, MessageBroker
from application.ports.outbox import OutboxRelayStore
from application.ports.task_repository import TaskRepository
from application.ports.unit_of_work import UnitOfWork
from application.tasks.access import require
from domain.outbox import QueueJob
from domain.principal import Principal
from domain.tasks import AgentTask, TaskStatus


@dataclass(frozen=True, slots=True)
class RelaySettings:
    batch_size: int = 500
    lease_s: float = 30.0
    retry_after_s: float = 2.0


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

    async def __call__(self, actor: Principal) -> RelayReport:
        require(self.policy, actor, Action.DISPATCH_WORK)
        now = self.clock.now()
        jobs = await self.store.claim_due(now, now + timedelta(seconds=self.settings.lease_s), self.settings.batch_size)
        await self.uow.commit()
        if not jobs:
            return RelayReport()

        tasks = {t.id: t for t in await self.tasks.get_many([j.order.task_id for j in jobs], for_update=True)}
        to_send: list[QueueJob] = []
        settled: list[QueueJob] = []
        not_due: list[QueueJob] = []
        for job in jobs:
            verdict = _sort(job, tasks.get(job.order.task_id), now)
            (to_send if verdict == "send" else settled if verdict == "stale" else not_due).append(job)
        if settled:
            await self.store.mark_dispatched([j.id for j in settled], now)
        if not_due:
            await self.store.mark_failed([j.id for j in not_due], "rescheduled", now)
        await self.uow.commit()

        full = len(jobs) == self.settings.batch_size
        if not to_send:
            return RelayReport(settled=len(settled), full_batch=full)
        ids = [j.id for j in to_send]
        try:
            await self.broker.send([j.order for j in to_send])
        except BrokerUnavailable as error:
            retry_at = self.clock.now() + timedelta(seconds=self.settings.retry_after_s)
            await self.store.mark_failed(ids, str(error) or type(error).__name__, retry_at)
            await self.uow.commit()
            return RelayReport(settled=len(settled), failed=len(ids))
        await self.store.mark_dispatched(ids, self.clock.now())
        await self.uow.commit()
        return RelayReport(sent=len(ids), settled=len(settled), full_batch=full)


def _sort(job: QueueJob, task: AgentTask | None, now: datetime) -> str:
    """'send', 'stale' (nothing left to do for this job) or 'not_due' (keep it for later)."""
    if task is None or job.order.number != task.execution_count + 1:
        return "stale"
    if task.status is TaskStatus.PENDING:
        if task.release_at() > now:
            return "not_due"
        task.release(now)
    return "send" if task.status is TaskStatus.QUEUED else "stale"
