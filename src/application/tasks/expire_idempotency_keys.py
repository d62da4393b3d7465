"""Housekeeping: an Idempotency-Key names its submission for `key_ttl_s`; after that the task lets go
of it, a batch at a time (a submission that meets an expired key lets go of it at once, see SubmitTask)."""

from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.submit_task import IdempotencySettings
from agentry.domain.principal import Principal

BATCH = 1_000


@dataclass(frozen=True, slots=True)
class ExpireIdempotencyKeys:
    tasks: TaskRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    idempotency: IdempotencySettings

    async def __call__(self, actor: Principal) -> int:
        """Let go of one batch of expired keys; how many."""
        require(self.policy, actor, Action.DISPATCH_WORK)
        forgotten = await self.tasks.forget_idempotency_keys(self.idempotency.expired_before(self.clock.now()), BATCH)
        await self.uow.commit()
        return forgotten
