"""The use cases announce what they committed, once it is committed, and nothing they rolled back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from agentry.application.ports.live_events import LogAppended, RunEnded, TaskStatusChanged
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.retry_task import RetryTask
from agentry.domain.errors import IllegalTransition
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.script import Fail, Say, Sleep, UseTool
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, TEAM, FakeApp


def statuses(app: FakeApp) -> list[TaskStatus]:
    return [event.status for event in app.live.of_type(TaskStatusChanged)]  # type: ignore[attr-defined]


def announced_lines(app: FakeApp) -> list[tuple[int, int]]:
    batches = app.live.of_type(LogAppended)
    return [(b.execution_number, line.sequence) for b in batches for line in b.lines]  # type: ignore[attr-defined]


async def test_a_run_announces_its_start_every_log_line_once_in_order_its_outcome_and_its_end() -> None:
    app = FakeApp(log_batch_size=2)
    script = tuple(step for i in range(5) for step in (Say(f"step {i} "), UseTool("Read", {"n": i}, "ok")))
    task = await app.submit(script=script)
    await app.relay()
    assert await app.run_next() is ExecutionStatus.SUCCEEDED

    assert statuses(app) == [TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.SUCCEEDED]
    stored = sorted((n, seq) for (t, n, seq) in app.db.logs if t == task.id)
    assert announced_lines(app) == stored and len(stored) > 10
    assert len(app.live.of_type(LogAppended)) > 2, "the log is announced batch by batch as it is written"
    [ended] = app.live.of_type(RunEnded)
    assert isinstance(ended, RunEnded)
    assert (ended.status, ended.summary, ended.project_id) == (
        ExecutionStatus.SUCCEEDED,
        app.db.results[task.id].summary,
        TEAM,
    )
    assert ended.usage == app.db.results[task.id].usage
    assert [type(e) for e in app.live.events[-3:]] == [LogAppended, RunEnded, TaskStatusChanged]
    assert app.live.uncommitted == []


async def test_a_final_write_that_conflicts_with_a_cancel_is_announced_only_as_it_was_committed() -> None:
    app = FakeApp(heartbeat_interval_s=3600)  # the worker will not notice the cancel while running
    task = await app.submit(script=(Say("working"), Sleep(0.2), Say("done")))
    await app.relay()
    run = asyncio.create_task(app.run_next())
    await asyncio.sleep(0.05)
    await app.use(CancelTask)(ALICE, task.id)
    assert await run is ExecutionStatus.CANCELLED

    assert statuses(app) == [TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.CANCELLING, TaskStatus.CANCELLED]
    [ended] = app.live.of_type(RunEnded)
    assert isinstance(ended, RunEnded) and ended.status is ExecutionStatus.CANCELLED and ended.summary is None
    last = [line for batch in app.live.of_type(LogAppended) for line in batch.lines][-1]  # type: ignore[attr-defined]
    assert last.kind is LogKind.RESULT and "cancelled" in last.message
    assert announced_lines(app) == sorted((n, seq) for (t, n, seq) in app.db.logs if t == task.id)
    assert app.live.uncommitted == []


async def test_a_retryable_failure_announces_the_failed_attempt_and_the_task_queued_again() -> None:
    app = FakeApp()
    await app.submit(script=(Fail("rate limited", retryable=True),), max_attempts=2)
    await app.relay()
    await app.run_next()
    [ended] = app.live.of_type(RunEnded)
    assert isinstance(ended, RunEnded) and ended.error is not None and ended.error.code == "agent_failed"
    assert statuses(app) == [TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.QUEUED]
    assert app.live.uncommitted == []


async def test_scheduling_releasing_cancelling_and_retrying_announce_the_status_they_committed() -> None:
    app = FakeApp()
    later = await app.submit(scheduled_at=app.clock.current + timedelta(minutes=1))
    app.clock.advance(minutes=2)
    await app.relay()  # releases it
    await app.use(CancelTask)(ALICE, later.id)
    app.broker.sent.clear()  # its order, now outdated
    failing = await app.submit(script=(Fail("nope"),), max_attempts=1)
    await app.relay()
    await app.run_next()
    await app.use(RetryTask)(ALICE, failing.id)

    by_task = [(e.task_id, e.status) for e in app.live.of_type(TaskStatusChanged)]  # type: ignore[attr-defined]
    assert by_task == [
        (later.id, TaskStatus.PENDING),
        (later.id, TaskStatus.QUEUED),
        (later.id, TaskStatus.CANCELLED),
        (failing.id, TaskStatus.QUEUED),
        (failing.id, TaskStatus.RUNNING),
        (failing.id, TaskStatus.FAILED),
        (failing.id, TaskStatus.QUEUED),
    ]
    assert app.live.uncommitted == []


async def test_a_refused_command_and_a_replayed_submission_announce_nothing() -> None:
    app = FakeApp()
    task = await app.submit(key="once")
    await app.relay()
    await app.run_next()
    before = list(app.live.events)
    with pytest.raises(IllegalTransition):
        await app.use(CancelTask)(ALICE, task.id)
    assert (await app.submit(key="once")).id == task.id
    assert app.live.events == before
