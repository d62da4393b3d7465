from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require, require_credentials_of
from agentry.application.errors import DuplicateEmail, NotFound
from agentry.application.identity.passwords import confirm_password
from agentry.application.identity.ports.credentials import PasswordHasher
from agentry.application.identity.ports.users import UserRepository
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.emails import normalize_email
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.users import User, clean_display_name
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    display_name: str | None = None
    email: str | None = None
    current_password: str | None = None  # needed to change the email address, and only then


@dataclass(frozen=True, slots=True)
class UpdateProfile:
    """The actor's display name or email address.

    The email address is what one logs in with, so changing it is a credential change: it needs a login
    session (not an API token) and the current password, as a password change does.
    """

    users: UserRepository
    hasher: PasswordHasher
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, changes: ProfileChanges) -> User:
        require(self.policy, actor, Action.MANAGE_ACCOUNT, Resource.of_account(actor.id))
        name = clean_display_name(changes.display_name) if changes.display_name is not None else None
        email = normalize_email(changes.email) if changes.email is not None else None
        user = await self.users.get(actor.id, for_update=True)
        if user is None:
            raise NotFound("user", actor.id)
        if name == user.display_name:
            name = None
        if email == user.email:
            email = None
        if email is not None:
            await self._confirm_email_change(actor, user, email, changes.current_password)
        if name is None and email is None:
            return user
        user.update_profile(self.clock.now(), display_name=name, email=email)
        await self.uow.commit()  # a concurrent change to the same address fails here with DuplicateEmail
        return user

    async def _confirm_email_change(self, actor: Principal, user: User, email: str, password: str | None) -> None:
        require_credentials_of(self.policy, actor, actor.id)
        if password is None:
            raise InvalidValue("current_password", "is needed to change the email address")
        await confirm_password(self.hasher, user, password)
        if await self.users.get_by_email(email) is not None:
            raise DuplicateEmail()
