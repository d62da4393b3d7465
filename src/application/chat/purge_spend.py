"""Housekeeping: what a project's public chat spent on days its daily cost cap no longer counts goes, a
batch at a time. The cap counts today (UTC) only; yesterday is kept too, for a turn that ended just
before midnight and is counted just after (SendVisitorMessage reads the day it checks from its clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agentry.application.access import require
from agentry.application.chat.ports import PublicChatSpend
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.principal import Principal

BATCH = 1_000
KEPT_DAYS = 2  # today and yesterday


@dataclass(frozen=True, slots=True)
class PurgeOldChatSpend:
    spend: PublicChatSpend
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal) -> int:
        """Delete one batch of spend rows older than the days kept; how many."""
        require(self.policy, actor, Action.DISPATCH_WORK)
        oldest_kept = self.clock.now().date() - timedelta(days=KEPT_DAYS - 1)
        deleted = await self.spend.prune(oldest_kept, BATCH)
        await self.uow.commit()
        return deleted
