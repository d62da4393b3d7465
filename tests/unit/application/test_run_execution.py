from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun, TextDelta
from agentry.application.tasks.read_log import ReadLog
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.script import Abort, Fail, Hang, Say, Sleep, UseTool
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ADMIN, ALICE, FakeApp


async def queued(app: FakeApp, **spec: object) -> ExecutionOrder:
    await app.submit(**spec)
    await app.relay()
    return app.broker.sent.pop(0)


def executions_of(app: FakeApp, order: ExecutionOrder) -> list:  # type: ignore[type-arg]
    return sorted((e for e in app.db.executions.values() if e.task_id == order.task_id), key=lambda e: e.number)


def log_of(app: FakeApp, order: ExecutionOrder, number: int = 1) -> list:  # type: ignore[type-arg]
    lines = [line for (t, n, _), line in app.db.logs.items() if t == order.task_id and n == number]
    return sorted(lines, key=lambda line: line.sequence)


async def test_a_run_records_its_log_usage_and_result_and_ends_once() -> None:
    app = FakeApp()
    order = await queued(app, script=(Say("Reading. "), UseTool("Read", {"path": "a.py"}, "print(1)"), Say("Done.")))
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    task = app.task(order.task_id)
    [execution] = executions_of(app, order)
    assert (task.status, task.attempts, execution.status, execution.worker_id) == (
        TaskStatus.SUCCEEDED,
        1,
        ExecutionStatus.SUCCEEDED,
        "test-worker",
    )
    assert execution.agent_session_id and execution.usage.input_tokens > 0
    result = app.db.results[order.task_id]
    assert result.output == "Reading. Done." and result.usage == execution.usage
    lines = log_of(app, order)
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    assert [line.kind for line in lines] == [
        LogKind.SYSTEM,  # execution started
        LogKind.SYSTEM,  # agent session started
        LogKind.ASSISTANT,
        LogKind.TOOL_USE,
        LogKind.TOOL_RESULT,
        LogKind.ASSISTANT,
        LogKind.RESULT,
    ]


async def test_the_same_order_delivered_twice_produces_one_execution_and_one_result() -> None:
    app = FakeApp()
    order = await queued(app)
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    assert await app.run(order) is None
    assert len(executions_of(app, order)) == 1
    assert list(app.db.results) == [order.task_id]


async def test_two_workers_receiving_the_same_order_at_once_run_it_once() -> None:
    app = FakeApp()
    order = await queued(app, script=(Sleep(0.05), Say("x")))
    outcomes = await asyncio.gather(app.run(order), app.run(order))
    assert sorted(outcomes, key=str) == [None, ExecutionStatus.SUCCEEDED]
    assert len(executions_of(app, order)) == 1


async def test_an_outdated_order_does_nothing() -> None:
    app = FakeApp()
    order = await queued(app)
    assert await app.run(ExecutionOrder(order.task_id, 2)) is None
    assert app.task(order.task_id).status is TaskStatus.QUEUED


async def test_a_retryable_failure_backs_off_then_fails_with_its_reason_when_attempts_run_out() -> None:
    app = FakeApp(retry_backoff_min_s=2.0, retry_backoff_max_s=60.0)
    order = await queued(app, script=(Fail("rate limited", retryable=True),), max_attempts=3)
    assert await app.run(order) is ExecutionStatus.FAILED
    task = app.task(order.task_id)
    assert (task.status, task.attempts) == (TaskStatus.QUEUED, 1)
    assert await app.relay() == 0, "the retry waits for its back-off"
    app.clock.advance(seconds=2.1)  # attempt 1: 2s × (0.5 + jitter 0.5)
    assert await app.relay() == 1
    assert await app.run_next() is ExecutionStatus.FAILED
    app.clock.advance(seconds=4.1)  # attempt 2: 4s
    assert await app.relay() == 1
    assert await app.run_next() is ExecutionStatus.FAILED
    task = app.task(order.task_id)
    assert (task.status, task.attempts, task.execution_count) == (TaskStatus.FAILED, 3, 3)
    assert task.error is not None and (task.error.code, task.error.message) == ("agent_failed", "rate limited")
    assert await app.relay() == 0


async def test_a_non_retryable_failure_fails_at_once() -> None:
    app = FakeApp()
    order = await queued(app, script=(Fail("bad prompt"),), max_attempts=3)
    assert await app.run(order) is ExecutionStatus.FAILED
    assert (app.task(order.task_id).status, app.task(order.task_id).attempts) == (TaskStatus.FAILED, 1)


async def test_a_stream_that_ends_without_a_result_is_a_failure_not_a_success() -> None:
    app = FakeApp()
    order = await queued(app, script=(Say("half an answer"), Abort()))
    assert await app.run(order) is ExecutionStatus.FAILED
    assert app.task(order.task_id).error_code == "no_result"
    assert order.task_id not in app.db.results
    assert "half an answer" in [line.message for line in log_of(app, order)]


async def test_a_silent_agent_is_stopped_by_the_inactivity_watchdog() -> None:
    app = FakeApp()
    order = await queued(app, options=TaskOptions(script=(Say("thinking"), Hang()), inactivity_timeout_s=1))
    started = asyncio.get_running_loop().time()
    assert await app.run(order) is ExecutionStatus.TIMED_OUT
    assert 0.9 < asyncio.get_running_loop().time() - started < 3
    task = app.task(order.task_id)
    assert (task.status, task.error_code) == (TaskStatus.TIMED_OUT, "inactivity_timeout")


async def test_a_busy_agent_is_stopped_by_the_total_time_limit() -> None:
    app = FakeApp()
    chatter = tuple(step for _ in range(100) for step in (Say("."), Sleep(0.05)))
    order = await queued(app, options=TaskOptions(script=chatter, time_limit_s=1, inactivity_timeout_s=1))
    assert await app.run(order) is ExecutionStatus.TIMED_OUT
    assert app.task(order.task_id).error_code == "time_limit"


async def test_cancelling_a_running_task_stops_its_agent_within_the_poll_interval() -> None:
    app = FakeApp(heartbeat_interval_s=0.05)
    order = await queued(app, script=(Say("working"), Sleep(30), Say("never said")))
    run = asyncio.create_task(app.run(order))
    await asyncio.sleep(0.1)
    assert app.task(order.task_id).status is TaskStatus.RUNNING
    await app.use(CancelTask)(ALICE, order.task_id)
    outcome = await asyncio.wait_for(run, timeout=2)
    assert outcome is ExecutionStatus.CANCELLED
    assert app.task(order.task_id).status is TaskStatus.CANCELLED
    assert "never said" not in [line.message for line in log_of(app, order)]


class ExplodingRunner:
    needs_history = False

    async def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        yield TextDelta("about to break")
        raise RuntimeError("segfault in the agent")


async def test_a_runner_that_raises_ends_the_execution_as_failed() -> None:
    app = FakeApp()
    app.runners = StaticRunnerCatalog({"scripted": ExplodingRunner()}, default="scripted")  # type: ignore[dict-item]
    order = await queued(app)
    assert await app.run(order) is ExecutionStatus.FAILED
    task = app.task(order.task_id)
    assert task.error_code == "runner_error" and "segfault" in (task.error_message or "")


async def test_a_runner_missing_on_this_worker_fails_the_execution_clearly_before_any_agent_starts() -> None:
    app = FakeApp()
    app.runners = StaticRunnerCatalog({"scripted": ScriptedRunner(), "other": ScriptedRunner()}, "scripted")
    order = await queued(app, options=TaskOptions(runner="other"))
    app.runners = StaticRunnerCatalog({"scripted": ScriptedRunner()}, "scripted")
    assert await app.run(order) is ExecutionStatus.FAILED
    task = app.task(order.task_id)
    assert task.error_code == "not_allowed" and "runner 'other' is not configured" in (task.error_message or "")
    assert not any(line.message == "agent session started" for line in app.db.logs.values())


async def test_long_output_is_written_in_batches_while_the_agent_runs() -> None:
    app = FakeApp(log_batch_size=10, log_flush_interval_s=10.0)
    steps = tuple(UseTool("Bash", {"n": i}, f"line {i}") for i in range(30))
    order = await queued(app, script=steps)
    commits = app.db.commits
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    lines = log_of(app, order)
    assert len(lines) == 2 + 60 + 1
    assert [line.sequence for line in lines] == list(range(1, 64))
    assert app.db.commits - commits >= 2 + 6  # claim, finish, and a batch every ~10 lines


async def test_lines_become_readable_while_the_run_is_still_going() -> None:
    app = FakeApp(log_flush_interval_s=0.02)
    order = await queued(app, script=(Say("early words"), Sleep(0.3), Say("late")))
    run = asyncio.create_task(app.run(order))
    await asyncio.sleep(0.15)
    page = await app.use(ReadLog)(ALICE, order.task_id)
    assert "early words" in [line.message for line in page.items]
    assert await run is ExecutionStatus.SUCCEEDED


async def test_the_first_words_of_the_answer_are_written_at_once_not_at_the_next_batch() -> None:
    app = FakeApp(log_flush_interval_s=10.0)
    order = await queued(app, script=(Say("first words"), Sleep(0.3), Say("later")))
    run = asyncio.create_task(app.run(order))
    await asyncio.sleep(0.15)
    page = await app.use(ReadLog)(ALICE, order.task_id)
    assert [line.message for line in page.items if line.kind is LogKind.ASSISTANT] == ["first words"]
    assert await run is ExecutionStatus.SUCCEEDED
    assert [line.message for line in log_of(app, order) if line.kind is LogKind.ASSISTANT] == ["first words", "later"]


async def test_a_run_that_ends_without_a_pause_writes_its_first_words_with_its_ending() -> None:
    app = FakeApp(log_flush_interval_s=10.0)
    order = await queued(app, script=(Say("all at once"),))
    commits = app.db.commits
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    assert app.db.commits - commits == 2  # the claim and the ending: the first words had one of their own
    assert [line.message for line in log_of(app, order) if line.kind is LogKind.ASSISTANT] == ["all at once"]


async def test_the_first_words_wait_for_no_more_than_what_the_agent_has_ready() -> None:
    app = FakeApp(log_flush_interval_s=10.0)
    tool = UseTool("Read", {"path": "a.py"}, "print(1)")
    order = await queued(app, script=(Say("first"), tool, Sleep(0.3), Say("later")))
    run = asyncio.create_task(app.run(order))
    await asyncio.sleep(0.15)  # the agent pauses after its tool: what it had ready is written by then
    page = await app.use(ReadLog)(ALICE, order.task_id)
    assert [line.kind for line in page.items if line.kind in (LogKind.ASSISTANT, LogKind.TOOL_RESULT)] == [
        LogKind.ASSISTANT,
        LogKind.TOOL_RESULT,
    ]
    assert await run is ExecutionStatus.SUCCEEDED


async def test_a_task_deleted_while_queued_is_skipped() -> None:
    from agentry.application.tasks.delete_task import DeleteTask

    app = FakeApp()
    order = await queued(app)
    await app.use(DeleteTask)(ADMIN, order.task_id)  # a member may delete only their finished tasks
    assert await app.run(order) is None


@pytest.mark.parametrize(("attempt", "expected"), [(1, 1.0), (2, 2.0), (3, 4.0), (10, 60.0)])
def test_backoff_doubles_per_attempt_within_its_bounds(attempt: int, expected: float) -> None:
    settings = FakeApp(retry_backoff_min_s=1.0, retry_backoff_max_s=60.0).run_settings
    assert settings.backoff_s(attempt) == expected


def test_backoff_jitter_stays_within_half_and_one_and_a_half_times() -> None:
    from agentry.application.tasks.run.run_settings import RunSettings

    low = RunSettings(retry_backoff_min_s=1, retry_backoff_max_s=100, jitter=lambda: 0.0).backoff_s(4)
    high = RunSettings(retry_backoff_min_s=1, retry_backoff_max_s=100, jitter=lambda: 0.999).backoff_s(4)
    assert low == pytest.approx(4.0) and high == pytest.approx(11.992)
    assert timedelta(seconds=low) < timedelta(seconds=high)


async def test_a_cancel_after_the_last_poll_still_wins_and_the_log_has_no_gaps() -> None:
    app = FakeApp(heartbeat_interval_s=3600)  # the worker will not notice the cancel while running
    order = await queued(app, script=(Say("working"), Sleep(0.2), Say("done")))
    run = asyncio.create_task(app.run(order))
    await asyncio.sleep(0.05)
    await app.use(CancelTask)(ALICE, order.task_id)
    assert await run is ExecutionStatus.CANCELLED, "the final write conflicted, was read again and cancel won"
    task = app.task(order.task_id)
    assert task.status is TaskStatus.CANCELLED
    assert order.task_id not in app.db.results
    lines = log_of(app, order)
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    assert lines[-1].kind is LogKind.RESULT and "cancelled" in lines[-1].message
