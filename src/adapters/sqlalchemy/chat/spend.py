"""What each project's public chat spent each day, on SQLAlchemy: one row per project and day, added to by
an upsert (on PostgreSQL it takes the row's lock, so turns ending together add up, one after the other)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.chat.tables import public_chat_spend

s = public_chat_spend.c


class SqlAlchemyPublicChatSpend:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, project_id: UUID, day: date, cost_usd: float) -> None:
        postgres = self._session.get_bind().dialect.name == "postgresql"
        insert = postgresql.insert if postgres else sqlite.insert
        statement = insert(public_chat_spend).values(project_id=project_id, day=day, cost_usd=cost_usd)
        statement = statement.on_conflict_do_update(
            index_elements=[s.project_id, s.day], set_={"cost_usd": s.cost_usd + statement.excluded.cost_usd}
        )
        await self._session.execute(statement)

    async def of_day(self, project_id: UUID, day: date) -> float:
        query = select(s.cost_usd).where(s.project_id == project_id, s.day == day)
        return float((await self._session.execute(query)).scalar_one_or_none() or 0.0)

    async def prune(self, before: date, limit: int) -> int:
        old = select(s.project_id, s.day).where(s.day < before).limit(limit)
        deleted = await self._session.execute(delete(public_chat_spend).where(tuple_(s.project_id, s.day).in_(old)))
        return int(deleted.rowcount)  # type: ignore[attr-defined]
