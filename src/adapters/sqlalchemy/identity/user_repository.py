from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.identity.tables import users
from agentry.adapters.sqlalchemy.unit_of_work import execute, flush
from agentry.domain.identity.users import User
from agentry.domain.roles import GlobalRole


class SqlAlchemyUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> None:
        self._session.add(user)
        await flush(self._session)  # a taken email surfaces here, and rows that refer to the user may follow

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        query = select(User).where(users.c.id == user_id)
        if for_update:
            query = query.with_for_update()
        result = await self._session.execute(query.execution_options(populate_existing=True))
        return result.scalar_one_or_none()

    async def get_by_email(self, email: str) -> User | None:
        query = select(User).where(users.c.email == email).execution_options(populate_existing=True)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User]:
        if not user_ids:
            return []
        query = select(User).where(users.c.id.in_(user_ids)).order_by(users.c.id)
        return list((await self._session.execute(query.execution_options(populate_existing=True))).scalars())

    async def page(
        self, *, after_email: str | None, limit: int, role: GlobalRole | None = None, active: bool | None = None
    ) -> list[User]:
        query = select(User).order_by(users.c.email).limit(limit)
        if after_email is not None:
            query = query.where(users.c.email > after_email)
        if role is not None:
            query = query.where(users.c.role == role)
        if active is not None:
            query = query.where(users.c.active.is_(active))
        return list((await self._session.execute(query.execution_options(populate_existing=True))).scalars())

    async def count_active_admins(self) -> int:
        query = select(func.count()).where(users.c.role == GlobalRole.ADMIN, users.c.active.is_(True))
        return int((await self._session.execute(query)).scalar_one())

    async def lock_active_admins(self) -> frozenset[UUID]:
        """PostgreSQL sorts, then locks row by row; a row it waited for is checked again against the condition
        (READ COMMITTED), so an admin demoted meanwhile is left out. SQLite ignores FOR UPDATE: its writers
        already run one at a time (BEGIN IMMEDIATE)."""
        query = (
            select(users.c.id)
            .where(users.c.role == GlobalRole.ADMIN, users.c.active.is_(True))
            .order_by(users.c.id)
            .with_for_update()
        )
        return frozenset((await execute(self._session, query)).scalars())

    async def delete(self, user: User) -> None:
        """The database removes the user's memberships, sessions, refresh and API tokens (ON DELETE CASCADE)."""
        await self._session.delete(user)
