"""A worker rides out a short database outage: the run goes on, its log lines wait and arrive once, in
order, and its ending is written when the database is back. An outage longer than the recovery's
time-out ends as it always did (the execution is recovered as lost), and a statement that fails on
its own merits still fails the run at once. The in-memory database is cut and restored mid-run."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.application.ports.live_events import LogAppended
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun, RunCompleted, ToolCalled
from agentry.application.tasks.run.recover_lost_executions import RecoverLostExecutions, RecoveryReport
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.logs import LogKind, LogLine
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.script import Say, Sleep, UseTool
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.usage import Usage
from tests.fakes.app import SYSTEM, FakeApp
from tests.fakes.memory import UniqueViolation, Unreachable

LOST_AFTER_S = 15.0  # FakeApp's recovery settings


async def queued(app: FakeApp, **spec: object) -> ExecutionOrder:
    await app.submit(**spec)
    await app.relay()
    return app.broker.sent.pop(0)


async def started(app: FakeApp, order: ExecutionOrder) -> asyncio.Task[Any]:
    run = asyncio.create_task(app.run(order))
    for _ in range(200):
        if app.task(order.task_id).status is TaskStatus.RUNNING:
            return run
        await asyncio.sleep(0.005)
    raise AssertionError("the run never started")


def executions_of(app: FakeApp, order: ExecutionOrder) -> list[TaskExecution]:
    return sorted((e for e in app.db.executions.values() if e.task_id == order.task_id), key=lambda e: e.number)


def log_of(app: FakeApp, order: ExecutionOrder, number: int = 1) -> list[LogLine]:
    lines = [line for (t, n, _), line in app.db.logs.items() if t == order.task_id and n == number]
    return sorted(lines, key=lambda line: line.sequence)


def published(app: FakeApp) -> list[int]:
    """The sequence numbers of the lines announced live, in the order they were announced."""
    return [line.sequence for event in app.live.of_type(LogAppended) for line in event.lines]  # type: ignore[attr-defined]


def steps(count: int, pause_s: float) -> tuple[UseTool | Sleep, ...]:
    return tuple(step for n in range(count) for step in (UseTool("Bash", {"n": n}, f"out {n}"), Sleep(pause_s)))


async def test_lines_made_while_the_database_is_away_arrive_once_it_is_back_once_each_and_in_order(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = FakeApp(heartbeat_interval_s=0.05, log_flush_interval_s=0.01)
    order = await queued(app, script=steps(40, 0.02))
    run = await started(app, order)
    await asyncio.sleep(0.1)
    with caplog.at_level(logging.WARNING, logger="agentry.worker"):
        app.db.cut()
        written_before = len(log_of(app, order))
        await asyncio.sleep(0.3)
        assert len(log_of(app, order)) == written_before, "nothing is written while the database is away"
        assert app.task(order.task_id).status is TaskStatus.RUNNING, "the run goes on"
        tries = app.db.refused
        app.db.restore()
        assert await asyncio.wait_for(run, timeout=5) is ExecutionStatus.SUCCEEDED
    assert 2 <= tries <= 0.3 / 0.05 + 2, "tried again at each poll, not in a tight loop"
    [execution] = executions_of(app, order)
    assert execution.status is ExecutionStatus.SUCCEEDED
    lines = log_of(app, order)
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    assert [line.message for line in lines if line.kind is LogKind.TOOL_RESULT] == [f"out {n}" for n in range(40)]
    assert published(app) == list(range(1, len(lines) + 1)), "announced live once each, in order"
    assert app.live.uncommitted == [], "and only once written"
    warnings = [r.getMessage() for r in caplog.records]
    assert sum("cannot be reached" in w for w in warnings) == 1, "one warning per outage, not one per try"
    assert sum("reached again" in w for w in warnings) == 1


async def test_a_run_that_ends_while_the_database_is_away_writes_its_ending_once_it_is_back() -> None:
    app = FakeApp(heartbeat_interval_s=0.05, ending_retry_min_s=0.05, ending_retry_max_s=0.2)
    order = await queued(app, script=(Say("working"), Sleep(0.1), Say("done")))
    run = await started(app, order)
    app.db.cut()
    await asyncio.sleep(0.5)  # the agent ended meanwhile: its ending waits for the database
    assert not run.done()
    app.db.restore()
    assert await asyncio.wait_for(run, timeout=2) is ExecutionStatus.SUCCEEDED
    task = app.task(order.task_id)
    assert (task.status, task.attempts, task.execution_count) == (TaskStatus.SUCCEEDED, 1, 1)
    assert app.db.results[order.task_id].output == "workingdone"
    lines = log_of(app, order)
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    assert lines[-1].kind is LogKind.RESULT
    assert app.live.uncommitted == []


async def test_a_checkpoint_whose_commit_went_through_unacknowledged_does_not_write_its_lines_twice() -> None:
    app = FakeApp(heartbeat_interval_s=0.05, log_flush_interval_s=0.01)
    order = await queued(app, script=steps(10, 0.02))
    run = await started(app, order)
    app.db.lost_replies = 1  # the next commit goes through, but the worker is told it failed
    assert await asyncio.wait_for(run, timeout=5) is ExecutionStatus.SUCCEEDED
    assert app.db.lost_replies == 0
    lines = log_of(app, order)
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    assert len(lines) == 2 + 20 + 1
    assert published(app) == list(range(1, len(lines) + 1))


async def test_an_ending_that_went_through_unacknowledged_is_not_written_twice() -> None:
    app = FakeApp(heartbeat_interval_s=3600, log_flush_interval_s=10, ending_retry_min_s=0.01)
    order = await queued(app, script=(Say("working"), Sleep(0.2), Say("done")))
    run = await started(app, order)
    for _ in range(100):  # the first words are written at once
        if any(line.message == "working" for line in log_of(app, order)):
            break
        await asyncio.sleep(0.005)
    app.db.lost_replies = 1  # the ending is the next commit
    assert await asyncio.wait_for(run, timeout=2) is None, "read again, the execution had ended already"
    [execution] = executions_of(app, order)
    task = app.task(order.task_id)
    assert (execution.status, task.status, task.attempts) == (ExecutionStatus.SUCCEEDED, TaskStatus.SUCCEEDED, 1)
    lines = log_of(app, order)
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    assert lines[-1].kind is LogKind.RESULT


def collide(app: FakeApp, order: ExecutionOrder) -> None:
    """Store a line where the run's first line will go, so that writing it fails (not for an outage)."""
    app.db.logs[(order.task_id, 1, 1)] = LogLine(
        order.task_id, order.task_id, 1, 1, app.clock.now(), LogKind.SYSTEM, "in the way"
    )


async def test_a_log_write_that_fails_on_its_own_merits_still_fails_the_run_at_once() -> None:
    app = FakeApp(heartbeat_interval_s=0.05, worker_lost_after_s=5.0)
    order = await queued(app, script=(Say("working"), Sleep(2), Say("never said")))
    collide(app, order)
    loop = asyncio.get_running_loop()
    began = loop.time()
    with pytest.raises(UniqueViolation):
        await asyncio.wait_for(app.run(order), timeout=1)
    assert loop.time() - began < 0.5


async def test_an_ending_that_fails_on_its_own_merits_is_not_tried_again() -> None:
    app = FakeApp(heartbeat_interval_s=3600, log_flush_interval_s=10, worker_lost_after_s=5.0)
    order = await queued(app, script=(Say("working"),))
    collide(app, order)  # every line goes with the ending: it collides
    loop = asyncio.get_running_loop()
    began = loop.time()
    with pytest.raises(UniqueViolation):
        await asyncio.wait_for(app.run(order), timeout=2)
    assert loop.time() - began < 1, "failed at once, not tried again for worker_lost_after_s"


async def test_an_outage_longer_than_the_time_out_ends_as_before_recovered_as_lost_and_the_worker_stops() -> None:
    app = FakeApp(heartbeat_interval_s=0.1)
    order = await queued(app, script=(Say("working"), Sleep(1), Say("too late")))
    run = await started(app, order)
    app.db.cut()
    await asyncio.sleep(0.3)
    app.db.restore()
    app.clock.advance(seconds=LOST_AFTER_S + 1)  # its heartbeat was not renewed: it is silent that long
    # The recovery runs elsewhere before the worker's next heartbeat goes through.
    assert await app.use(RecoverLostExecutions)(SYSTEM) == RecoveryReport(requeued=1)
    assert await asyncio.wait_for(run, timeout=1) is None, "the first heartbeat after the outage finds it lost"
    [lost] = executions_of(app, order)
    assert (lost.status, lost.error_code) == (ExecutionStatus.FAILED, "worker_lost")
    assert app.task(order.task_id).status is TaskStatus.QUEUED
    assert order.task_id not in app.db.results


async def test_an_ending_still_unwritten_after_the_time_out_is_given_up_and_left_to_the_recovery() -> None:
    app = FakeApp(heartbeat_interval_s=0.05, worker_lost_after_s=0.3, ending_retry_min_s=0.05)
    order = await queued(app, script=(Say("working"), Sleep(0.05)))
    run = await started(app, order)
    app.db.cut()
    loop = asyncio.get_running_loop()
    began = loop.time()
    with pytest.raises(Unreachable):
        await asyncio.wait_for(run, timeout=2)
    assert 0.25 <= loop.time() - began < 1
    app.db.restore()
    assert app.task(order.task_id).status is TaskStatus.RUNNING, "as before: left running"
    app.clock.advance(seconds=LOST_AFTER_S + 1)
    assert await app.use(RecoverLostExecutions)(SYSTEM) == RecoveryReport(requeued=1)
    assert executions_of(app, order)[0].error_code == "worker_lost"


class Chatty:
    """An agent that says as much as it is let: a line every few milliseconds, then completes."""

    needs_history = False

    def __init__(self, lines: int) -> None:
        self.lines = lines
        self.said = 0

    async def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        for n in range(self.lines):
            await asyncio.sleep(0.002)
            self.said += 1
            yield ToolCalled(f"t{n}", "Bash", {"n": n})
        yield RunCompleted("done", Usage())


async def test_past_the_backlog_limit_the_agent_is_held_back_and_its_wait_is_not_inactivity() -> None:
    app = FakeApp(heartbeat_interval_s=0.05, log_backlog_max=20)
    agent = Chatty(200)
    app.runners = StaticRunnerCatalog({"scripted": agent}, default="scripted")  # type: ignore[dict-item]
    order = await queued(app, options=TaskOptions(inactivity_timeout_s=1))
    run = await started(app, order)
    await asyncio.sleep(0.02)
    app.db.cut()
    said_at_cut = agent.said
    await asyncio.sleep(1.3)  # longer than the inactivity time-out
    assert agent.said <= said_at_cut + 20 + 2, "no more events are read than the backlog holds"
    app.db.restore()
    assert await asyncio.wait_for(run, timeout=5) is ExecutionStatus.SUCCEEDED
    lines = log_of(app, order)
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    assert [line.data["input"]["n"] for line in lines if line.kind is LogKind.TOOL_USE] == list(range(200))
