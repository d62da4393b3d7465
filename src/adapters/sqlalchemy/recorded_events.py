"""The events a unit of work's aggregates recorded, written to the outbox in its transaction: taken
from the aggregates as each flush writes them (a deleted object leaves the session with the flush) and at
commit, forgotten on rollback. Shared by every capability's unit of work; the relay's side of the outbox
is outbox/events.py."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from itertools import chain
from typing import Any
from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.orm import Session

from agentry.adapters.sqlalchemy.outbox.tables import domain_events
from agentry.adapters.sqlalchemy.pipelined_begin import carrying_commit
from agentry.domain.events import Aggregate, DomainEvent, in_recorded_order

_STASH = "agentry.recorded_events"
# A Core statement on the session's connection (the ORM's execute around it cost as much again), and
# inline: its position is not read back (a single row's insert would otherwise add RETURNING).
_INSERT = insert(domain_events).inline()


def stash_recorded(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Before each flush: keep the events of the aggregates it writes (a deleted object leaves the
    session with the flush, so its events are taken now)."""
    numbered = [
        pair
        for obj in chain(session.new, session.dirty, session.deleted)
        if isinstance(obj, Aggregate)
        for pair in obj.pull_numbered()
    ]
    if numbered:
        session.info.setdefault(_STASH, []).extend(numbered)


def stash_events(session: Session, aggregate: Aggregate) -> None:
    """The events of an aggregate written without the flush (and so out of the session): for the commit."""
    if numbered := aggregate.pull_numbered():
        session.info.setdefault(_STASH, []).extend(numbered)


def take_recorded(session: Session) -> list[DomainEvent]:
    """Every event recorded by the aggregates of this unit of work since the last take, in order."""
    numbered: list[tuple[int, DomainEvent]] = session.info.pop(_STASH, [])
    for obj in chain(session.identity_map.values(), session.new):
        if isinstance(obj, Aggregate):
            numbered += obj.pull_numbered()
    return in_recorded_order(numbered)


def forget_recorded(session: Session) -> None:
    """A rollback: the events of what was rolled back never happened."""
    take_recorded(session)


def write_recorded(session: Session, new_id: Callable[[], UUID], *, then_commit: bool = False) -> int:
    """Write the recorded events to the outbox in the session's transaction; how many. Called after
    the flush (in the unit of work's commit, run in the session's greenlet). `then_commit`: the
    transaction's commit comes next, with nothing written in between; on PostgreSQL the insert then
    carries the COMMIT (pipelined_begin.py), one round trip fewer, and the session's commit sends none."""
    events = take_recorded(session)
    if events:
        connection = session.connection()
        rows = [_row(event, new_id()) for event in events]
        with carrying_commit(connection.connection.driver_connection) if then_commit else nullcontext():
            connection.execute(_INSERT, rows)
    return len(events)


def _row(event: DomainEvent, event_id: UUID) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event.type,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "occurred_at": event.occurred_at,
        "data": dict(event.data),
        "available_at": event.occurred_at,
        "attempts": 0,
    }
