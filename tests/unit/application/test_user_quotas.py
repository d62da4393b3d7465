"""Per-user quotas on the fakes: how many of one user's tasks may run and wait at once, and the server's
default monthly budget for personal projects."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest

from agentry.application.errors import TooManyWaitingTasks
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.follow_up_task import FollowUpCommand, FollowUpTask
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.retry_task import RetryTask
from agentry.domain.errors import BudgetExhausted
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.script import Fail, Sleep, Spend
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, TEAM, FakeApp
from tests.unit.application.test_limits_and_budgets import dispatched, executions_of, job_of, limited, until

CAROL = Principal(UUID(int=0xCA201), "carol", memberships={TEAM: ProjectRole.MEMBER})  # alice's teammate


def app_with(**quotas: Any) -> FakeApp:
    app = FakeApp(limit_wait_s=3600.0)  # held-back work comes back only when a slot frees
    app.quotas = Quotas(**quotas)
    return app


async def started(app: FakeApp, actor: Principal, count: int) -> list[asyncio.Task[Any]]:
    """`count` tasks of `actor` running (sleeping a while), in the team's project."""
    orders = [await dispatched(app, actor=actor, project_id=TEAM, script=(Sleep(0.3),)) for _ in range(count)]
    runs = [asyncio.create_task(app.run(order)) for order in orders]
    for order in orders:
        await until(app, order.task_id, TaskStatus.RUNNING)
    return runs


# --- running: one user's excess waits, others' work does not ---------------------------------------


async def test_a_user_s_work_over_the_running_limit_stays_queued_while_another_user_s_starts() -> None:
    app = app_with(user_max_running=2)
    runs = await started(app, ALICE, 2)
    excess = await dispatched(app, actor=ALICE, script=())
    assert await app.run(excess) is None, "held back: alice runs two already"
    assert app.task(excess.task_id).status is TaskStatus.QUEUED
    assert executions_of(app, excess.task_id) == []
    assert job_of(app, excess).job.dispatched_at is None

    carol = await dispatched(app, actor=CAROL, script=())
    assert await app.run(carol) is ExecutionStatus.SUCCEEDED, "another user's task starts at once"
    assert await app.relay() == 0, "alice's excess is not offered again while her two run"

    assert await asyncio.gather(*runs) == [ExecutionStatus.SUCCEEDED] * 2
    assert await app.relay() == 1, "one of alice's runs ended: her held-back work goes at once"
    assert app.broker.sent == [excess]
    assert await app.run_next() is ExecutionStatus.SUCCEEDED


async def test_the_running_limit_counts_the_user_s_runs_in_every_project() -> None:
    app = app_with(user_max_running=1)
    [run] = await started(app, ALICE, 1)
    elsewhere = await dispatched(app, actor=ALICE, project_id=TEAM, script=())
    app.db.tasks[elsewhere.task_id].project_id = UUID(int=0x07E25)  # another project: still alice's task
    assert await app.run(elsewhere) is None
    assert await run is ExecutionStatus.SUCCEEDED


async def test_without_a_running_limit_one_user_runs_as_much_as_the_workers_take() -> None:
    app = app_with(user_max_running=None)
    orders = [await dispatched(app, script=(Sleep(0.05),)) for _ in range(5)]
    assert await asyncio.gather(*(app.run(order) for order in orders)) == [ExecutionStatus.SUCCEEDED] * 5


async def test_a_busy_user_s_waiting_work_does_not_keep_a_project_s_free_slot_from_another_user() -> None:
    """Alice's excess waits ahead of carol's task in a shared project with room for three; alice cannot run
    more, so carol's task takes the free slot instead of waiting behind alice's queue."""
    app = app_with(user_max_running=2)
    limited(app, max_running=3)
    runs = await started(app, ALICE, 2)
    excess = [await dispatched(app, actor=ALICE, script=()) for _ in range(3)]
    for order in excess:
        assert await app.run(order) is None
    carol = await dispatched(app, actor=CAROL, script=())
    assert await app.run(carol) is ExecutionStatus.SUCCEEDED
    await asyncio.gather(*runs)


async def test_a_project_s_limit_still_waits_for_more_urgent_work_of_users_who_can_run_it() -> None:
    app = app_with(user_max_running=2)
    limited(app, max_running=1)
    carol = await dispatched(app, actor=CAROL, script=())
    alice = await dispatched(app, actor=ALICE, script=())
    assert await app.run(alice) is None, "carol's older task comes first, and carol may run it"
    assert await app.run(carol) is ExecutionStatus.SUCCEEDED


# --- waiting: refused at submission, retry and follow-up ------------------------------------------


async def test_a_submission_over_the_waiting_limit_is_refused_and_nothing_is_written() -> None:
    app = app_with(user_max_waiting=2)
    await app.submit(script=())
    await app.submit(script=(), scheduled_at=app.clock.now().replace(year=2100))  # pending counts too
    before = (dict(app.db.tasks), dict(app.db.jobs))
    with pytest.raises(TooManyWaitingTasks) as refused:
        await app.submit(script=())
    assert (refused.value.limit, refused.value.waiting) == (2, 2)
    assert "limit of 2" in str(refused.value)
    assert (dict(app.db.tasks), dict(app.db.jobs)) == before
    await app.submit(actor=CAROL, project_id=TEAM, script=())  # another user has room of her own


async def test_a_replayed_submission_is_answered_even_at_the_waiting_limit() -> None:
    app = app_with(user_max_waiting=1)
    first = await app.submit(key="nightly", script=())
    assert (await app.submit(key="nightly", script=())).id == first.id
    with pytest.raises(TooManyWaitingTasks):
        await app.submit(key="another", script=())


async def test_work_that_started_or_ended_no_longer_waits() -> None:
    app = app_with(user_max_waiting=1)
    first = await dispatched(app, script=())
    with pytest.raises(TooManyWaitingTasks):
        await app.submit(script=())
    assert await app.run(first) is ExecutionStatus.SUCCEEDED
    waiting = await app.submit(script=())
    await app.use(CancelTask)(ALICE, waiting.id)
    await app.submit(script=())


async def test_a_retry_or_a_follow_up_over_the_waiting_limit_is_refused() -> None:
    app = app_with(user_max_waiting=1)
    broken = await dispatched(app, script=(Fail("broken", retryable=False),), max_attempts=1)
    assert await app.run(broken) is ExecutionStatus.FAILED
    await app.submit(script=())
    with pytest.raises(TooManyWaitingTasks):
        await app.use(RetryTask)(ALICE, broken.task_id)
    assert app.task(broken.task_id).status is TaskStatus.FAILED
    with pytest.raises(TooManyWaitingTasks):
        await app.use(FollowUpTask)(ALICE, FollowUpCommand(broken.task_id, "Try again, differently."))
    app.quotas = replace(app.quotas, user_max_waiting=2)
    assert (await app.use(RetryTask)(ALICE, broken.task_id)).status is TaskStatus.QUEUED


# --- the default budget of personal projects --------------------------------------------------------


async def test_a_personal_project_without_a_budget_of_its_own_has_the_server_s_default() -> None:
    app = app_with(personal_monthly_budget_usd=1.0)
    app.db.projects[TEAM].personal = True
    spender = await dispatched(app, script=(Spend(1.0),))
    assert await app.run(spender) is ExecutionStatus.SUCCEEDED
    with pytest.raises(BudgetExhausted) as refused:
        await app.submit(script=())
    assert (refused.value.cap_usd, refused.value.spent_usd) == (1.0, 1.0)
    limited(app, monthly_budget_usd=5.0)  # its own budget counts instead
    await app.submit(script=())


async def test_the_default_budget_leaves_shared_projects_alone_and_queued_work_fails_on_it() -> None:
    app = app_with(personal_monthly_budget_usd=0.0)
    queued = await dispatched(app, script=())  # the team's project is shared: no default budget
    app.db.projects[TEAM].personal = True
    with pytest.raises(BudgetExhausted):
        await app.submit(script=())
    assert await app.run(queued) is ExecutionStatus.FAILED
    assert app.task(queued.task_id).error_code == "budget_exhausted"
