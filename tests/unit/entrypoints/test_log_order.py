"""A live follower's log in order (entrypoints/http/live/log_order.py): whatever the live channel does
with the batches (late, after the run's ending was announced; twice; never), the follower sends each
stored line once, in order, and all of a run's lines before its result and final status."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.adapters.channels.wire import encode
from agentry.application.errors import NotFound
from agentry.application.ports.live_events import LogAppended, RunEnded, TaskStatusChanged
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLine
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.usage import Usage
from agentry.entrypoints.http.live.log_order import LogInOrder, TaskEventsInOrder

TASK, PROJECT, EXECUTION = uuid4(), uuid4(), uuid4()
AT = datetime(2026, 12, 7, tzinfo=UTC)


def stored_lines(number: int, count: int) -> list[LogLine]:
    return [LogLine(TASK, EXECUTION, number, n, AT, LogKind.ASSISTANT, f"line {n}") for n in range(1, count + 1)]


class StoredLog:
    def __init__(self, lines: list[LogLine], latest: int = 1) -> None:
        self.lines, self.latest_number, self.reads = lines, latest, 0
        self.limits: list[int] = []

    async def read(self, number: int, after: int, limit: int) -> list[LogLine]:
        self.reads += 1
        self.limits.append(limit)
        return [line for line in self.lines if line.execution_number == number and line.sequence > after][:limit]

    async def latest(self) -> int:
        return self.latest_number


def follower(log: StoredLog) -> TaskEventsInOrder:
    return TaskEventsInOrder(TASK, PROJECT, log.read, log.latest)


def batch(lines: list[LogLine]) -> bytes:
    return encode(LogAppended.of(PROJECT, lines))


ENDED = encode(RunEnded(TASK, PROJECT, 1, ExecutionStatus.SUCCEEDED, "done", None, Usage()))
SUCCEEDED = encode(TaskStatusChanged(TASK, PROJECT, TaskStatus.SUCCEEDED, AT))


async def forwarded(order: TaskEventsInOrder, payloads: list[bytes]) -> list[dict[str, Any]]:
    import msgspec

    return [msgspec.json.decode(out) async for payload in payloads_of(payloads) async for out in order.of(payload)]


async def payloads_of(payloads: list[bytes]) -> Any:
    for payload in payloads:
        yield payload


def sequences_before_the_end(events: list[dict[str, Any]]) -> list[int]:
    ended = next(i for i, e in enumerate(events) if e["type"] == "task.result")
    return [line["sequence"] for e in events[:ended] if e["type"] == "execution.log" for line in e["lines"]]


@st.composite
def announcements(draw: st.DrawFn) -> tuple[int, list[bytes]]:
    """A run's lines in batches as the worker announced them, each batch delivered, lost or delivered
    twice, some of the last ones only after the run's ending (the relay was quicker)."""
    count = draw(st.integers(1, 40))
    lines = stored_lines(1, count)
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=8))) if count > 1 else []
    batches = [lines[a:b] for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    delivered: list[bytes] = []
    for lines_of_batch in batches:
        fate = draw(st.sampled_from(["once", "lost", "twice"]))
        delivered += [batch(lines_of_batch)] * {"once": 1, "lost": 0, "twice": 2}[fate]
    late = draw(st.integers(0, len(delivered)))  # how many of the last batches the ending overtook
    return count, [*delivered[: len(delivered) - late], ENDED, SUCCEEDED, *delivered[len(delivered) - late :]]


@given(announcements())
@settings(max_examples=200, deadline=None)
def test_every_stored_line_goes_out_once_in_order_before_the_runs_result(case: tuple[int, list[bytes]]) -> None:
    count, payloads = case
    events = asyncio.run(forwarded(follower(StoredLog(stored_lines(1, count))), payloads))
    assert sequences_before_the_end(events) == list(range(1, count + 1))
    types = [e["type"] for e in events]
    assert types.index("task.result") < types.index("task.status_changed"), "the result, then the status"
    after = [line for e in events[types.index("task.result") :] if e["type"] == "execution.log" for line in e["lines"]]
    assert after == [], "a batch that comes after the ending brings nothing new"


def test_a_batch_that_needs_nothing_is_forwarded_untouched_without_reading_the_database() -> None:
    log = StoredLog(stored_lines(1, 4))
    order = follower(log)
    first, rest = batch(log.lines[:2]), batch(log.lines[2:])

    async def run() -> list[bytes]:
        return [out for payload in (first, rest) async for out in order.of(payload)]

    assert asyncio.run(run()) == [first, rest]
    assert log.reads == 0


def test_a_retry_is_followed_from_its_first_line_and_an_older_runs_late_batch_is_dropped() -> None:
    log = StoredLog([*stored_lines(1, 3), *stored_lines(2, 3)], latest=2)
    events = asyncio.run(
        forwarded(follower(log), [batch(log.lines[:3]), batch(log.lines[4:6]), batch(log.lines[:3]), SUCCEEDED])
    )
    lines = [(e["execution"], line["sequence"]) for e in events if e["type"] == "execution.log" for line in e["lines"]]
    assert lines == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]


def test_a_task_that_ended_without_a_run_reads_no_log() -> None:
    log = StoredLog([], latest=0)
    cancelled = encode(TaskStatusChanged(TASK, PROJECT, TaskStatus.CANCELLED, AT))
    assert asyncio.run(forwarded(follower(log), [cancelled]))[0]["status"] == "cancelled"
    assert log.reads == 0


def test_the_end_of_a_long_run_is_read_a_page_at_a_time() -> None:
    log = StoredLog(stored_lines(1, 2_500))
    order = LogInOrder(log.read)

    async def run() -> list[tuple[int, list[Any]]]:
        return [page async for page in order.to_end(1)]

    pages = asyncio.run(run())
    assert [len(lines) for _, lines in pages] == [1000, 1000, 500]
    assert [line["sequence"] for _, lines in pages for line in lines] == list(range(1, 2_501))


def test_a_follower_that_may_no_longer_read_the_task_forwards_nothing_more() -> None:
    class Gone(StoredLog):
        async def read(self, number: int, after: int, limit: int) -> list[LogLine]:
            raise NotFound("task", UUID(int=0))

    assert asyncio.run(forwarded(follower(Gone(stored_lines(1, 2))), [batch(stored_lines(1, 2)[1:]), ENDED])) == []


def test_a_gap_is_read_alone_not_the_page_after_it() -> None:
    """A follower that subscribed after a run's first two lines reads those two, not all that is stored."""
    log = StoredLog(stored_lines(1, 500))
    events = asyncio.run(forwarded(follower(log), [batch(log.lines[2:200])]))
    assert [line["sequence"] for e in events for line in e["lines"]] == list(range(1, 201))
    assert log.limits == [2]
