"""The event outbox of the in-memory database: events written on commit with the changes that recorded
them, and the relay's store (claimed under a lease, in order per aggregate, marked, purged), as the
SQL adapter does it; tests/contract/test_event_outbox.py holds both to the same behaviour."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import TYPE_CHECKING, Any
from uuid import UUID

from agentry.application.outbox.ports import StoredEvent, Undelivered
from agentry.domain.events import Aggregate, DomainEvent, in_recorded_order

if TYPE_CHECKING:
    from tests.fakes.memory import MemoryDatabase, MemorySession


@dataclass
class EventRow:
    position: int
    id: UUID
    event: DomainEvent
    available_at: datetime
    leased_until: datetime | None = None
    attempts: int = 0
    delivered_to: frozenset[str] = frozenset()
    delivered_at: datetime | None = None
    last_error: str | None = None


def take_recorded(objects: Iterable[Any]) -> list[DomainEvent]:
    numbered = [pair for obj in objects if isinstance(obj, Aggregate) for pair in obj.pull_numbered()]
    return in_recorded_order(numbered)


def tracked(session: MemorySession) -> Iterable[Any]:
    return chain(session.tasks.values(), session.rows.values(), session.new_rows.values())


def write(db: MemoryDatabase, events: Sequence[DomainEvent]) -> None:
    for event in events:
        position = len(db.events) + 1
        db.events.append(EventRow(position, UUID(int=position), event, event.occurred_at))


class MemoryEventStore:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    @property
    def _rows(self) -> list[EventRow]:
        self._s.db.reach()
        return self._s.db.events

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[StoredEvent]:
        waiting: set[UUID] = set()  # aggregates with an earlier event that is held elsewhere or backing off
        claimed: list[StoredEvent] = []
        for row in self._rows:
            if row.delivered_at is not None:
                continue
            aggregate = row.event.aggregate_id
            free = row.available_at <= now and (row.leased_until is None or row.leased_until <= now)
            if not free:
                waiting.add(aggregate)
                continue
            if aggregate in waiting or len(claimed) == limit:
                continue
            row.leased_until, row.attempts = lease_until, row.attempts + 1  # at once, as UPDATE ... RETURNING
            claimed.append(StoredEvent(row.id, row.position, row.event, row.attempts, row.delivered_to))
        return claimed

    async def mark_delivered(self, event_ids: Sequence[UUID], now: datetime) -> None:
        wanted = set(event_ids)
        self._s.job_ops.append(lambda db: _update(db, wanted, delivered_at=now, leased_until=None))

    async def mark_undelivered(self, undelivered: Sequence[Undelivered], now: datetime) -> None:
        for item in undelivered:
            changes: dict[str, Any] = {
                "leased_until": None,
                "last_error": item.error,
                "delivered_to": item.delivered_to,
            }
            changes |= {"delivered_at": now} if item.retry_at is None else {"available_at": item.retry_at}
            self._s.job_ops.append(lambda db, changes=changes, item=item: _update(db, {item.event_id}, **changes))

    async def release(self, event_ids: Sequence[UUID]) -> None:
        def give_back(db: MemoryDatabase) -> None:
            for row in db.events:
                if row.id in event_ids:
                    row.leased_until, row.attempts = None, row.attempts - 1

        self._s.job_ops.append(give_back)

    async def purge_delivered(self, before: datetime, limit: int) -> int:
        old = [r for r in self._rows if r.delivered_at is not None and r.delivered_at < before][:limit]
        gone = {r.id for r in old}
        self._s.job_ops.append(
            lambda db: db.events.__setitem__(slice(None), [r for r in db.events if r.id not in gone])
        )
        return len(old)


def _update(db: MemoryDatabase, event_ids: set[UUID], **changes: Any) -> None:
    for row in db.events:
        if row.id in event_ids:
            for name, value in changes.items():
                setattr(row, name, value)
