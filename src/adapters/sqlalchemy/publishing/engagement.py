"""Engagement counts on SQLAlchemy: per publication, day and kind, each visitor digest counted once a
day. Only the current day's digests and salt are kept: each call forgets those of earlier days."""

from __future__ import annotations

import os
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.publishing.tables import engagement_salts, publication_engagement, publication_visitors
from agentry.domain.publishing.engagement import DayCount

e = publication_engagement.c
SALT_BYTES = 32


class SqlAlchemyEngagement:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    async def salt_of(self, day: date) -> bytes:
        s = engagement_salts.c
        await self._session.execute(delete(engagement_salts).where(s.day < day))
        made = self._insert(engagement_salts).values(day=day, salt=os.urandom(SALT_BYTES))
        await self._session.execute(made.on_conflict_do_nothing(index_elements=[s.day]))
        salt: bytes = (await self._session.execute(select(s.salt).where(s.day == day))).scalar_one()
        return salt

    async def count_once(self, publication_id: UUID, day: date, kind: str, visitor: bytes) -> bool:
        v = publication_visitors.c
        await self._session.execute(delete(publication_visitors).where(v.day < day))
        seen = self._insert(publication_visitors).values(
            publication_id=publication_id, day=day, kind=kind, digest=visitor
        )
        first = await self._session.execute(seen.on_conflict_do_nothing().returning(v.kind))
        if first.first() is None:  # this visitor was counted for it today already
            return False
        count = self._insert(publication_engagement).values(publication_id=publication_id, day=day, kind=kind, count=1)
        count = count.on_conflict_do_update(
            index_elements=[e.publication_id, e.day, e.kind], set_={"count": publication_engagement.c.count + 1}
        )
        await self._session.execute(count)
        return True

    async def of_publication(self, publication_id: UUID, first: date, last: date) -> list[DayCount]:
        query = (
            select(e.day, e.kind, e.count)
            .where(e.publication_id == publication_id, e.day >= first, e.day <= last)
            .order_by(e.day, e.kind)
        )
        return [DayCount(day, kind, count) for day, kind, count in (await self._session.execute(query)).all()]
