from __future__ import annotations

from dataclasses import dataclass

from agentry.application.errors import Unauthenticated
from agentry.application.identity.ports.credentials import PasswordHasher
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.tokens import TokenMinter, TokenPair
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.emails import normalize_email
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal

WRONG_LOGIN = "the email address or the password is wrong"


@dataclass(frozen=True, slots=True)
class LogIn:
    """Email and password for a new session. Whatever is wrong (no such account, a wrong password, a
    deactivated account) the answer is the same, and takes as long: one password verification."""

    users: UserRepository
    hasher: PasswordHasher
    minter: TokenMinter
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, email: str, password: str) -> TokenPair:
        try:
            user = await self.users.get_by_email(normalize_email(email))
        except InvalidValue:
            user = None
        matches = await self.hasher.verify(user.password_hash if user else None, password)
        if user is None or not matches or not user.active:
            raise Unauthenticated(WRONG_LOGIN)
        now = self.clock.now()
        if self.hasher.needs_rehash(user.password_hash):
            user.set_password_hash(await self.hasher.hash(password), now, changed=False)
        pair = await self.minter.start_session(user.id, now)
        await self.uow.commit()
        return pair
