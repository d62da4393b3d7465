"""Housekeeping: queue jobs sent to the broker are kept as long as the event outbox keeps its events,
then deleted a batch at a time; the job a queued task still waits for stays, however old (the resend
rule may need it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.dispatch.relay_outbox import RelaySettings
from agentry.application.tasks.ports.outbox import OutboxRelayStore
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class PurgeDispatchedJobs:
    store: OutboxRelayStore
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    settings: RelaySettings

    async def __call__(self, actor: Principal) -> int:
        """Delete one batch; how many went."""
        require(self.policy, actor, Action.DISPATCH_WORK)
        before = self.clock.now() - timedelta(seconds=self.settings.retention_s)
        purged = await self.store.purge_dispatched(before, self.settings.purge_batch_size)
        await self.uow.commit()
        return purged
