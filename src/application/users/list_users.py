from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require
from agentry.application.identity.ports.users import UserRepository
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole

PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class UserFilter:
    role: GlobalRole | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class UserPage:
    items: list[User]
    next_after: str | None  # the email to continue after


@dataclass(frozen=True, slots=True)
class ListUsers:
    """Every account, in email order, for admins."""

    users: UserRepository
    policy: AccessPolicy

    async def __call__(
        self, actor: Principal, *, after: str | None = None, limit: int = 50, only: UserFilter = UserFilter()
    ) -> UserPage:
        require(self.policy, actor, Action.MANAGE_USERS)
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be from 1 to {PAGE_MAX}")
        items, next_after = await fetch_page(
            lambda n: self.users.page(after_email=after, limit=n, role=only.role, active=only.active),
            limit,
            lambda last: last.email,
        )
        return UserPage(items, next_after)
