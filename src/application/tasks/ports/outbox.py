from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.domain.tasks.orders import ExecutionOrder, QueueJob


class Outbox(Protocol):
    """Work to dispatch, written in the same unit of work as the state change that calls for it."""

    async def enqueue(self, job: QueueJob, *, at_once: bool = False) -> None:
        """`at_once`: someone waits for the work (a chat turn), so a job due now goes to the broker straight
        after the commit, not at the relay's next pass; the relay still sends it if that send never
        happened (a crash between commit and send) or failed."""
        ...

    async def reschedule(self, task_id: UUID, available_at: datetime, priority_rank: int) -> None:
        """Move the task's undispatched job (if any) to a new time and priority."""
        ...

    async def hold_back(self, order: ExecutionOrder, until: datetime, priority_rank: int) -> None:
        """Put the order's job back in the outbox, undispatched, to be sent again from `until` (with this
        priority). It keeps its place in the queue: its due time stays, only a lease holds it until then."""
        ...

    async def offer_held_back(self, project_id: UUID, now: datetime) -> None:
        """A slot of the project came free: the jobs of its queued tasks that `hold_back` holds are
        offered again now, not when their hold ends."""
        ...

    async def offer_held_back_of_owner(self, owner_id: UUID, now: datetime) -> None:
        """One of the user's slots came free: of the jobs of the user's queued tasks that `hold_back` holds,
        the first in the queue (the most urgent; the longest due among equals) is offered again now."""
        ...


class OutboxRelayStore(Protocol):
    """What the relay needs: due jobs under a lease, and marks once sent."""

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[QueueJob]:
        """Undispatched jobs due by `now` whose lease has lapsed, most urgent first; leases them."""
        ...

    async def mark_dispatched(self, job_ids: Sequence[UUID], now: datetime, lease_until: datetime) -> None:
        """The broker took the jobs: mark those still under the lease `claim_due` gave them (`lease_until`).
        A job a worker held back meanwhile (it got the message and `hold_back` ran before this mark) is
        left as the hold-back wrote it, to be sent again when its hold ends."""
        ...

    async def mark_failed(self, job_ids: Sequence[UUID], error: str, retry_at: datetime) -> None:
        """Sending failed: keep the jobs undispatched, to be tried again from `retry_at`."""
        ...

    async def redispatch_stale(self, dispatched_before: datetime, now: datetime, limit: int) -> list[QueueJob]:
        """Make due again, at `now`, up to `limit` jobs that were sent before `dispatched_before` for
        a task that is still queued waiting for exactly that order (the broker lost or dropped the
        message); return them. Jobs another unit of work holds are skipped."""
        ...

    async def purge_dispatched(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` jobs dispatched before `before` whose task no longer waits for them; how many."""
        ...
