"""The relay's side of the event outbox on SQLAlchemy: events claimed under a lease, in order per aggregate,
then marked, and purged once delivered long enough ago. (They are written by the unit of work, see
recorded_events.py.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, exists, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.outbox.tables import domain_events
from agentry.application.outbox.ports import StoredEvent, Undelivered
from agentry.domain.events import DomainEvent

e = domain_events.c
# Claims take turns (on PostgreSQL; SQLite has one writer at a time anyway), so a claim sees every
# lease taken before it, and two relays never take events of one aggregate at once.
_TAKE_TURNS = text("SELECT pg_advisory_xact_lock(8751902211)")


class SqlAlchemyEventStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[StoredEvent]:
        if self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(_TAKE_TURNS)
        earlier = domain_events.alias("earlier")
        waiting_before = exists().where(
            earlier.c.aggregate_id == e.aggregate_id,
            earlier.c.position < e.position,
            earlier.c.delivered_at.is_(None),
            or_(earlier.c.leased_until > now, earlier.c.available_at > now),
        )
        due = (
            select(e.position)
            .where(
                e.delivered_at.is_(None),
                e.available_at <= now,
                or_(e.leased_until.is_(None), e.leased_until <= now),
                ~waiting_before,
            )
            .order_by(e.position)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = (
            update(domain_events)
            .where(e.position.in_(due.scalar_subquery()))
            .values(leased_until=lease_until, attempts=e.attempts + 1)
            .returning(
                e.position,
                e.id,
                e.type,
                e.aggregate_type,
                e.aggregate_id,
                e.occurred_at,
                e.data,
                e.attempts,
                e.delivered_to,
            )
        )
        rows = (await self._session.execute(claimed)).all()
        return sorted((_stored(row) for row in rows), key=lambda stored: stored.position)

    async def mark_delivered(self, event_ids: Sequence[UUID], now: datetime) -> None:
        if event_ids:
            await self._session.execute(
                update(domain_events)
                .where(e.id.in_(event_ids))
                .values(delivered_at=now, leased_until=None, delivered_to=None)
            )

    async def mark_undelivered(self, undelivered: Sequence[Undelivered], now: datetime) -> None:
        for item in undelivered:
            if item.retry_at is None:  # given up: it counts as delivered, with the error kept
                values: dict[str, Any] = {"delivered_at": now, "leased_until": None, "last_error": item.error}
            else:
                values = {"available_at": item.retry_at, "leased_until": None, "last_error": item.error}
            values["delivered_to"] = sorted(item.delivered_to)
            await self._session.execute(update(domain_events).where(e.id == item.event_id).values(**values))

    async def release(self, event_ids: Sequence[UUID]) -> None:
        if event_ids:
            await self._session.execute(
                update(domain_events).where(e.id.in_(event_ids)).values(leased_until=None, attempts=e.attempts - 1)
            )

    async def purge_delivered(self, before: datetime, limit: int) -> int:
        oldest = select(e.position).where(and_(e.delivered_at.is_not(None), e.delivered_at < before)).limit(limit)
        gone = await self._session.execute(
            delete(domain_events).where(e.position.in_(oldest.scalar_subquery())).returning(e.position)
        )
        return len(gone.all())


def _stored(row: Any) -> StoredEvent:
    event = DomainEvent(row.type, row.aggregate_type, row.aggregate_id, row.occurred_at, row.data)
    return StoredEvent(row.id, row.position, event, row.attempts, frozenset(row.delivered_to or ()))
