"""Stop requests reach a run at once: a cancel (confirmed with the database) and the worker's shutdown
(the run is recorded and its task requeued, the attempt given back)."""

from __future__ import annotations

import asyncio

from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.ports.run_signals import StopReason
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.script import Say, Sleep
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, FakeApp
from tests.unit.application.test_run_execution import executions_of, log_of, queued

NEVER = 3600.0  # a poll interval the tests never reach: only a stop request can stop the run in time
LONG_RUN = (Say("working"), Sleep(30), Say("never said"))


async def started(app: FakeApp, order: ExecutionOrder) -> asyncio.Task[ExecutionStatus | None]:
    """The run, once it watches for stop requests."""
    run = asyncio.create_task(app.run(order))
    for _ in range(200):
        if app.signals.running:
            break
        await asyncio.sleep(0.005)
    assert app.task(order.task_id).status is TaskStatus.RUNNING
    return run


async def test_a_cancel_stops_the_running_agent_at_once_without_waiting_for_the_poll() -> None:
    app = FakeApp(heartbeat_interval_s=NEVER)
    order = await queued(app, script=LONG_RUN)
    run = await started(app, order)
    loop = asyncio.get_running_loop()
    asked = loop.time()
    await app.use(CancelTask)(ALICE, order.task_id)
    assert await asyncio.wait_for(run, timeout=2) is ExecutionStatus.CANCELLED
    assert loop.time() - asked < 0.2
    assert app.stops.sent == [order.task_id]
    assert app.task(order.task_id).status is TaskStatus.CANCELLED
    assert "never said" not in [line.message for line in log_of(app, order)]
    assert app.signals.running == 0, "the run stopped watching when it ended"


async def test_a_lost_stop_request_is_made_up_for_by_the_poll() -> None:
    app = FakeApp(heartbeat_interval_s=0.05)
    app.stops.lose = True
    order = await queued(app, script=LONG_RUN)
    run = await started(app, order)
    await app.use(CancelTask)(ALICE, order.task_id)
    assert await asyncio.wait_for(run, timeout=2) is ExecutionStatus.CANCELLED
    assert app.task(order.task_id).status is TaskStatus.CANCELLED


async def test_a_stop_request_the_database_does_not_confirm_leaves_the_run_going() -> None:
    app = FakeApp(heartbeat_interval_s=NEVER)
    order = await queued(app, script=(Say("working"), Sleep(0.2), Say("done")))
    run = await started(app, order)
    assert app.signals.deliver(order.task_id, StopReason.CANCEL), "a stray request (the task is not cancelling)"
    assert await asyncio.wait_for(run, timeout=2) is ExecutionStatus.SUCCEEDED
    assert "done" in [line.message for line in log_of(app, order)]


async def test_cancelling_waiting_work_sends_no_stop_request() -> None:
    app = FakeApp()
    order = await queued(app)
    await app.use(CancelTask)(ALICE, order.task_id)
    assert app.task(order.task_id).status is TaskStatus.CANCELLED
    assert app.stops.sent == []


async def test_a_shutdown_interrupts_the_run_records_it_and_requeues_the_task_with_its_attempt_given_back() -> None:
    app = FakeApp(heartbeat_interval_s=NEVER)
    order = await queued(app, script=(Say("working"), Sleep(0.3), Say("done")), max_attempts=1)
    run = await started(app, order)
    assert app.signals.stop_all(StopReason.SHUTDOWN) == 1
    assert await asyncio.wait_for(run, timeout=2) is ExecutionStatus.FAILED

    task = app.task(order.task_id)
    [interrupted] = executions_of(app, order)
    assert (interrupted.status, interrupted.error_code) == (ExecutionStatus.FAILED, "worker_shutdown")
    assert (task.status, task.attempts, task.error_code) == (TaskStatus.QUEUED, 0, "worker_shutdown")
    last = log_of(app, order)[-1]
    assert (last.kind, last.level) == (LogKind.RESULT, LogLevel.WARNING)
    assert "worker shut down" in last.message and "not counted" in last.message

    app.signals = RunSignalHub()  # another worker, not shutting down
    assert await app.relay() == 1, "the requeued order is due at once"
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    again = executions_of(app, order)[-1]
    assert (again.number, again.attempt) == (2, 1)
    assert app.task(order.task_id).status is TaskStatus.SUCCEEDED


async def test_a_run_that_starts_on_a_worker_already_shutting_down_is_interrupted_at_once() -> None:
    app = FakeApp(heartbeat_interval_s=NEVER)
    order = await queued(app, script=LONG_RUN)
    app.signals.stop_all(StopReason.SHUTDOWN)
    assert await asyncio.wait_for(app.run(order), timeout=2) is ExecutionStatus.FAILED
    assert app.task(order.task_id).status is TaskStatus.QUEUED


async def test_a_shutdown_does_not_undo_a_cancel_asked_meanwhile() -> None:
    app = FakeApp(heartbeat_interval_s=NEVER)
    app.stops.lose = True  # the cancel is in the database; the run has not heard of it
    order = await queued(app, script=LONG_RUN)
    run = await started(app, order)
    await app.use(CancelTask)(ALICE, order.task_id)
    app.signals.stop_all(StopReason.SHUTDOWN)
    assert await asyncio.wait_for(run, timeout=2) is ExecutionStatus.CANCELLED
    assert app.task(order.task_id).status is TaskStatus.CANCELLED
    assert await app.relay() == 0, "nothing was requeued"


async def test_a_run_that_finishes_within_the_grace_period_ends_normally() -> None:
    app = FakeApp(heartbeat_interval_s=NEVER)
    order = await queued(app, script=(Say("quick"),))
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    assert app.signals.stop_all(StopReason.SHUTDOWN) == 0, "nothing was left to interrupt"
    assert app.task(order.task_id).status is TaskStatus.SUCCEEDED
