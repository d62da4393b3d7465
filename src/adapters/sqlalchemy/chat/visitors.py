"""The visitors of public chats on SQLAlchemy, and what their turns' tasks used and cost."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.chat.tables import chat_visitors
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.domain.chat.visitor import ChatVisitor

cv = chat_visitors.c
e = task_executions.c
t = tasks.c


class SqlAlchemyChatVisitors:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, visitor: ChatVisitor) -> None:
        self._session.add(visitor)
        await self._session.flush()

    async def get(self, visitor_id: UUID) -> ChatVisitor | None:
        query = select(ChatVisitor).where(cv.id == visitor_id).execution_options(populate_existing=True)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def remove(self, visitor: ChatVisitor) -> None:
        await self._session.delete(visitor)
        await self._session.flush()

    async def expired(self, now: datetime, limit: int) -> list[ChatVisitor]:
        query = select(ChatVisitor).where(cv.expires_at <= now).order_by(cv.expires_at, cv.id).limit(limit)
        return list((await self._session.execute(query)).scalars())

    async def tokens_used(self, visitor_id: UUID) -> int:
        query = (
            select(func.coalesce(func.sum(e.input_tokens + e.output_tokens), 0))
            .select_from(task_executions.join(tasks, t.id == e.task_id))
            .where(t.owner_id == visitor_id)
        )
        return int((await self._session.execute(query)).scalar_one())

    async def hand_over_tasks(self, visitor_id: UUID, user_id: UUID) -> None:
        await self._session.flush()
        await self._session.execute(update(tasks).where(t.owner_id == visitor_id).values(owner_id=user_id))
