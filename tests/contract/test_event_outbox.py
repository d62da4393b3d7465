"""The event outbox: a change and the events its aggregates recorded are committed together or not at
all, and the relay's store hands them out oldest first, in order per aggregate, one relay at a time.
Every adapter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentry.application.errors import ConcurrentUpdate
from agentry.application.outbox.ports import Undelivered
from tests.contract.builders import make_task, moment

LATER = moment(100_000)  # every event here occurred before this
BACK_OFF = timedelta(seconds=30)


async def claim(storage, now=LATER, limit=50):  # type: ignore[no-untyped-def]
    """What a relay's pass would claim now (the pass ends without marking anything)."""
    async with storage.scope() as p:
        claimed = await p.events.claim(now, limit)
        await p.uow.rollback()
    return claimed


async def mark(storage, delivered=(), undelivered=(), now=LATER):  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        await p.events.claim(now, 50)
        await p.events.mark_delivered(list(delivered), now)
        await p.events.mark_undelivered(list(undelivered), now)
        await p.uow.commit()


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


async def test_events_are_claimed_oldest_first_and_stay_until_a_pass_marks_them(storage) -> None:  # type: ignore[no-untyped-def]
    tasks = await submitted(storage, make_task(), make_task(), make_task())
    first = await claim(storage, limit=2)
    assert [s.event.aggregate_id for s in first] == [tasks[0].id, tasks[1].id]
    assert [s.position for s in first] == sorted(s.position for s in first)
    assert [s.id for s in await claim(storage, limit=2)] == [s.id for s in first], "unmarked: the relay died"

    await mark(storage, delivered=[s.position for s in first])
    assert [s.event.aggregate_id for s in await claim(storage)] == [tasks[2].id]


async def test_an_aggregates_later_events_wait_while_an_earlier_one_backs_off(storage) -> None:  # type: ignore[no-untyped-def]
    [task, other] = await submitted(storage, make_task(), make_task())
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        loaded.cancel(moment(50_000))
        await p.uow.commit()
    first = (await claim(storage))[0]
    assert first.event.aggregate_id == task.id and first.event.type == "task.queued"

    await mark(storage, undelivered=[Undelivered(first.position, frozenset({"a"}), "down", LATER + BACK_OFF)])
    assert [s.event.aggregate_id for s in await claim(storage)] == [other.id], "task.cancelled waits for task.queued"

    retried = [s for s in await claim(storage, LATER + BACK_OFF) if s.event.aggregate_id == task.id]
    assert [s.event.type for s in retried] == ["task.queued", "task.cancelled"]
    assert (retried[0].id, retried[0].attempts, retried[0].delivered_to) == (first.id, 1, frozenset({"a"}))


async def test_delivered_and_given_up_events_are_done(storage) -> None:  # type: ignore[no-untyped-def]
    await submitted(storage, make_task(), make_task(), make_task())
    delivered, given_up, waiting = await claim(storage)
    await mark(
        storage,
        delivered=[delivered.position],
        undelivered=[Undelivered(given_up.position, frozenset(), "broken", None)],
    )

    [again] = await claim(storage)
    assert (again.id, again.attempts) == (waiting.id, 0)


async def test_purge_deletes_only_what_was_delivered_before_the_cut(storage) -> None:  # type: ignore[no-untyped-def]
    await submitted(storage, make_task(), make_task(), make_task())
    old, recent, waiting = await claim(storage)
    await mark(storage, delivered=[old.position])
    await mark(storage, delivered=[recent.position], now=LATER + timedelta(days=2))
    async with storage.scope() as p:
        assert await p.events.purge_delivered(LATER + timedelta(days=1), 100) == 1
        await p.uow.commit()
    assert [s.id for s in await claim(storage, LATER + timedelta(days=3))] == [waiting.id]
    async with storage.scope() as p:
        assert await p.events.purge_delivered(LATER + timedelta(days=3), 100) == 1
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.events.purge_delivered(LATER + timedelta(days=3), 100) == 0


async def test_relays_take_turns_a_second_one_claims_nothing_while_the_first_delivers(storage) -> None:  # type: ignore[no-untyped-def]
    if storage.name != "postgres":
        pytest.skip("one relay at a time by construction here (one writer, or one process)")
    await submitted(storage, make_task())
    async with storage.scope() as first, storage.scope() as second:
        assert len(await first.events.claim(LATER, 50)) == 1
        assert await second.events.claim(LATER, 50) == [], "the first relay's pass is still going"
        await first.uow.rollback()
        assert len(await second.events.claim(LATER, 50)) == 1
