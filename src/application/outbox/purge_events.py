"""Housekeeping: events every subscriber has are kept `retention_s` (for inspection and replays by
hand), then deleted, a batch at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agentry.application.access import require
from agentry.application.outbox.ports import EventStore
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class OutboxRetention:
    retention_s: float = 7 * 86_400
    batch_size: int = 1_000


@dataclass(frozen=True, slots=True)
class PurgeDeliveredEvents:
    store: EventStore
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    retention: OutboxRetention

    async def __call__(self, actor: Principal) -> int:
        """Delete one batch; how many went (a full batch: there may be more)."""
        require(self.policy, actor, Action.DISPATCH_WORK)
        before = self.clock.now() - timedelta(seconds=self.retention.retention_s)
        purged = await self.store.purge_delivered(before, self.retention.batch_size)
        await self.uow.commit()
        return purged
