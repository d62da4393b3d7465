"""The event outbox: a change and the events its aggregates recorded are committed together or not at
all, and the relay's store hands them out under a lease, in order per aggregate. Every adapter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentry.application.errors import ConcurrentUpdate
from agentry.application.outbox.ports import Undelivered
from tests.contract.builders import make_task, moment

LEASE = timedelta(seconds=30)
LATER = moment(100_000)  # every event here occurred before this


async def claim(storage, now=LATER, limit=50):  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        claimed = await p.events.claim(now, now + LEASE, limit)
        await p.uow.commit()
    return claimed


async def submitted(storage, *tasks):  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        for task in tasks:
            await p.tasks.add(task)
        await p.uow.commit()
    return tasks


async def test_a_transition_and_its_event_are_committed_together(storage) -> None:  # type: ignore[no-untyped-def]
    [task] = await submitted(storage, make_task())
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        loaded.cancel(moment(50_000))
        await p.uow.commit()

    events = [stored.event for stored in await claim(storage)]
    assert [(e.type, e.aggregate_id) for e in events] == [("task.queued", task.id), ("task.cancelled", task.id)]
    assert events[1].data["previous_status"] == "queued"
    assert events[1].data["project_id"] == str(task.project_id)
    assert events[1].occurred_at == moment(50_000)


async def test_a_rolled_back_transition_leaves_neither_the_change_nor_its_event(storage) -> None:  # type: ignore[no-untyped-def]
    [task] = await submitted(storage, make_task())
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        loaded.cancel(moment(50_000))
        await p.uow.rollback()
        await p.uow.commit()  # nothing is left to write: the event went with the rollback

    async with storage.scope() as p:
        assert (await p.tasks.get(task.id)).status.value == "queued"
    assert [stored.event.type for stored in await claim(storage)] == ["task.queued"]


async def test_a_commit_that_fails_writes_no_event(storage) -> None:  # type: ignore[no-untyped-def]
    if storage.name == "sqlite":
        pytest.skip("two transactions at once: the SQLite adapter has one connection, one writer at a time")
    [task] = await submitted(storage, make_task())
    async with storage.scope() as first, storage.scope() as second:
        mine = await first.tasks.get(task.id)
        theirs = await second.tasks.get(task.id)
        theirs.cancel(moment(50_000))
        await second.uow.commit()
        mine.cancel(moment(50_001))  # from the copy read before theirs was committed
        with pytest.raises(ConcurrentUpdate):
            await first.uow.commit()
    assert [stored.event.type for stored in await claim(storage)] == ["task.queued", "task.cancelled"]


async def test_events_are_claimed_in_order_under_a_lease_and_come_back_once_it_lapses(storage) -> None:  # type: ignore[no-untyped-def]
    tasks = await submitted(storage, make_task(), make_task(), make_task())
    first = await claim(storage, limit=2)
    assert [s.event.aggregate_id for s in first] == [tasks[0].id, tasks[1].id]
    assert [s.attempts for s in first] == [1, 1]
    assert [s.position for s in first] == sorted(s.position for s in first)
    rest = await claim(storage)
    assert [s.event.aggregate_id for s in rest] == [tasks[2].id], "leased events are not claimed twice"

    crashed = await claim(storage, LATER + LEASE + timedelta(seconds=1))  # nobody marked them: a crash
    assert [s.id for s in crashed] == [s.id for s in first + rest]
    assert {s.attempts for s in crashed} == {2}


async def test_an_aggregates_later_events_wait_while_an_earlier_one_is_out(storage) -> None:  # type: ignore[no-untyped-def]
    [task, other] = await submitted(storage, make_task(), make_task())
    [first] = await claim(storage, limit=1)
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        loaded.cancel(moment(50_000))
        await p.uow.commit()

    assert [s.event.aggregate_id for s in await claim(storage)] == [other.id], "task.cancelled waits for task.queued"
    async with storage.scope() as p:
        await p.events.mark_undelivered([Undelivered(first.id, frozenset({"a"}), "down", LATER + LEASE)], LATER)
        await p.uow.commit()
    assert await claim(storage, LATER + timedelta(seconds=1)) == [], "backing off, it still holds the later one"

    again = await claim(storage, LATER + LEASE + timedelta(seconds=1))
    retried = [s for s in again if s.event.aggregate_id == task.id]
    assert (retried[0].id, retried[0].delivered_to) == (first.id, frozenset({"a"}))
    assert [s.event.type for s in retried] == ["task.queued", "task.cancelled"]


async def test_delivered_events_are_done_given_up_ones_too_and_released_ones_come_back(storage) -> None:  # type: ignore[no-untyped-def]
    await submitted(storage, make_task(), make_task(), make_task())
    delivered, given_up, released = await claim(storage)
    async with storage.scope() as p:
        await p.events.mark_delivered([delivered.id], LATER)
        await p.events.mark_undelivered([Undelivered(given_up.id, frozenset(), "broken", None)], LATER)
        await p.events.release([released.id])
        await p.uow.commit()

    [again] = await claim(storage)
    assert (again.id, again.attempts) == (released.id, 1), "a release does not count as an attempt"


async def test_purge_deletes_only_what_was_delivered_before_the_cut(storage) -> None:  # type: ignore[no-untyped-def]
    await submitted(storage, make_task(), make_task(), make_task())
    old, recent, waiting = await claim(storage)
    async with storage.scope() as p:
        await p.events.mark_delivered([old.id], LATER)
        await p.events.mark_delivered([recent.id], LATER + timedelta(days=2))
        await p.events.release([waiting.id])
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.events.purge_delivered(LATER + timedelta(days=1), 100) == 1
        await p.uow.commit()
    assert [s.id for s in await claim(storage)] == [waiting.id]
    async with storage.scope() as p:
        assert await p.events.purge_delivered(LATER + timedelta(days=3), 100) == 1
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.events.purge_delivered(LATER + timedelta(days=3), 100) == 0
