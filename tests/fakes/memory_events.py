"""The event outbox of the in-memory database: events written on commit with the changes that recorded
them, and the relay's store (claimed in order per aggregate, marked, purged), as the SQL adapter does
it; tests/contract/test_event_outbox.py holds both to the same behaviour."""

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
    attempts: int = 0  # failed deliveries
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

    async def claim(self, now: datetime, limit: int) -> list[StoredEvent]:
        self._s.db.reach()
        backing_off: set[UUID] = set()  # aggregates with an earlier event that waits for its retry
        claimed: list[StoredEvent] = []
        for row in self._s.db.events:
            if row.delivered_at is not None:
                continue
            if row.available_at > now:
                if row.attempts:
                    backing_off.add(row.event.aggregate_id)
            elif row.event.aggregate_id not in backing_off and len(claimed) < limit:
                claimed.append(StoredEvent(row.id, row.position, row.event, row.attempts, row.delivered_to))
        return claimed

    async def mark_delivered(self, positions: Sequence[int], now: datetime) -> None:
        wanted = set(positions)
        self._s.job_ops.append(lambda db: _update(db, wanted, delivered_at=now))

    async def mark_undelivered(self, undelivered: Sequence[Undelivered], now: datetime) -> None:
        for item in undelivered:
            changes: dict[str, Any] = {"last_error": item.error, "delivered_to": item.delivered_to}
            changes |= {"delivered_at": now} if item.retry_at is None else {"available_at": item.retry_at}

            def mark(db: MemoryDatabase, item: Undelivered = item, changes: dict[str, Any] = changes) -> None:
                _update(db, {item.position}, **changes)
                for row in db.events:
                    if row.position == item.position:
                        row.attempts += 1

            self._s.job_ops.append(mark)

    async def purge_delivered(self, before: datetime, limit: int) -> int:
        self._s.db.reach()
        old = [r for r in self._s.db.events if r.delivered_at is not None and r.delivered_at < before][:limit]
        gone = {r.id for r in old}

        def purge(db: MemoryDatabase) -> None:
            db.events[:] = [r for r in db.events if r.id not in gone]

        self._s.job_ops.append(purge)
        return len(old)


def _update(db: MemoryDatabase, positions: set[int], **changes: Any) -> None:
    for row in db.events:
        if row.position in positions:
            for name, value in changes.items():
                setattr(row, name, value)
