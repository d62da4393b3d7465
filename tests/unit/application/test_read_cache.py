"""The stats and usage cache with in-memory fakes: a repeated read is a hit; a read after the relay
delivered a change is fresh (exactly: the event empties the area before any later read); entries
follow the visible scope, so nothing of one reader's view reaches another's; a change during a
computation is never hidden by that computation's result; off, it computes every time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from agentry.adapters.system.read_cache import MemoryReadCache
from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.read_cache import ALL, ReadCache
from agentry.application.read_cache import TASKS, USAGE, InvalidateReadCache, ReadThrough
from agentry.application.reports.get_usage_report import GetUsageReport, UsageQuery
from agentry.application.reports.ports import UsageGroup
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.task_stats import GetTaskStats
from agentry.domain.events import DomainEvent
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.script import Say, Spend
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ADMIN, ALICE, BOB, OTHERS, TEAM, FakeApp
from tests.fakes.read_cache import CountingReadCacheMetrics

BOTH = Principal(UUID(int=0xB07), "both", memberships={TEAM: ProjectRole.MEMBER, OTHERS: ProjectRole.MEMBER})


async def test_a_repeated_read_is_a_hit_and_a_status_change_makes_the_next_read_fresh() -> None:
    app = FakeApp()
    app.clock.tick = timedelta(0)
    task = await app.submit(ALICE)
    first = await app.use(GetTaskStats)(ALICE)
    again = await app.use(GetTaskStats)(ALICE)
    assert again == first and first.counts == {TaskStatus.QUEUED: 1}
    assert (app.cache_counts.misses[TASKS], app.cache_counts.hits[TASKS]) == (1, 1)

    await app.use(CancelTask)(ALICE, task.id)  # the relay delivers its event before this returns
    after = await app.use(GetTaskStats)(ALICE)
    assert after.counts == {TaskStatus.CANCELLED: 1}
    assert app.cache_counts.misses[TASKS] == 2

    await app.submit(ALICE)
    assert (await app.use(GetTaskStats)(ALICE)).total == 2


async def test_a_change_in_one_project_leaves_the_entries_of_readers_who_cannot_see_it() -> None:
    app = FakeApp()
    await app.submit(ALICE)
    await app.submit(BOB)
    await app.use(GetTaskStats)(ALICE)
    await app.use(GetTaskStats)(ADMIN)
    await app.use(GetTaskStats)(BOTH)
    await app.submit(BOB)  # in OTHERS, which Alice does not see
    assert (await app.use(GetTaskStats)(ALICE)).total == 1
    assert app.cache_counts.hits[TASKS] == 1, "Alice's entry stayed"
    assert (await app.use(GetTaskStats)(ADMIN)).total == 3, "a read of everything is emptied by any change"
    assert (await app.use(GetTaskStats)(BOTH)).total == 3, "so is one that covers the project"
    assert app.cache_counts.hits[TASKS] == 1


async def test_the_backlog_wait_moves_with_the_clock_while_the_entry_is_cached() -> None:
    app = FakeApp()
    app.clock.tick = timedelta(0)
    await app.submit(ALICE)
    app.clock.advance(seconds=10)
    assert (await app.use(GetTaskStats)(ALICE)).backlog[0].oldest_wait_s == pytest.approx(10.0)
    app.clock.advance(seconds=50)
    cached = await app.use(GetTaskStats)(ALICE)
    assert app.cache_counts.hits[TASKS] == 1
    assert cached.backlog[0].oldest_wait_s == pytest.approx(60.0)


async def test_entries_follow_the_visible_scope_so_nothing_leaks_across_readers_or_projects() -> None:
    app = FakeApp()
    await app.submit(ALICE)
    await app.submit(ALICE)
    await app.submit(BOB)
    assert (await app.use(GetTaskStats)(ALICE)).total == 2
    assert (await app.use(GetTaskStats)(BOB)).total == 1, "Bob is not served Alice's entry"
    assert (await app.use(GetTaskStats)(ADMIN)).total == 3
    assert (await app.use(GetTaskStats)(BOTH)).total == 3
    assert (await app.use(GetTaskStats)(BOTH, project_id=OTHERS)).total == 1
    assert (await app.use(GetTaskStats)(BOTH, project_id=TEAM)).total == 2
    # BOTH asking for one project sees what its only reader sees: the same entry, rightly shared.
    assert app.cache_counts.hits[TASKS] == 2, "four scopes, four entries"
    # Alice joins Bob's project: her scope is another one, so she is not served her old entry.
    wider = Principal(ALICE.id, ALICE.name, memberships={TEAM: ProjectRole.MEMBER, OTHERS: ProjectRole.MEMBER})
    assert (await app.use(GetTaskStats)(wider)).total == 3
    assert app.cache_counts.hits[TASKS] == 3, "the same scope as BOTH's: the same figures, shared"


async def test_an_ended_execution_makes_the_next_usage_report_fresh_and_scopes_stay_apart() -> None:
    app = FakeApp()
    await app.submit(ALICE, script=(Spend(1.5), Say("done")))
    await app.relay()
    await app.run_next()
    alice = await app.use(GetUsageReport)(ALICE, UsageQuery(UsageGroup.PROJECT))
    assert {row.key: row.totals.cost_usd for row in alice.rows} == {TEAM: 1.5}
    assert (await app.use(GetUsageReport)(BOB, UsageQuery(UsageGroup.PROJECT))).rows == []
    assert await app.use(GetUsageReport)(ALICE, UsageQuery(UsageGroup.PROJECT)) == alice
    assert app.cache_counts.hits[USAGE] == 1

    await app.submit(ALICE, script=(Spend(2.0), Say("done")))
    await app.relay()
    await app.run_next()
    await app.settle()
    fresh = await app.use(GetUsageReport)(ALICE, UsageQuery(UsageGroup.PROJECT))
    assert {row.key: row.totals.cost_usd for row in fresh.rows} == {TEAM: 3.5}
    by_day = await app.use(GetUsageReport)(ALICE, UsageQuery(UsageGroup.DAY))
    assert [row.key for row in by_day.rows] == [app.clock.now().date()], "keys come back as dates"


async def test_a_change_during_a_computation_is_not_hidden_by_its_result() -> None:
    cache = MemoryReadCache(ttl_s=60.0)
    read = ReadThrough(cache, CountingReadCacheMetrics())
    truth = {"n": 1}

    async def compute_then_change() -> int:
        seen = truth["n"]
        truth["n"] = 2
        await cache.invalidate((TASKS,), ["p:1"])  # the change's event is delivered while this read computes
        return seen

    async def compute() -> int:
        return truth["n"]

    assert await read(TASKS, "k", ["p:1"], compute_then_change, str, int) == 1
    assert await read(TASKS, "k", ["p:1"], compute, str, int) == 2, "the stale result was not served"


async def test_entries_expire_after_their_time_to_live() -> None:
    now = [0.0]
    cache = MemoryReadCache(ttl_s=5.0, clock=lambda: now[0])
    found = await cache.lookup(TASKS, "k", [ALL])
    await cache.store(TASKS, "k", found.generation, "v")
    now[0] = 4.9
    assert (await cache.lookup(TASKS, "k", [ALL])).value == "v"
    now[0] = 5.0
    assert (await cache.lookup(TASKS, "k", [ALL])).value is None


async def test_off_every_read_computes_and_nothing_is_counted() -> None:
    cache: ReadCache = MemoryReadCache(ttl_s=60.0)
    counts = CountingReadCacheMetrics()
    read = ReadThrough(cache, counts, enabled=False)
    calls = []

    async def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [await read(TASKS, "k", ["p:1"], compute, str, int) for _ in range(3)] == [1, 2, 3]
    assert not counts.hits and not counts.misses


class RecordingCache(MemoryReadCache):
    def __init__(self) -> None:
        super().__init__(ttl_s=60.0)
        self.invalidated: list[tuple[tuple[str, ...], list[str]]] = []
        self.failing = False

    async def invalidate(self, areas: Iterable[str], parts: Iterable[str]) -> None:
        if self.failing:
            raise ConnectionError("Redis is down")
        self.invalidated.append((tuple(areas), sorted(parts)))


def stored(event_type: str, aggregate_id: UUID, **data: object) -> StoredEvent:
    event = DomainEvent(event_type, event_type.split(".")[0], aggregate_id, datetime(2026, 1, 1, tzinfo=UTC), data)
    return StoredEvent(uuid4(), 1, event)


async def test_the_subscriber_empties_what_each_event_changed() -> None:
    cache = RecordingCache()
    subscriber = InvalidateReadCache(cache)
    assert subscriber.wants("task.queued") and subscriber.wants("task.deleted") and subscriber.wants("project.deleted")
    assert not subscriber.wants("task.updated") and not subscriber.wants("project.member_added")
    task, owner = uuid4(), uuid4()
    await subscriber.handle(stored("task.queued", task, project_id=str(TEAM), owner_id=str(owner)))
    ended = {"project_id": str(TEAM), "owner_id": str(owner), "run": {"status": "succeeded"}}
    await subscriber.handle(stored("task.succeeded", task, **ended))
    await subscriber.handle(stored("project.deleted", OTHERS, project_id=str(OTHERS)))
    assert cache.invalidated == [
        ((TASKS,), [f"p:{TEAM}"]),
        ((TASKS, USAGE), [f"p:{TEAM}", f"u:{owner}"]),
        ((TASKS, USAGE), [f"p:{OTHERS}"]),
    ]


async def test_a_relay_pass_empties_what_its_whole_batch_changed_at_once_and_then_nothing() -> None:
    cache = RecordingCache()
    subscriber = InvalidateReadCache(cache)
    task, other, owner = uuid4(), uuid4(), uuid4()
    queued = [stored("task.queued", t, project_id=str(OTHERS), owner_id=str(owner)) for t in (task, other)]
    ended = stored("task.succeeded", task, project_id=str(TEAM), owner_id=str(owner), run={"status": "succeeded"})
    edited = stored("task.updated", other, project_id=str(ADMIN.id), owner_id=str(owner))
    batch = [*queued, ended, edited]
    await subscriber.prepare(batch)
    for one in batch:
        await subscriber.handle(one)
    assert cache.invalidated == [
        ((TASKS,), sorted([f"p:{OTHERS}", f"p:{TEAM}", f"u:{owner}"])),
        ((USAGE,), sorted([f"p:{TEAM}", f"u:{owner}"])),
    ]


async def test_a_pass_that_cannot_empty_at_once_leaves_it_to_each_event() -> None:
    cache = RecordingCache()
    subscriber = InvalidateReadCache(cache)
    queued = stored("task.queued", uuid4(), project_id=str(TEAM), owner_id=str(uuid4()))
    await subscriber.prepare([queued])  # a pass that emptied at once
    cache.failing = True
    await subscriber.prepare([queued])  # the next one could not
    cache.failing = False
    await subscriber.handle(queued)
    assert cache.invalidated == [((TASKS,), [f"p:{TEAM}"]), ((TASKS,), [f"p:{TEAM}"])]
