"""The ports of the event outbox: where recorded events wait, and who receives them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable
from uuid import UUID

from agentry.domain.events import DomainEvent


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the outbox keeps it: with its id (stable across redeliveries, for subscribers to
    recognise a repeat), its place in the outbox, the failed deliveries so far, and the subscribers
    that already have it."""

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

    position: int
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


@runtime_checkable
class PreparesForBatch(Protocol):
    """A subscriber that looks at a pass's whole batch before its events are handed out, once a pass: to
    read in one go what handling them will need (a subscriber made for each pass keeps it until the
    pass ends). It runs in the pass's transaction; a failure fails the pass, which is tried again."""

    async def prepare(self, batch: Sequence[StoredEvent]) -> None: ...


class EventStore(Protocol):
    """The outbox's events, for the relay. A relay delivers a batch in one transaction: it claims the
    batch (relays take turns, so no two deliver at once), hands it out, marks it, commits. A relay that
    dies mid-way commits nothing, and the next one delivers the batch again."""

    async def claim(self, now: datetime, limit: int) -> list[StoredEvent]:
        """Up to `limit` undelivered events due by `now`, oldest first; none if another relay is
        delivering now (it will deliver these too). An event is left while an earlier one of its
        aggregate is backing off after a failure, so each aggregate's events are delivered in order."""
        ...

    async def mark_delivered(self, positions: Sequence[int], now: datetime) -> None: ...

    async def mark_undelivered(self, undelivered: Sequence[Undelivered], now: datetime) -> None:
        """Count a failed delivery each, and remember who has the event."""
        ...

    async def purge_delivered(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` events delivered before `before`; how many went."""
        ...
