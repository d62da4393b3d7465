"""Fair share across users: the order in which the relay hands due work to the broker (and so to the next
free worker), as a property of the ordering and through the relay on the fakes."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.tasks.dispatch.fair_share import fair_order
from agentry.application.tasks.ports.user_usage import OwnerLoad
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.run.execution_claim import ExecutionClaim
from agentry.domain.principal import Principal
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.orders import ExecutionOrder, QueueJob
from agentry.domain.tasks.script import Sleep
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, FakeApp
from tests.unit.application.test_limits_and_budgets import until
from tests.unit.application.test_user_quotas import CAROL

T0 = datetime(2026, 1, 1, tzinfo=UTC)
USERS = [UUID(int=0x100 + n) for n in range(4)]


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[QueueJob], dict[UUID, OwnerLoad]]:
    """Due jobs of a few users, with random priorities and due times, each user running a few already."""
    running = {user: draw(st.integers(0, 3)) for user in USERS}
    jobs, loads = [], {}
    for n in range(draw(st.integers(0, 25))):
        task_id, owner = UUID(int=0x1000 + n), draw(st.sampled_from(USERS))
        rank = draw(st.sampled_from([p.rank for p in Priority]))
        due = T0 + timedelta(seconds=draw(st.integers(0, 5)))
        jobs.append(QueueJob(UUID(int=0x2000 + n), ExecutionOrder(task_id, 1), due, due, rank))
        loads[task_id] = OwnerLoad(owner, running[owner])
    return draw(st.permutations(jobs)), loads


@settings(max_examples=300, deadline=None)
@given(batches())
def test_no_user_s_job_goes_out_while_another_user_who_runs_and_was_sent_less_waits(
    batch: tuple[list[QueueJob], dict[UUID, OwnerLoad]],
) -> None:
    jobs, loads = batch
    ordered = fair_order(jobs, loads)
    assert sorted(job.id for job in ordered) == sorted(job.id for job in jobs), "each job once"

    def owner(job: QueueJob) -> UUID:
        return loads[job.order.task_id].owner_id

    sent: Counter[UUID] = Counter()
    turns = []  # each job's owner's running executions plus the owner's jobs sent before it
    for job in ordered:
        turns.append(loads[job.order.task_id].running + sent[owner(job)])
        sent[owner(job)] += 1
    for i, earlier in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            assert turns[i] <= turns[j], f"{owner(earlier)} went ahead of {owner(ordered[j])}, who had less"
    for user in USERS:
        own = [(-job.priority_rank, job.available_at) for job in ordered if owner(job) == user]
        assert own == sorted(own), "a user's own work goes most urgent first, then the longest due"


def test_among_users_as_loaded_the_more_urgent_job_goes_first_then_the_longer_due() -> None:
    loads = {UUID(int=n): OwnerLoad(USERS[n], 1) for n in range(3)}
    normal_late, urgent, normal_early = (
        QueueJob(UUID(int=10 + n), ExecutionOrder(UUID(int=n), 1), T0 + timedelta(seconds=s), T0, rank)
        for n, (s, rank) in enumerate([(5, Priority.NORMAL.rank), (9, Priority.URGENT.rank), (1, Priority.NORMAL.rank)])
    )
    assert fair_order([normal_late, urgent, normal_early], loads) == [urgent, normal_early, normal_late]


async def test_the_relay_sends_the_work_of_the_user_running_less_before_another_user_s_excess() -> None:
    app = FakeApp(limit_wait_s=1.0)
    app.quotas = Quotas(user_max_running=2)
    first = [await app.submit(script=(Sleep(0.5),)) for _ in range(2)]
    await app.relay()
    runs = [asyncio.create_task(app.run_next()) for _ in first]
    for task in first:
        await until(app, task.id, TaskStatus.RUNNING)
    excess = [await app.submit(priority=Priority.URGENT, script=()) for _ in range(2)]
    await app.relay()
    assert [await app.run_next() for _ in excess] == [None, None], "held back: alice runs two"

    carol = await app.submit(actor=CAROL, script=())  # less urgent, and due after alice's excess
    app.clock.advance(seconds=1)  # alice's held-back work is due again, with carol's
    assert await app.relay() == 3
    assert [order.task_id for order in app.broker.sent] == [carol.id, excess[0].id, excess[1].id]
    await asyncio.gather(*runs)


STEPS = st.lists(
    st.tuples(st.sampled_from(["submit", "claim", "end", "wait"]), st.sampled_from([ALICE, CAROL]), st.integers(0, 99)),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(limit=st.integers(1, 3), steps=STEPS)
async def test_a_claim_holds_a_user_s_task_back_only_while_that_user_runs_the_limit(
    limit: int, steps: list[tuple[str, Principal, int]]
) -> None:
    """Messages arrive in any order, runs end in any order: whoever else runs how much, a user's task is
    held back only while that user runs `limit` executions, and no user ever runs more."""
    app = FakeApp(limit_wait_s=1.0)
    app.quotas = Quotas(user_max_running=limit)

    def running(user: UUID) -> list[TaskExecution]:
        executions = app.db.executions.values()
        return [e for e in executions if e.status is ExecutionStatus.RUNNING and app.task(e.task_id).owner_id == user]

    for kind, actor, pick in steps:
        if kind == "submit":
            await app.submit(actor=actor, script=())
            await app.relay()
        elif kind == "wait":  # held-back work is due again
            app.clock.advance(seconds=1)
            await app.relay()
        elif kind == "end" and (runs := running(actor.id)):
            execution = runs[pick % len(runs)]
            app.task(execution.task_id).end_execution(execution, ExecutionStatus.SUCCEEDED, app.clock.now())
        elif kind == "claim" and app.broker.sent:
            order = app.broker.sent.pop(pick % len(app.broker.sent))
            task = app.task(order.task_id)
            awaited = task.status is TaskStatus.QUEUED and task.awaits(order.number)
            owner_ran = len(running(task.owner_id))
            claimed = await app.use(ExecutionClaim)(order)
            if awaited and claimed is None:
                assert owner_ran >= limit, f"held back while its owner ran {owner_ran} of {limit}"
            assert len(running(task.owner_id)) <= limit
