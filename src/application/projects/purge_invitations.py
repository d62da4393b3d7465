"""Housekeeping: an invitation nobody answered in time goes, a batch at a time, so the address of
someone who never joined is not kept (expired ones are already invisible: see answer_invitation.py)."""

from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import InvitationRepository
from agentry.domain.principal import Principal

BATCH = 500


@dataclass(frozen=True, slots=True)
class PurgeExpiredInvitations:
    invitations: InvitationRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal) -> int:
        """Delete one batch of expired invitations; how many."""
        require(self.policy, actor, Action.DISPATCH_WORK)
        now = self.clock.now()
        expired = await self.invitations.expired(now, BATCH)
        for invitation in expired:
            invitation.lapse(now)
            await self.invitations.remove(invitation)
        await self.uow.commit()
        return len(expired)
