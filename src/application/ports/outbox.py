from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.outbox import QueueJob


class Outbox(Protocol):
    """Work to dispatch, written in the same unit of work as the state change that calls for it."""

    async def enqueue(self, job: QueueJob) -> None: ...

    async def reschedule(self, task_id: UUID, available_at: datetime, priority_rank: int) -> None:
        """Move the task's undispatched job (if any) to a new time and priority."""
        ...


class OutboxRelayStore(Protocol):
    """What the relay needs: due jobs under a lease, and marks once sent."""

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[QueueJob]:
        """Undispatched jobs due by `now` whose lease has lapsed, most urgent first; leases them."""
        ...

    async def mark_dispatched(self, job_ids: Sequence[UUID], now: datetime) -> None: ...

    async def mark_failed(self, job_ids: Sequence[UUID], error: str, retry_at: datetime) -> None:
        """Sending failed: keep the jobs undispatched, to be tried again from `retry_at`."""
        ...
