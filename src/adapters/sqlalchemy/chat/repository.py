"""Chat sessions and turns on SQLAlchemy (mapped objects in the unit of work's session)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.chat.tables import chat_sessions, chat_turns
from agentry.adapters.sqlalchemy.tasks.tables import tasks
from agentry.domain.chat.session import ChatSession, ChatTurn, TurnStatus
from agentry.domain.tasks.task import AgentTask

cs = chat_sessions.c
ct = chat_turns.c


class SqlAlchemyChatSessions:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, session: ChatSession) -> None:
        self._session.add(session)
        await self._session.flush()  # before its turns, which refer to it

    async def get(self, session_id: UUID, *, for_update: bool = False) -> ChatSession | None:
        query = select(ChatSession).where(cs.id == session_id)
        if for_update:
            query = query.with_for_update()
        result = await self._session.execute(query.execution_options(populate_existing=True))
        return result.scalar_one_or_none()

    async def of_owner(
        self, owner_id: UUID, *, archived: bool | None, before: tuple[datetime, UUID] | None, limit: int
    ) -> list[ChatSession]:
        query = select(ChatSession).where(cs.owner_id == owner_id)
        if archived is not None:
            query = query.where(cs.archived.is_(archived))
        if before is not None:
            at, last_id = before
            query = query.where(or_(cs.updated_at < at, and_(cs.updated_at == at, cs.id < last_id)))
        result = await self._session.execute(query.order_by(cs.updated_at.desc(), cs.id.desc()).limit(limit))
        return list(result.scalars())

    async def remove(self, session: ChatSession) -> None:
        await self._session.flush()
        await self._session.execute(delete(chat_turns).where(ct.session_id == session.id))
        await self._session.delete(session)
        await self._session.flush()


class SqlAlchemyChatTurns:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, turn: ChatTurn) -> None:
        self._session.add(turn)
        await self._session.flush()

    async def get(self, turn_id: UUID) -> ChatTurn | None:
        return await self._one(select(ChatTurn).where(ct.id == turn_id))

    async def by_task(self, task_id: UUID) -> ChatTurn | None:
        return await self._one(select(ChatTurn).where(ct.task_id == task_id))

    async def tasks_with_turns(self, task_ids: Collection[UUID]) -> set[UUID]:
        if not task_ids:
            return set()
        found = await self._session.execute(select(ct.task_id).where(ct.task_id.in_(sorted(task_ids))))
        return set(found.scalars())

    async def with_task(self, turn_id: UUID) -> tuple[ChatTurn, AgentTask | None] | None:
        query = select(ChatTurn, AgentTask).outerjoin(AgentTask, tasks.c.id == ct.task_id).where(ct.id == turn_id)
        row = (await self._session.execute(query.execution_options(populate_existing=True))).one_or_none()
        return None if row is None else (row[0], row[1])

    async def of_session(self, session_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[ChatTurn]:
        query = (
            select(ChatTurn)
            .where(ct.session_id == session_id, ct.number > after_number)
            .order_by(ct.number)
            .limit(limit)
        )
        result = await self._session.execute(query.execution_options(populate_existing=True))
        return list(result.scalars())

    async def next_queued(self, session_id: UUID) -> ChatTurn | None:
        query = (
            select(ChatTurn)
            .where(ct.session_id == session_id, ct.status == TurnStatus.QUEUED)
            .order_by(ct.number)
            .limit(1)
        )
        return await self._one(query)

    async def queued_of_owner(self, owner_id: UUID) -> int:
        query = (
            select(func.count())
            .select_from(chat_turns.join(chat_sessions, cs.id == ct.session_id))
            .where(cs.owner_id == owner_id, ct.status == TurnStatus.QUEUED)
        )
        return int((await self._session.execute(query)).scalar_one())

    async def _one(self, query: Select[ChatTurn]) -> ChatTurn | None:
        result = await self._session.execute(query.execution_options(populate_existing=True))
        return result.scalar_one_or_none()
