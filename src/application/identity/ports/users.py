from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from agentry.domain.identity.users import User
from agentry.domain.roles import GlobalRole


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Stage a new user; raises DuplicateEmail if the address is taken."""
        ...

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None:
        """`email` is already normalized."""
        ...

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User]: ...

    async def page(
        self, *, after_email: str | None, limit: int, role: GlobalRole | None = None, active: bool | None = None
    ) -> list[User]:
        """Users in email order, strictly after `after_email`; only those with `role` and `active` when given."""
        ...

    async def count_active_admins(self) -> int: ...

    async def lock_active_admins(self) -> frozenset[UUID]:
        """The ids of the active admins, their rows locked until the transaction ends.

        Always locked in id order, so two transactions that both lock them never wait on each other in a
        cycle; a transaction that waited sees the rows as the other one left them (a demoted admin drops out).
        """
        ...

    async def delete(self, user: User) -> None:
        """Remove the user with their memberships, sessions and API tokens."""
        ...
