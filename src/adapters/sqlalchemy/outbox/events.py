"""The relay's side of the event outbox on SQLAlchemy: a batch of undelivered events is claimed, marked
and committed in one transaction; delivered events are purged once old enough. (They are written by
the unit of work, see recorded_events.py.)

The claim is one statement: it takes the relays' turn and marks the batch delivered as it reads it
(`UPDATE ... RETURNING`); `mark_delivered` then only takes the mark back from the events of the batch
that were not delivered after all (the rare failure), and the usual pass costs no statement of its
own to mark. The mark is part of the pass's transaction, so a relay that dies mid-pass still commits
nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.outbox.tables import domain_events
from agentry.application.outbox.ports import StoredEvent, Undelivered
from agentry.domain.events import DomainEvent

e = domain_events.c
# Relays take turns on PostgreSQL: a pass holds this lock until it commits, and a relay that finds it
# held skips its pass (the holder delivers what it would have). SQLite has one writer at a time anyway
# (BEGIN IMMEDIATE, see engine.py). Tried in the claim's own statement, on each row it would take:
# the first try decides, and a relay that has the turn has it for the rest of its transaction.
_TAKE_TURN = text("pg_try_advisory_xact_lock(8751902211)")
_COLUMNS = (
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


_earlier = domain_events.alias("earlier")
_backing_off_before = exists().where(  # the rare failed event; a partial index holds only those
    _earlier.c.aggregate_id == e.aggregate_id,
    _earlier.c.position < e.position,
    _earlier.c.delivered_at.is_(None),
    _earlier.c.attempts > 0,
    _earlier.c.available_at > bindparam("now"),
)
_DUE = (
    select(e.position)
    .where(e.delivered_at.is_(None), e.available_at <= bindparam("now"), ~_backing_off_before)
    .order_by(e.position)
    .limit(bindparam("limit"))
)


def _claim(postgres: bool) -> Any:
    # `delivered_at IS NULL` again on the row itself: PostgreSQL checks it anew on a row that a relay
    # which had the turn just before marked and committed, so a batch is never delivered twice by turns.
    claimed = update(domain_events).where(e.position.in_(_DUE.scalar_subquery()), e.delivered_at.is_(None))
    if postgres:
        claimed = claimed.where(_TAKE_TURN)
    return claimed.values(delivered_at=bindparam("now")).returning(*_COLUMNS)


_CLAIM = {True: _claim(postgres=True), False: _claim(postgres=False)}


class SqlAlchemyEventStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._claimed: set[int] = set()  # marked delivered by the claim, until the pass says otherwise

    async def claim(self, now: datetime, limit: int) -> list[StoredEvent]:
        postgres = self._session.get_bind().dialect.name == "postgresql"
        rows = (await self._session.execute(_CLAIM[postgres], {"now": now, "limit": limit})).all()
        self._claimed = {row.position for row in rows}
        return sorted((_stored(row) for row in rows), key=lambda stored: stored.position)

    async def mark_delivered(self, positions: Sequence[int], now: datetime) -> None:
        """The claim marked its whole batch: the events of it not among `positions` lose the mark."""
        if undelivered := sorted(self._claimed.difference(positions)):
            unmark = update(domain_events).where(e.position.in_(undelivered)).values(delivered_at=None)
            await self._session.execute(unmark)
        if unclaimed := sorted(set(positions) - self._claimed):
            mark = update(domain_events).where(e.position.in_(unclaimed)).values(delivered_at=now)
            await self._session.execute(mark)
        self._claimed = set()

    async def mark_undelivered(self, undelivered: Sequence[Undelivered], now: datetime) -> None:
        for item in undelivered:
            values: dict[str, Any] = {
                "attempts": e.attempts + 1,
                "last_error": item.error,
                "delivered_to": sorted(item.delivered_to),
            }
            if item.retry_at is None:  # given up: it counts as delivered, with the error kept
                values["delivered_at"] = now
            else:  # unmarked: the claim marked it delivered
                values |= {"available_at": item.retry_at, "delivered_at": None}
            await self._session.execute(update(domain_events).where(e.position == item.position).values(**values))

    async def purge_delivered(self, before: datetime, limit: int) -> int:
        # from the oldest on, along the key: the old rows come first, and nearly all are delivered
        oldest = (
            select(e.position)
            .where(and_(e.delivered_at.is_not(None), e.delivered_at < before))
            .order_by(e.position)
            .limit(limit)
        )
        gone = await self._session.execute(
            delete(domain_events).where(e.position.in_(oldest.scalar_subquery())).returning(e.position)
        )
        return len(gone.all())


def _stored(row: Any) -> StoredEvent:
    event = DomainEvent(row.type, row.aggregate_type, row.aggregate_id, row.occurred_at, row.data)
    return StoredEvent(row.id, row.position, event, row.attempts, frozenset(row.delivered_to or ()))
