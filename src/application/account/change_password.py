from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require_credentials_of
from agentry.application.errors import NotFound
from agentry.application.identity.passwords import confirm_password
from agentry.application.identity.ports.credentials import PasswordHasher
from agentry.application.identity.ports.sessions import SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.settings import IdentitySettings
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.passwords import check_password
from agentry.domain.identity.sessions import RevokeReason
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class ChangePassword:
    """A new password, confirmed with the current one, held to the same rule as at registration.

    Every other login session of the user ends, so whoever learnt the old password is signed out; the
    session making the change goes on. Personal API tokens are kept: they are separate credentials,
    revoked one by one.
    """

    users: UserRepository
    sessions: SessionRepository
    hasher: PasswordHasher
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    settings: IdentitySettings

    async def __call__(self, actor: Principal, current_password: str, new_password: str) -> None:
        require_credentials_of(self.policy, actor, actor.id)
        user = await self.users.get(actor.id, for_update=True)
        if user is None:
            raise NotFound("user", actor.id)
        try:
            check_password(
                new_password,
                min_length=self.settings.password_min_length,
                email=user.email,
                display_name=user.display_name,
            )
        except InvalidValue as error:
            raise InvalidValue("new_password", error.message) from None
        await confirm_password(self.hasher, user, current_password)
        if new_password == current_password:
            raise InvalidValue("new_password", "must differ from the current password")
        now = self.clock.now()
        user.set_password_hash(await self.hasher.hash(new_password), now)
        await self.sessions.revoke_all_of(user.id, now, RevokeReason.PASSWORD_CHANGED, keep=actor.session_id)
        await self.uow.commit()
