from __future__ import annotations

from dataclasses import dataclass

from application.errors import NotFound, Unauthenticated
from application.ports.users import UserRepository
from domain.principal import Principal
from domain.users import User


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
