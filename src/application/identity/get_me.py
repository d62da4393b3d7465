from __future__ import annotations

from dataclasses import dataclass

from agentry.application.errors import NotFound, Unauthenticated
from agentry.application.identity.ports.users import UserRepository
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class GetMe:
    users: UserRepository

    async def __call__(self, actor: Principal) -> User:
        if actor.is_anonymous or actor.is_system:
            raise Unauthenticated("sign in first")
        user = await self.users.get(actor.id)
        if user is None:
            raise NotFound("user", actor.id)
        return user
