from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.identity.ports.sessions import ApiTokenRepository, SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.users.admins import lock_for_change
from agentry.domain.identity.sessions import RevokeReason
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole


@dataclass(frozen=True, slots=True)
class UserChanges:
    """What an admin sets; None leaves it as it is. Setting what already holds changes nothing."""

    role: GlobalRole | None = None
    active: bool | None = None

    @property
    def may_remove_an_admin(self) -> bool:
        return self.role is GlobalRole.USER or self.active is False


@dataclass(frozen=True, slots=True)
class UpdateUser:
    """An admin changes someone's global role, deactivates or reactivates them.

    Deactivation ends every login session and revokes every API token of the user, so reactivating the
    account brings back none of the old credentials: the user logs in again.
    """

    users: UserRepository
    sessions: SessionRepository
    api_tokens: ApiTokenRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, user_id: UUID, changes: UserChanges) -> User:
        require(self.policy, actor, Action.MANAGE_USERS)
        user = await lock_for_change(self.users, user_id, may_remove_an_admin=changes.may_remove_an_admin)
        now = self.clock.now()
        if changes.role is not None and changes.role is not user.role:
            user.change_role(changes.role, now)
        if changes.active is False and user.active:
            user.deactivate(now)
            await self.sessions.revoke_all_of(user.id, now, RevokeReason.USER_DEACTIVATED)
            await self.api_tokens.revoke_all_of(user.id, now)
        elif changes.active is True and not user.active:
            user.reactivate(now)
        await self.uow.commit()
        return user
