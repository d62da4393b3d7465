"""The event relay: hands the events the outbox holds to every subscriber that wants them.

One pass is one transaction: claim a batch of undelivered events (relays take turns; an event whose
aggregate has an earlier one backing off is left, so each aggregate's events go out in order), hand
each to the subscribers that want it and do not have it yet, then mark the batch: delivered; or, where
a subscriber failed, to be offered again after a back-off to the subscribers that have not taken it
(the later events of that aggregate in the batch are left untried). A relay that dies mid-pass commits
nothing: the next pass delivers the batch again, so a subscriber may see an event twice (the event id
tells it) but never misses one. Subscribers are meant to be quick (a publish, a row written); one
that calls out to the world should queue the call and return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from uuid import UUID

from agentry.application.access import require
from agentry.application.outbox.ports import (
    EventStore,
    EventSubscriber,
    PreparesForBatch,
    StoredEvent,
    Undelivered,
)
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class EventRelaySettings:
    batch_size: int = 200
    retry_min_s: float = 1.0
    retry_max_s: float = 300.0
    max_attempts: int = 20  # about an hour and a half of tries at the longest back-off

    def retry_in(self, failures: int) -> float:
        backoff: float = self.retry_min_s * 2.0 ** max(0, failures - 1)
        return min(self.retry_max_s, backoff)


@dataclass(frozen=True, slots=True)
class Subscribers:
    """Every subscriber of this deployment, in the order each event is handed to them."""

    all: Sequence[EventSubscriber]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    given_up: int = 0
    full_batch: bool = False
    failures: list[str] = field(default_factory=list)  # "subscriber: event type id: error", for the log


@dataclass(frozen=True, slots=True)
class DeliverEvents:
    store: EventStore
    subscribers: Subscribers
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    settings: EventRelaySettings

    async def __call__(self, actor: Principal) -> DeliveryReport:
        require(self.policy, actor, Action.DISPATCH_WORK)
        batch = await self.store.claim(self.clock.now(), self.settings.batch_size)
        if not batch:  # the claim changed nothing: committed, as cheaply as rolled back (on PostgreSQL more
            await self.uow.commit()  # cheaply: psycopg follows a ROLLBACK with DEALLOCATE ALL, a round trip)
            return DeliveryReport()
        for subscriber in self.subscribers.all:
            if _prepares_for_batch(type(subscriber)):
                await subscriber.prepare(batch)  # type: ignore[attr-defined]  # it is a PreparesForBatch

        delivered: list[int] = []
        undelivered: list[Undelivered] = []
        blocked: set[UUID] = set()  # aggregates whose earlier event failed in this pass
        failures: list[str] = []
        wanting: dict[str, list[tuple[str, EventSubscriber]]] = {}  # by event type: asked once a pass
        for stored in batch:
            if stored.event.aggregate_id in blocked:
                continue  # left as it is: it goes out after the one that failed
            kind = stored.event.type
            if (takers := wanting.get(kind)) is None:
                takers = wanting[kind] = [(s.name, s) for s in self.subscribers.all if s.wants(kind)]
            if (failed := await self._hand_out(stored, takers, failures)) is None:
                delivered.append(stored.position)
                continue
            blocked.add(stored.event.aggregate_id)
            undelivered.append(self._undelivered(stored, *failed))

        now = self.clock.now()
        await self.store.mark_delivered(delivered, now)
        await self.store.mark_undelivered(undelivered, now)
        await self.uow.commit()
        given_up = sum(1 for u in undelivered if u.retry_at is None)
        return DeliveryReport(
            delivered=len(delivered),
            retrying=len(undelivered) - given_up,
            given_up=given_up,
            full_batch=len(batch) == self.settings.batch_size,
            failures=failures,
        )

    async def _hand_out(
        self, stored: StoredEvent, takers: list[tuple[str, EventSubscriber]], failures: list[str]
    ) -> tuple[frozenset[str], str] | None:
        """Hand the event to each of the subscribers that want it (`takers`, in order) that lacks it; stop
        at the first failure. None if all have it now; else those that have it, and the failure."""
        had = stored.delivered_to
        for index, (name, subscriber) in enumerate(takers):
            if name in had:
                continue
            try:
                await subscriber.handle(stored)
            except Exception as error:  # any subscriber's failure is retried, never lost or fatal
                message = f"{type(error).__name__}: {error}"
                failures.append(f"{name}: {stored.event.type} {stored.id}: {message}")
                return had.union(taken for taken, _ in takers[:index]), message
        return None

    def _undelivered(self, stored: StoredEvent, done: frozenset[str], error: str) -> Undelivered:
        failures = stored.attempts + 1
        if failures >= self.settings.max_attempts:
            return Undelivered(stored.position, done, error, None)
        retry_at: datetime = self.clock.now() + timedelta(seconds=self.settings.retry_in(failures))
        return Undelivered(stored.position, done, error, retry_at)


@cache
def _prepares_for_batch(kind: type) -> bool:
    """Asked once a class: a runtime Protocol check walks the protocol's members on every call, which was
    a dozen walks a pass."""
    return issubclass(kind, PreparesForBatch)
