from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.identity.tables import api_tokens, login_sessions, refresh_tokens
from agentry.adapters.sqlalchemy.unit_of_work import execute, flush
from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken, RevokeReason


class SqlAlchemySessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, session: LoginSession) -> None:
        self._session.add(session)
        await flush(self._session)  # its refresh tokens refer to it

    async def get(self, session_id: UUID, *, for_update: bool = False) -> LoginSession | None:
        query = select(LoginSession).where(login_sessions.c.id == session_id)
        if for_update:
            query = query.with_for_update()
        result = await self._session.execute(query.execution_options(populate_existing=True))
        return result.scalar_one_or_none()

    async def page_of_user(self, user_id: UUID, *, after: UUID | None, limit: int) -> list[LoginSession]:
        query = select(LoginSession).where(login_sessions.c.user_id == user_id)
        if after is not None:
            query = query.where(login_sessions.c.id > after)
        query = query.order_by(login_sessions.c.id).limit(limit).execution_options(populate_existing=True)
        return list((await self._session.execute(query)).scalars())

    async def revoke_all_of(
        self, user_id: UUID, now: datetime, reason: RevokeReason, *, keep: UUID | None = None
    ) -> None:
        statement = (
            update(LoginSession)
            .where(login_sessions.c.user_id == user_id, login_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now, revoke_reason=reason)
            # sessions this unit of work has loaded see the revocation too
            .execution_options(synchronize_session="fetch")
        )
        if keep is not None:
            statement = statement.where(login_sessions.c.id != keep)
        await execute(self._session, statement)

    async def add_refresh_token(self, token: RefreshToken) -> None:
        self._session.add(token)
        await flush(self._session)

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        query = (
            select(RefreshToken)
            .where(refresh_tokens.c.token_hash == token_hash)
            .with_for_update()  # two refreshes with one token: the second waits, then finds it spent
            .execution_options(populate_existing=True)
        )
        return (await self._session.execute(query)).scalar_one_or_none()


class SqlAlchemyApiTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: ApiToken) -> None:
        self._session.add(token)
        await flush(self._session)

    async def get(self, token_id: UUID) -> ApiToken | None:
        query = select(ApiToken).where(api_tokens.c.id == token_id).execution_options(populate_existing=True)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def revoke_all_of(self, user_id: UUID, now: datetime) -> None:
        statement = (
            update(ApiToken)
            .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session="fetch")  # tokens this unit of work has loaded see it too
        )
        await execute(self._session, statement)

    async def of_user(self, user_id: UUID) -> list[ApiToken]:
        """Oldest first."""
        query = (
            select(ApiToken)
            .where(api_tokens.c.user_id == user_id)
            .order_by(api_tokens.c.created_at, api_tokens.c.id)
            .execution_options(populate_existing=True)
        )
        return list((await self._session.execute(query)).scalars())

    async def page_of_user(self, user_id: UUID, *, after: UUID | None, limit: int) -> list[ApiToken]:
        query = select(ApiToken).where(api_tokens.c.user_id == user_id)
        if after is not None:
            query = query.where(api_tokens.c.id > after)
        query = query.order_by(api_tokens.c.id).limit(limit).execution_options(populate_existing=True)
        return list((await self._session.execute(query)).scalars())

    async def count_usable(self, user_id: UUID, now: datetime) -> int:
        query = select(func.count()).where(
            api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None), api_tokens.c.expires_at > now
        )
        return int((await self._session.execute(query)).scalar_one())
