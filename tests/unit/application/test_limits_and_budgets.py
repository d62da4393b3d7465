"""A project's concurrency limit and priorities, a task's own spending cap and a project's monthly budget,
on the fakes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from agentry.application.tasks.follow_up_task import FollowUpCommand, FollowUpTask
from agentry.application.tasks.retry_task import RetryTask
from agentry.domain.errors import BudgetExhausted
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.script import Fail, Say, Sleep, Spend
from agentry.domain.tasks.spec import Priority, TaskOptions
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, BOB, TEAM, FakeApp
from tests.fakes.system import EPOCH


def limited(app: FakeApp, **settings: Any) -> None:
    project = app.db.projects[TEAM]
    project.settings = replace(project.settings, **settings)


async def until(app: FakeApp, task_id: UUID, status: TaskStatus, within: float = 2.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while app.task(task_id).status is not status:
        assert asyncio.get_running_loop().time() < deadline, f"task stayed {app.task(task_id).status}"
        await asyncio.sleep(0.005)


async def dispatched(app: FakeApp, **spec: Any) -> ExecutionOrder:
    """A task submitted, and its order sent to the broker (taken from it: the test delivers it)."""
    task = await app.submit(**spec)
    await app.relay()
    [order] = [o for o in app.broker.sent if o.task_id == task.id]
    app.broker.sent.remove(order)
    return order


def job_of(app: FakeApp, order: ExecutionOrder) -> Any:
    [row] = [row for row in app.db.jobs.values() if row.job.order == order]
    return row


def executions_of(app: FakeApp, task_id: UUID) -> list[Any]:
    return sorted((e for e in app.db.executions.values() if e.task_id == task_id), key=lambda e: e.number)


def messages_of(app: FakeApp, task_id: UUID) -> list[str]:
    return [line.message for (t, _, _), line in sorted(app.db.logs.items(), key=lambda kv: kv[0]) if t == task_id]


# --- the concurrency limit ------------------------------------------------------------------------


async def test_work_over_the_limit_stays_queued_and_is_offered_again_after_the_wait() -> None:
    app = FakeApp(limit_wait_s=1.0)
    limited(app, max_running=1)
    first = await dispatched(app, script=(Sleep(0.2), Say("first")))
    second = await dispatched(app, priority=Priority.LOW, script=(Say("second"),))
    running = asyncio.create_task(app.run(first))
    await until(app, first.task_id, TaskStatus.RUNNING)

    assert await app.run(second) is None, "held back: the one slot is taken"
    assert app.task(second.task_id).status is TaskStatus.QUEUED
    assert executions_of(app, second.task_id) == []
    row = job_of(app, second)
    assert row.job.dispatched_at is None and row.job.priority_rank == Priority.LOW.rank
    assert row.leased_until == pytest.approx(app.clock.current + timedelta(seconds=1), abs=timedelta(milliseconds=50))
    assert await app.relay() == 0, "not offered again before the wait is over"

    assert await running is ExecutionStatus.SUCCEEDED
    app.clock.advance(seconds=1)
    assert await app.relay() == 1
    assert app.broker.sent == [second]
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    assert [e.number for e in executions_of(app, second.task_id)] == [1]


async def test_the_limit_counts_the_project_s_running_executions_only() -> None:
    app = FakeApp()
    limited(app, max_running=2)
    orders = [await dispatched(app, script=(Sleep(0.2),)) for _ in range(3)]
    runs = [asyncio.create_task(app.run(order)) for order in orders[:2]]
    for order in orders[:2]:
        await until(app, order.task_id, TaskStatus.RUNNING)
    assert await app.run(orders[2]) is None
    elsewhere = await dispatched(app, actor=BOB, script=())  # another project, without a limit
    assert await app.run(elsewhere) is ExecutionStatus.SUCCEEDED
    assert await asyncio.gather(*runs) == [ExecutionStatus.SUCCEEDED] * 2
    app.clock.advance(seconds=2)
    assert await app.relay() == 1
    assert await app.run_next() is ExecutionStatus.SUCCEEDED


async def test_a_project_without_a_limit_runs_everything_at_once() -> None:
    app = FakeApp()
    orders = [await dispatched(app, script=(Sleep(0.1),)) for _ in range(5)]
    outcomes = await asyncio.gather(*(app.run(order) for order in orders))
    assert outcomes == [ExecutionStatus.SUCCEEDED] * 5


async def test_waiting_work_starts_in_priority_order_as_slots_free_whatever_order_messages_arrive_in() -> None:
    app = FakeApp(limit_wait_s=1.0)
    limited(app, max_running=1)
    blocker = await dispatched(app, script=(Sleep(0.2),))
    blocking = asyncio.create_task(app.run(blocker))
    await until(app, blocker.task_id, TaskStatus.RUNNING)
    named: dict[UUID, str] = {}
    for name, priority in [
        ("low", Priority.LOW),
        ("older high", Priority.HIGH),
        ("normal", Priority.NORMAL),
        ("newer high", Priority.HIGH),
        ("urgent", Priority.URGENT),
    ]:
        named[(await dispatched(app, title=name, priority=priority, script=())).task_id] = name
        app.clock.advance(seconds=1)  # each is older than the next
    for task_id in named:  # every one arrives while the slot is taken
        assert await app.run(ExecutionOrder(task_id, 1)) is None
    assert await blocking is ExecutionStatus.SUCCEEDED

    started: list[str] = []
    while len(started) < len(named):
        app.clock.advance(seconds=1)
        await app.relay()
        offered, app.broker.sent = app.broker.sent, []
        if not started:
            assert [named[o.task_id] for o in offered] == ["urgent", "older high", "newer high", "normal", "low"]
        for order in reversed(offered):  # the least urgent arrive first: they must not take the slot
            if await app.run(order) is ExecutionStatus.SUCCEEDED:
                started.append(named[order.task_id])
    assert started == ["urgent", "older high", "newer high", "normal", "low"]


async def test_work_waiting_out_a_retry_back_off_does_not_keep_a_free_slot_from_less_urgent_work() -> None:
    app = FakeApp(retry_backoff_min_s=60.0, retry_backoff_max_s=60.0)
    limited(app, max_running=1)
    flaky = await dispatched(app, priority=Priority.URGENT, script=(Fail("overloaded", retryable=True),))
    assert await app.run(flaky) is ExecutionStatus.FAILED
    assert app.task(flaky.task_id).status is TaskStatus.QUEUED  # its retry is due in a minute
    low = await dispatched(app, priority=Priority.LOW, script=())
    assert await app.run(low) is ExecutionStatus.SUCCEEDED


async def test_a_duplicate_order_is_not_held_back_and_does_not_touch_the_outbox() -> None:
    app = FakeApp()
    limited(app, max_running=1)
    order = await dispatched(app, script=())
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    dispatched_at = job_of(app, order).job.dispatched_at
    assert await app.run(order) is None
    assert job_of(app, order).job.dispatched_at == dispatched_at
    assert await app.relay() == 0


# --- a task's own spending cap -----------------------------------------------------------------------


async def test_a_run_that_spends_more_than_its_cap_is_stopped_and_fails_for_good() -> None:
    app = FakeApp()
    script = (Say("step one. "), Spend(0.3), Say("step two. "), Spend(0.3), Sleep(5), Say("never said"))
    order = await dispatched(app, options=TaskOptions(script=script, max_budget_usd=0.5), max_attempts=3)
    started = asyncio.get_running_loop().time()
    assert await app.run(order) is ExecutionStatus.FAILED
    assert asyncio.get_running_loop().time() - started < 2, "stopped at once, not after the sleep"
    task = app.task(order.task_id)
    assert (task.status, task.attempts, task.error_code) == (TaskStatus.FAILED, 1, "budget_exceeded")
    assert "$0.6" in (task.error_message or "") and "$0.5" in (task.error_message or "")
    [execution] = executions_of(app, order.task_id)
    assert execution.usage.cost_usd == pytest.approx(0.6)
    assert "never said" not in "".join(messages_of(app, order.task_id))
    assert await app.relay() == 0, "not retried"


async def test_a_run_that_spends_exactly_its_cap_succeeds() -> None:
    app = FakeApp()
    order = await dispatched(app, options=TaskOptions(script=(Spend(0.25), Spend(0.25)), max_budget_usd=0.5))
    assert await app.run(order) is ExecutionStatus.SUCCEEDED
    assert app.db.results[order.task_id].usage.cost_usd == pytest.approx(0.5)


# --- a project's monthly budget ----------------------------------------------------------------------


async def ran(app: FakeApp, **spec: Any) -> UUID:
    order = await dispatched(app, **spec)
    await app.run(order)
    return order.task_id


async def test_new_work_is_refused_once_the_project_spent_its_monthly_budget() -> None:
    app = FakeApp()
    limited(app, monthly_budget_usd=1.0)
    await ran(app, script=(Spend(0.6),))
    failed = await ran(app, script=(Spend(0.6), Fail("broke")))
    with pytest.raises(BudgetExhausted) as refused:
        await app.submit(script=())
    assert (refused.value.project_id, refused.value.cap_usd) == (TEAM, 1.0)
    assert refused.value.spent_usd == pytest.approx(1.2)
    with pytest.raises(BudgetExhausted):
        await app.use(FollowUpTask)(ALICE, FollowUpCommand(failed, "and now?"))
    with pytest.raises(BudgetExhausted):
        await app.use(RetryTask)(ALICE, failed)
    assert app.task(failed).status is TaskStatus.FAILED, "the refused retry wrote nothing"
    assert len(app.db.tasks) == 2


async def test_a_replayed_submission_is_answered_even_after_the_budget_is_spent() -> None:
    app = FakeApp()
    limited(app, monthly_budget_usd=1.0)
    task = await app.submit(key="k-1", script=(Spend(1.0),))
    await app.relay()
    await app.run_next()
    again = await app.submit(key="k-1", script=(Spend(1.0),))
    assert again.id == task.id


async def test_the_budget_counts_this_calendar_month_only() -> None:
    app = FakeApp()
    limited(app, monthly_budget_usd=1.0)
    await ran(app, script=(Spend(1.0),))
    with pytest.raises(BudgetExhausted):
        await app.submit(script=())
    app.clock.current = EPOCH.replace(month=2, day=1, hour=0, minute=0, second=0)
    task = await app.submit(script=())
    assert task.status is TaskStatus.QUEUED


async def test_raising_the_budget_lets_work_in_again() -> None:
    app = FakeApp()
    limited(app, monthly_budget_usd=0.5)
    await ran(app, script=(Spend(0.5),))
    with pytest.raises(BudgetExhausted):
        await app.submit(script=())
    limited(app, monthly_budget_usd=2.0)
    await app.submit(script=())


async def test_queued_work_does_not_start_once_the_budget_is_spent_it_fails_saying_why() -> None:
    app = FakeApp()
    limited(app, monthly_budget_usd=1.0)
    spender = await dispatched(app, script=(Spend(1.0),))
    waiting = await dispatched(app, script=(Say("never said"),), max_attempts=3)
    assert await app.run(spender) is ExecutionStatus.SUCCEEDED
    assert await app.run(waiting) is ExecutionStatus.FAILED
    task = app.task(waiting.task_id)
    assert (task.status, task.error_code) == (TaskStatus.FAILED, "budget_exhausted")
    assert "monthly budget of $1" in (task.error_message or "")
    [execution] = executions_of(app, waiting.task_id)
    assert execution.usage.cost_usd == 0
    log = messages_of(app, waiting.task_id)
    assert "never said" not in "".join(log) and "agent session started" not in log
    lines = [line for (t, _, _), line in app.db.logs.items() if t == waiting.task_id]
    assert max(lines, key=lambda line: line.sequence).kind is LogKind.RESULT
    assert await app.relay() == 0, "not retried"


async def test_a_slot_that_comes_free_is_offered_at_once_not_when_the_wait_is_over() -> None:
    app = FakeApp(limit_wait_s=3600.0)
    limited(app, max_running=1)
    first = await dispatched(app, script=(Sleep(0.1), Say("first")))
    second = await dispatched(app, script=(Say("second"),))
    running = asyncio.create_task(app.run(first))
    await until(app, first.task_id, TaskStatus.RUNNING)
    assert await app.run(second) is None, "held back for an hour"
    assert await app.relay() == 0

    assert await running is ExecutionStatus.SUCCEEDED
    assert await app.relay() == 1, "the freed slot's work goes at once"
    assert app.broker.sent == [second]
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
