"""Invitations to projects: the InvitationRepository port on SQLAlchemy."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.projects.tables import invitations
from agentry.adapters.sqlalchemy.unit_of_work import execute, flush
from agentry.domain.projects.invitation import Invitation

_NEWEST_FIRST = (invitations.c.created_at.desc(), invitations.c.id.desc())


class SqlAlchemyInvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, invitation: Invitation) -> None:
        self._session.add(invitation)
        await flush(self._session)

    async def get(self, invitation_id: UUID) -> Invitation | None:
        return await self._session.get(Invitation, invitation_id, populate_existing=True)

    async def of_project_to(self, project_id: UUID, email: str) -> Invitation | None:
        query = select(Invitation).where(invitations.c.project_id == project_id, invitations.c.email == email)
        return (await self._session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()

    async def pending_of_project(self, project_id: UUID, now: datetime) -> list[Invitation]:
        query = select(Invitation).where(invitations.c.project_id == project_id, invitations.c.expires_at > now)
        return await self._all(query.order_by(*_NEWEST_FIRST))

    async def pending_to(self, email: str, now: datetime) -> list[Invitation]:
        query = select(Invitation).where(invitations.c.email == email, invitations.c.expires_at > now)
        return await self._all(query.order_by(*_NEWEST_FIRST))

    async def expired(self, now: datetime, limit: int) -> list[Invitation]:
        query = select(Invitation).where(invitations.c.expires_at <= now)
        return await self._all(query.order_by(invitations.c.expires_at, invitations.c.id).limit(limit))

    async def all_to(self, email: str) -> list[Invitation]:
        return await self._all(select(Invitation).where(invitations.c.email == email).order_by(*_NEWEST_FIRST))

    async def remove(self, invitation: Invitation) -> None:
        await self._session.delete(invitation)

    async def _all(self, query: Select[Invitation]) -> list[Invitation]:
        result = await execute(self._session, query.execution_options(populate_existing=True))
        return list(result.scalars())
