"""The ports of the event outbox: where recorded events wait, and who receives them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.domain.events import DomainEvent


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the outbox keeps it: with its id (stable across redeliveries, for subscribers to
    recognise a repeat), its place in the outbox, and the subscribers that already have it."""

    id: UUID
    position: int
    event: DomainEvent
    attempts: int = 0
    delivered_to: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Undelivered:
    """An event some subscribers could not take: those that did are remembered, and it is offered
    again from `retry_at` to the others. With no `retry_at` it is given up (after too many attempts):
    it counts as delivered, with the error kept."""

    event_id: UUID
    delivered_to: frozenset[str]
    error: str
    retry_at: datetime | None


class EventSubscriber(Protocol):
    """Receives the events it wants, at least once each, in order per aggregate. A failure (it
    raises) is retried later with back-off; the events after it of the same aggregate wait for it."""

    @property
    def name(self) -> str:
        """Stable across releases: the outbox remembers which subscribers have an event by name."""
        ...

    def wants(self, event_type: str) -> bool: ...

    async def handle(self, event: StoredEvent) -> None: ...


class EventStore(Protocol):
    """The outbox's events, for the relay: claimed under a lease, marked once delivered."""

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[StoredEvent]:
        """Up to `limit` undelivered events due by `now`, oldest first, leased until `lease_until`.
        An event is not claimed while an earlier one of its aggregate waits (leased elsewhere, or
        failed and not yet due again), so each aggregate's events are delivered in order."""
        ...

    async def mark_delivered(self, event_ids: Sequence[UUID], now: datetime) -> None: ...

    async def mark_undelivered(self, undelivered: Sequence[Undelivered], now: datetime) -> None: ...

    async def release(self, event_ids: Sequence[UUID]) -> None:
        """Give back, untried, events claimed but not handed out (an earlier one of their aggregate failed)."""
        ...

    async def purge_delivered(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` events delivered before `before`; how many went."""
        ...
