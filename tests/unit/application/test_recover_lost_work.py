"""Lost work, over the in-memory fakes: executions whose worker died, messages the broker lost or
dead-lettered. A worker is "killed" by cancelling its coroutine mid-run, which leaves its execution
`running` in the database exactly as a SIGKILL would."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from agentry.application.errors import Forbidden
from agentry.application.ports.live_events import RunEnded, TaskStatusChanged
from agentry.application.tasks.dispatch.redispatch_lost_messages import RedispatchLostMessages
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.run.reconcile_dead_letter import DeadLetter, ReconcileDeadLetter
from agentry.application.tasks.run.recover_lost_executions import RecoverLostExecutions, RecoveryReport
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.script import Say, Sleep
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ADMIN, ALICE, SYSTEM, FakeApp
from tests.fakes.memory_tasks import MemoryTaskRepository

LOST_AFTER_S = 15.0  # FakeApp's recovery settings


async def queued(app: FakeApp, **spec: object) -> ExecutionOrder:
    await app.submit(**spec)
    await app.relay()
    return app.broker.sent.pop(0)


def executions_of(app: FakeApp, order: ExecutionOrder) -> list[TaskExecution]:
    return sorted((e for e in app.db.executions.values() if e.task_id == order.task_id), key=lambda e: e.number)


async def until_running(app: FakeApp, order: ExecutionOrder) -> None:
    for _ in range(200):
        if app.task(order.task_id).status is TaskStatus.RUNNING:
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the run never started")


async def killed_mid_run(app: FakeApp, **spec: object) -> ExecutionOrder:
    """A task whose worker died while running it: its execution stays `running`, silent."""
    order = await queued(app, script=(Say("working"), Sleep(0.3), Say("done")), **spec)
    run = asyncio.create_task(app.run(order))
    await until_running(app, order)
    await asyncio.sleep(0.05)  # a few heartbeats
    run.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await run
    assert app.task(order.task_id).status is TaskStatus.RUNNING
    return order


async def recover(app: FakeApp) -> RecoveryReport:
    report: RecoveryReport = await app.use(RecoverLostExecutions)(SYSTEM)
    return report


async def test_an_execution_silent_past_the_time_out_fails_as_lost_and_its_task_runs_again() -> None:
    app = FakeApp()
    order = await killed_mid_run(app)
    app.clock.advance(seconds=LOST_AFTER_S - 1)
    assert await recover(app) == RecoveryReport(), "not silent long enough yet"
    app.clock.advance(seconds=2)
    assert await recover(app) == RecoveryReport(requeued=1)
    task = app.task(order.task_id)
    [lost] = executions_of(app, order)
    assert (lost.status, lost.error_code) == (ExecutionStatus.FAILED, "worker_lost")
    assert "test-worker went silent" in (lost.error_message or "")
    assert (task.status, task.attempts, task.error_code) == (TaskStatus.QUEUED, 1, "worker_lost")
    assert await app.relay() == 1, "queued again through the outbox, due at once"
    assert app.broker.sent == [ExecutionOrder(order.task_id, 2)]
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    assert [e.status for e in executions_of(app, order)] == [ExecutionStatus.FAILED, ExecutionStatus.SUCCEEDED]
    assert await app.run(order) is None, "the lost order, redelivered by the broker, does nothing"


async def test_recovery_announces_what_it_did_after_committing_it() -> None:
    app = FakeApp()
    order = await killed_mid_run(app)
    app.clock.advance(seconds=LOST_AFTER_S + 1)
    app.live.events.clear()
    await recover(app)
    [ended] = app.live.of_type(RunEnded)
    [changed] = app.live.of_type(TaskStatusChanged)
    assert (ended.task_id, ended.status, ended.error and ended.error.code) == (
        order.task_id,
        ExecutionStatus.FAILED,
        "worker_lost",
    )
    assert changed.status is TaskStatus.QUEUED
    assert app.live.uncommitted == []


async def test_a_lost_execution_with_no_attempts_left_fails_its_task_with_the_reason() -> None:
    app = FakeApp()
    order = await killed_mid_run(app, max_attempts=1)
    app.clock.advance(seconds=LOST_AFTER_S + 1)
    assert await recover(app) == RecoveryReport(ended=1)
    task = app.task(order.task_id)
    assert (task.status, task.error_code) == (TaskStatus.FAILED, "worker_lost")
    assert await app.relay() == 0, "nothing queued"


async def test_a_worker_that_keeps_beating_is_never_taken_for_lost_however_quiet_its_agent() -> None:
    app = FakeApp()
    order = await queued(app, script=(Sleep(0.3), Say("done")))
    run = asyncio.create_task(app.run(order))
    await until_running(app, order)
    for _ in range(3):
        app.clock.advance(seconds=LOST_AFTER_S - 5)  # 30 s of clock pass while the agent is silent
        await asyncio.sleep(0.05)  # the worker beats meanwhile
        assert await recover(app) == RecoveryReport()
    assert await run is ExecutionStatus.SUCCEEDED


async def test_a_stalled_worker_that_comes_back_stops_at_its_next_heartbeat_and_writes_no_ending() -> None:
    app = FakeApp()
    order = await queued(app, script=(Say("working"), Sleep(0.5), Say("too late")))
    run = asyncio.create_task(app.run(order))
    await until_running(app, order)
    app.clock.advance(seconds=LOST_AFTER_S + 1)  # as if the worker had been stopped that long
    assert await recover(app) == RecoveryReport(requeued=1)
    assert await asyncio.wait_for(run, timeout=1) is None, "stopped at its next heartbeat, long before its end"
    [lost] = executions_of(app, order)
    assert (lost.status, lost.error_code) == (ExecutionStatus.FAILED, "worker_lost")
    assert app.task(order.task_id).status is TaskStatus.QUEUED
    assert order.task_id not in app.db.results


async def test_a_worker_that_ends_its_run_after_being_taken_for_lost_changes_nothing() -> None:
    app = FakeApp(heartbeat_interval_s=3600)  # no heartbeat between the recovery and the end of the run
    order = await queued(app, script=(Say("working"), Sleep(0.2), Say("done")))
    run = asyncio.create_task(app.run(order))
    await until_running(app, order)
    app.clock.advance(seconds=LOST_AFTER_S + 1)
    assert await recover(app) == RecoveryReport(requeued=1)
    assert await run is None, "its ending was refused: the execution had ended already"
    [lost] = executions_of(app, order)
    task = app.task(order.task_id)
    assert (lost.status, task.status, task.attempts) == (ExecutionStatus.FAILED, TaskStatus.QUEUED, 1)
    assert order.task_id not in app.db.results
    assert await app.relay() == 1
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    assert [e.status for e in executions_of(app, order)] == [ExecutionStatus.FAILED, ExecutionStatus.SUCCEEDED]


async def test_recoveries_running_at_once_recover_each_execution_once() -> None:
    app = FakeApp()
    orders = [await killed_mid_run(app) for _ in range(3)]
    app.clock.advance(seconds=LOST_AFTER_S + 1)
    reports = await asyncio.gather(*(recover(app) for _ in range(4)))
    assert sum(r.requeued for r in reports) == 3
    assert sorted(j.job.order.number for j in app.db.jobs.values() if j.job.dispatched_at is None) == [2, 2, 2]
    assert all(app.task(o.task_id).attempts == 1 for o in orders)


async def test_a_task_someone_else_holds_is_left_for_the_next_round() -> None:
    app = FakeApp()
    order = await killed_mid_run(app)
    app.clock.advance(seconds=LOST_AFTER_S + 1)
    holder = app.db.session()
    await MemoryTaskRepository(holder).get(order.task_id, for_update=True)
    assert await asyncio.wait_for(recover(app), timeout=1) == RecoveryReport(), "skipped, not waited for"
    await holder.rollback()
    assert await recover(app) == RecoveryReport(requeued=1)


async def test_a_lost_execution_of_a_task_being_cancelled_ends_it_cancelled() -> None:
    from agentry.application.tasks.cancel_task import CancelTask

    app = FakeApp()
    order = await killed_mid_run(app)
    await app.use(CancelTask)(ALICE, order.task_id)
    app.clock.advance(seconds=LOST_AFTER_S + 1)
    assert await recover(app) == RecoveryReport(ended=1)
    assert app.task(order.task_id).status is TaskStatus.CANCELLED


@pytest.mark.parametrize("use_case", [RecoverLostExecutions, RedispatchLostMessages, ReconcileDeadLetter])
async def test_only_the_system_recovers_work(use_case: type) -> None:
    app = FakeApp()
    with pytest.raises(Forbidden):
        if use_case is ReconcileDeadLetter:
            await app.use(use_case)(ADMIN, DeadLetter(ExecutionOrder(ALICE.id, 1), 11))
        else:
            await app.use(use_case)(ADMIN)


# --- messages the broker lost ----------------------------------------------------------------


async def test_a_message_the_broker_lost_is_sent_again_after_the_redispatch_time() -> None:
    app = FakeApp()
    order = await queued(app)  # sent, then lost: the broker restarted with nothing kept
    app.clock.advance(seconds=299)
    assert await app.use(RedispatchLostMessages)(SYSTEM) == 0
    app.clock.advance(seconds=2)
    assert await app.use(RedispatchLostMessages)(SYSTEM) == 1
    assert await app.use(RedispatchLostMessages)(SYSTEM) == 0, "sent again once per period"
    assert await app.relay() == 1
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    app.clock.advance(seconds=301)
    assert await app.use(RedispatchLostMessages)(SYSTEM) == 0, "a task that started is never sent again"
    assert await app.run(order) is None


async def test_a_redispatched_message_that_arrives_twice_runs_once() -> None:
    app = FakeApp()
    order = await queued(app)
    app.broker.sent.append(order)  # the original was only late, not lost
    app.clock.advance(seconds=301)
    await app.use(RedispatchLostMessages)(SYSTEM)
    await app.relay()
    outcomes = [await app.run_next() for _ in range(len(app.broker.sent))]
    assert outcomes == [ExecutionStatus.SUCCEEDED, None]
    assert len(executions_of(app, order)) == 1


# --- messages the broker dead-lettered ---------------------------------------------------------


async def test_a_dead_lettered_order_fails_its_waiting_task_clearly_and_a_retry_runs_it() -> None:
    app = FakeApp()
    order = await queued(app)
    app.live.events.clear()
    letter = DeadLetter(order, deliveries=11, last_error="OperationalError: connection refused")
    assert await app.use(ReconcileDeadLetter)(SYSTEM, letter) is True
    task = app.task(order.task_id)
    [execution] = executions_of(app, order)
    assert (task.status, task.error_code, execution.status) == (
        TaskStatus.FAILED,
        "dead_lettered",
        ExecutionStatus.FAILED,
    )
    assert "after 11 deliveries (last error: OperationalError: connection refused)" in (task.error_message or "")
    [line] = [line for (t, _, _), line in app.db.logs.items() if t == order.task_id]
    assert line.kind is LogKind.RESULT and "dead_lettered" not in line.message and "gave up" in line.message
    assert [type(e).__name__ for e in app.live.events] == ["LogAppended", "RunEnded", "TaskStatusChanged"]
    assert app.live.uncommitted == []
    await app.use(RetryTask)(ALICE, order.task_id)
    assert await app.relay() == 1
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    app.clock.advance(seconds=301)
    assert await app.use(RedispatchLostMessages)(SYSTEM) == 0


async def test_a_dead_letter_for_an_order_that_is_not_the_awaited_one_changes_nothing() -> None:
    app = FakeApp()
    order = await queued(app)
    assert await app.use(ReconcileDeadLetter)(SYSTEM, DeadLetter(ExecutionOrder(order.task_id, 2), 11)) is False
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    assert await app.use(ReconcileDeadLetter)(SYSTEM, DeadLetter(order, 11)) is False, "it ran after all"
    assert app.task(order.task_id).status is TaskStatus.SUCCEEDED
    missing = DeadLetter(ExecutionOrder(ALICE.id, 1), 11)
    assert await app.use(ReconcileDeadLetter)(SYSTEM, missing) is False, "a task that no longer exists"
