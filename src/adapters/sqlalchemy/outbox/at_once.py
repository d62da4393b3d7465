"""Jobs someone waits for (a chat turn: Outbox.enqueue's `at_once`) go to the broker straight after the
commit that wrote them, not at the job relay's next pass (a wake-up, a lease, a read of the tasks and a
mark: about 10 ms on an idle machine, far more on a loaded one).

The outbox holds each such job as any other, under a lease written with it: the relay leaves it alone
while the lease lasts, and sends it if the writer never did (it crashed between commit and send) once the
lease lapses. Sent, the job is marked dispatched if it is still under that lease (a worker that got the
message and held it back meanwhile keeps its hold); refused by the broker, its lease is lifted and the
relay woken, which sends it with its own retries. A duplicate message is harmless anyway: only the task's
next order starts it, once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.outbox.tables import queue_jobs
from agentry.adapters.sqlalchemy.unit_of_work import JOBS_AT_ONCE, each_on_its_own
from agentry.application.ports.clock import Clock
from agentry.application.tasks.ports.message_broker import BrokerUnavailable, MessageBroker
from agentry.domain.tasks.orders import ExecutionOrder

AT_ONCE_LEASE_S = 30.0  # the relay's own lease: after a crash, the job goes out this long after its commit

log = logging.getLogger("agentry.relay")
q = queue_jobs.c


@dataclass(frozen=True, slots=True)
class AtOnce:
    job_id: UUID
    order: ExecutionOrder  # with the context of the work that wrote it
    written_at: datetime
    lease_until: datetime


def stage_at_once(session: AsyncSession, job: AtOnce) -> None:
    session.info.setdefault(JOBS_AT_ONCE, []).append(job)


@dataclass(frozen=True, slots=True)
class SendAtOnce:
    """Called by the unit of work after the commit that wrote the jobs, on its session (no transaction
    open then); never raises: the jobs are safe in the outbox whatever happens here."""

    broker: MessageBroker
    clock: Clock
    wake_relay: Callable[[], None]

    async def __call__(self, session: AsyncSession, jobs: Sequence[AtOnce]) -> None:
        try:
            await self.broker.send([job.order for job in jobs])
        except BrokerUnavailable as error:
            log.warning("broker unavailable: %d job(s) left to the relay (%s)", len(jobs), error)
            await self._settle(session, jobs, lambda job: {"leased_until": job.written_at})
            self.wake_relay()
            return
        now = self.clock.now()
        await self._settle(session, jobs, lambda _: {"dispatched_at": now, "leased_until": None})

    async def _settle(
        self, session: AsyncSession, jobs: Sequence[AtOnce], values: Callable[[AtOnce], dict[str, datetime | None]]
    ) -> None:
        """Each job still under the lease it was written with gets `values`; one statement a job (there
        is one, a chat turn's), each committing on its own."""
        try:
            await each_on_its_own(session)
            for job in jobs:
                still_ours = (q.id == job.job_id, q.dispatched_at.is_(None), q.leased_until == job.lease_until)
                await session.execute(update(queue_jobs).where(*still_ours).values(**values(job)))
            await session.commit()
        except Exception:  # the lease lapses and the relay sends the job (again, which is harmless)
            log.exception(
                "marking %d job(s) sent at once failed; the relay sends them when their lease lapses", len(jobs)
            )
            await session.close()  # not a rollback: that would expire what the request still reads
