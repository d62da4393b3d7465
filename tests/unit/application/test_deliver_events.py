"""The event relay hands every event to every subscriber that wants it, at least once, in order per
aggregate; a failing subscriber is tried again later, alone, and holds back only its aggregate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from agentry.application.outbox.deliver_events import DeliverEvents, EventRelaySettings, Subscribers
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.events import DomainEvent
from tests.fakes.app import SYSTEM
from tests.fakes.memory import MemoryDatabase, MemoryUnitOfWork
from tests.fakes.memory_events import MemoryEventStore, write
from tests.fakes.policy import TablePolicy
from tests.fakes.system import EPOCH, FakeClock

SETTINGS = EventRelaySettings(batch_size=50, retry_min_s=1.0, retry_max_s=8.0, max_attempts=3)


@dataclass
class Recorder:
    name: str
    prefix: str = ""
    failing: bool = False
    seen: list[tuple[UUID, str]] = field(default_factory=list)

    def wants(self, event_type: str) -> bool:
        return event_type.startswith(self.prefix)

    async def handle(self, event: StoredEvent) -> None:
        if self.failing:
            raise ConnectionError(f"{self.name} is down")
        self.seen.append((event.event.aggregate_id, event.event.type))


def event(aggregate: UUID, kind: str) -> DomainEvent:
    return DomainEvent(kind, "task", aggregate, EPOCH, {"n": kind})


async def deliver(db: MemoryDatabase, clock: FakeClock, *subscribers: Recorder) -> int:
    session = db.session()
    relay = DeliverEvents(
        MemoryEventStore(session), Subscribers(subscribers), TablePolicy(), MemoryUnitOfWork(session), clock, SETTINGS
    )
    report = await relay(SYSTEM)
    await session.rollback()
    return report.delivered


async def test_each_subscriber_gets_the_events_it_wants_in_order() -> None:
    db, clock = MemoryDatabase(), FakeClock()
    a, b = uuid4(), uuid4()
    write(db, [event(a, "task.queued"), event(b, "project.created"), event(a, "task.started")])
    tasks, everything = Recorder("tasks", prefix="task."), Recorder("all")

    assert await deliver(db, clock, tasks, everything) == 3
    assert tasks.seen == [(a, "task.queued"), (a, "task.started")]
    assert everything.seen == [(a, "task.queued"), (b, "project.created"), (a, "task.started")]
    assert await deliver(db, clock, tasks, everything) == 0, "delivered events are not handed out again"


async def test_a_failing_subscriber_gets_the_event_again_later_and_alone_and_its_aggregate_waits() -> None:
    db, clock = MemoryDatabase(), FakeClock()
    a, b = uuid4(), uuid4()
    write(db, [event(a, "task.queued"), event(a, "task.started"), event(b, "task.queued")])
    live, hooks = Recorder("live"), Recorder("hooks", failing=True)

    assert await deliver(db, clock, live, hooks) == 0
    assert live.seen == [(a, "task.queued"), (b, "task.queued")], "a's second event waits for its first"
    hooks.failing = False
    assert await deliver(db, clock, live, hooks) == 0, "not before the back-off has passed"
    clock.advance(seconds=1.5)
    assert await deliver(db, clock, live, hooks) == 3
    assert hooks.seen == [(a, "task.queued"), (a, "task.started"), (b, "task.queued")]
    assert live.seen == [(a, "task.queued"), (b, "task.queued"), (a, "task.started")], "none twice"


async def test_an_event_that_keeps_failing_is_given_up_after_the_last_attempt_and_frees_its_aggregate() -> None:
    db, clock = MemoryDatabase(), FakeClock()
    a = uuid4()
    write(db, [event(a, "task.queued"), event(a, "task.started")])
    broken, fine = Recorder("broken", prefix="task.queued", failing=True), Recorder("fine")
    for _ in range(SETTINGS.max_attempts):
        await deliver(db, clock, fine, broken)
        clock.advance(seconds=SETTINGS.retry_max_s + 1)
    assert [row.delivered_at is not None for row in db.events] == [True, False]
    assert db.events[0].last_error == "ConnectionError: broken is down"
    assert await deliver(db, clock, fine, broken) == 1
    assert fine.seen == [(a, "task.queued"), (a, "task.started")]


async def test_a_relay_that_died_mid_pass_leaves_its_batch_for_the_next_pass() -> None:
    db, clock = MemoryDatabase(), FakeClock()
    a = uuid4()
    write(db, [event(a, "task.queued")])
    session = db.session()
    claimed = await MemoryEventStore(session).claim(clock.now(), 10)
    assert len(claimed) == 1  # ... and the relay is killed before it marks anything
    late = Recorder("late")
    assert await deliver(db, clock, late) == 1
    assert late.seen == [(a, "task.queued")]


@dataclass
class Preparing(Recorder):
    prepared: list[list[str]] = field(default_factory=list)

    async def prepare(self, batch: Sequence[StoredEvent]) -> None:
        assert not self.seen or self.prepared, "prepared before its first event"
        self.prepared.append([stored.event.type for stored in batch])


async def test_a_subscriber_that_prepares_sees_each_passs_whole_batch_before_its_events() -> None:
    db, clock = MemoryDatabase(), FakeClock()
    a, b = uuid4(), uuid4()
    write(db, [event(a, "task.queued"), event(b, "project.created")])
    tasks = Preparing("tasks", prefix="task.")

    assert await deliver(db, clock, tasks) == 2
    write(db, [event(a, "task.started")])
    assert await deliver(db, clock, tasks) == 1
    assert tasks.prepared == [["task.queued", "project.created"], ["task.started"]]
    assert tasks.seen == [(a, "task.queued"), (a, "task.started")]
