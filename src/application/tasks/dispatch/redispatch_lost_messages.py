"""Messages the broker lost: a queued task whose message was sent `redispatch_after_s` ago and that
never started is sent again.

A broker can drop what it holds (a Redis restarted without persistence, a queue purged by hand), and
a message it dead-lettered leaves its task queued if the reconciliation could not be written (see
reconcile_dead_letter). The outbox job of the task's next order is made due again, and the relay
sends it on its next pass. A duplicate is harmless: only the task's next order can start it, once.
A message that is only waiting in a long queue is sent twice; keep `redispatch_after_s` above the
longest wait the queue is expected to have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.outbox import OutboxRelayStore
from agentry.application.tasks.run.recover_lost_executions import RecoverySettings
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class RedispatchLostMessages:
    store: OutboxRelayStore
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    settings: RecoverySettings

    async def __call__(self, actor: Principal) -> int:
        """Returns how many tasks' messages will be sent again."""
        require(self.policy, actor, Action.RECOVER_WORK)
        now = self.clock.now()
        before = now - timedelta(seconds=self.settings.redispatch_after_s)
        jobs = await self.store.redispatch_stale(before, now, self.settings.batch_size)
        await self.uow.commit()
        return len(jobs)
