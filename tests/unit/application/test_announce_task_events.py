"""A relay pass announces its whole batch's task events in one publish, as it starts."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import LiveEvent, RunEnded, TaskStatusChanged
from agentry.application.tasks.announce_live import AnnounceTaskEvents
from agentry.domain.events import DomainEvent

AT = datetime(2026, 1, 1, tzinfo=UTC)
PROJECT = uuid4()
RUN = {"execution": 1, "status": "succeeded", "usage": {"input_tokens": 1, "output_tokens": 2, "cost_usd": 0.0}}


class Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[LiveEvent, ...]] = []

    async def publish(self, *events: LiveEvent) -> None:
        self.calls.append(events)


def stored(kind: str, status: str, **data: object) -> StoredEvent:
    event = DomainEvent(kind, "task", uuid4(), AT, {"project_id": str(PROJECT), "status": status, **data})
    return StoredEvent(uuid4(), 1, event)


async def test_a_pass_announces_its_batch_in_one_publish_and_its_events_add_none() -> None:
    live = Calls()
    subscriber = AnnounceTaskEvents(live)
    ended = stored("task.succeeded", "succeeded", run=RUN)
    batch = [stored("task.queued", "queued"), stored("task.updated", "queued"), ended]
    await subscriber.prepare(batch)
    for one in batch:
        if subscriber.wants(one.event.type):
            await subscriber.handle(one)
    [announced] = live.calls
    assert [type(e) for e in announced] == [TaskStatusChanged, RunEnded, TaskStatusChanged]


async def test_unprepared_each_event_is_announced_on_its_own() -> None:
    live = Calls()
    await AnnounceTaskEvents(live).handle(stored("task.queued", "queued"))
    assert [[type(e) for e in call] for call in live.calls] == [[TaskStatusChanged]]
