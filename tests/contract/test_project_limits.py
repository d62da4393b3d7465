"""ProjectUsage and Outbox.hold_back, the storage side of a project's concurrency limit and monthly budget,
for every adapter (the in-memory fake, SQLite, PostgreSQL); and the limit holding when two workers claim
work of the same project at the same moment."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from agentry.adapters.channels.live_events import UnwatchedLiveEvents
from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.otel.context import PlainWorkContext
from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.run.run_execution import RunExecution
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.projects.project import month_start
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus, TaskExecution
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.script import Sleep
from agentry.domain.tasks.spec import Priority, TaskOptions
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import OTHER_PROJECT, PROJECT, make_job, make_task, moment, start
from tests.contract.pausing import Pausing
from tests.contract.storage import Storage
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock

SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)


async def store(
    storage: Storage, *tasks: AgentTask, executions: tuple[Any, ...] = (), jobs: tuple[Any, ...] = ()
) -> None:
    async with storage.scope() as p:
        for task in tasks:
            await p.tasks.add(task)
        await p.uow.commit()
        for execution in executions:
            await p.executions.add(execution)
        for job in jobs:
            await p.outbox.enqueue(job)
        await p.uow.commit()


async def test_running_executions_are_counted_per_project_cancelling_ones_included(storage: Storage) -> None:
    running, cancelling, ended, queued, elsewhere = (
        make_task(),
        make_task(),
        make_task(),
        make_task(),
        make_task(project_id=OTHER_PROJECT),
    )
    executions = [start(task) for task in (running, cancelling, ended, elsewhere)]
    cancelling.cancel(moment(10_000))
    ended.end_execution(executions[2], ExecutionStatus.SUCCEEDED, moment(10_000))
    await store(storage, running, cancelling, ended, queued, elsewhere, executions=tuple(executions))
    async with storage.scope() as p:
        assert await p.usage.running_executions(PROJECT) == 2
        assert await p.usage.running_executions(OTHER_PROJECT) == 1
        assert await p.usage.running_executions(uuid4()) == 0


async def test_spend_in_a_month_sums_the_project_s_executions_started_in_that_month(storage: Storage) -> None:
    month = month_start(moment(50_000))
    before, at, after, elsewhere, running, next_month = (
        make_task(created_at=month - timedelta(days=2)) for _ in range(6)
    )
    elsewhere.project_id = OTHER_PROJECT
    executions = [
        ended(before, month - timedelta(seconds=1), 100.0),
        ended(at, month, 0.25),
        ended(after, month + timedelta(days=3), 1.5, retryable=True),
        ended(after, month + timedelta(days=4), 0.125),
        ended(elsewhere, month + timedelta(days=1), 7.0),
        start(running, at=month + timedelta(days=5)),
        ended(next_month, month + timedelta(days=40), 50.0),
    ]
    await store(storage, before, at, after, elsewhere, running, next_month, executions=tuple(executions))
    async with storage.scope() as p:
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 0.25 + 1.5 + 0.125
        assert await p.usage.spent_in_month(OTHER_PROJECT, month.date()) == 7.0
        assert await p.usage.spent_in_month(uuid4(), month.date()) == 0.0


async def test_spend_counts_an_execution_as_it_ends_and_stays_counted_when_its_task_is_deleted(
    storage: Storage,
) -> None:
    month = month_start(moment(50_000))
    task = make_task()
    execution = start(task, at=month + timedelta(hours=1))
    await store(storage, task, executions=(execution,))
    async with storage.scope() as p:
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 0.0, "running: nothing spent yet"
        loaded = await p.tasks.get(task.id, for_update=True)
        (current,) = await p.executions.for_task(task.id)
        loaded.end_execution(current, ExecutionStatus.SUCCEEDED, month + timedelta(hours=2), usage=Usage(1, 2, 3.5))
        await p.uow.rollback()
    async with storage.scope() as p:
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 0.0, "rolled back: not counted"
        loaded = await p.tasks.get(task.id, for_update=True)
        (current,) = await p.executions.for_task(task.id)
        loaded.end_execution(current, ExecutionStatus.SUCCEEDED, month + timedelta(hours=2), usage=Usage(1, 2, 3.5))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 3.5
        await p.tasks.delete(await p.tasks.get(task.id))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 3.5, "money spent stays spent"


async def test_the_spend_read_with_a_task_to_run_is_the_month_s_and_answers_once(storage: Storage) -> None:
    """On PostgreSQL the claim's read of its task also reads its project's spend this month (one round
    trip): the next question in that transaction gets it; any other, or a later one, asks the roll-up."""
    month = month_start(datetime.now(UTC))
    spent, claimed, later = make_task(created_at=month), make_task(created_at=month), make_task(created_at=month)
    await store(storage, spent, claimed, later, executions=(ended(spent, month, 0.75),))
    async with storage.scope() as p:
        assert await p.tasks.get_to_run(claimed.id) is not None
        assert await p.usage.spent_in_month(OTHER_PROJECT, month.date()) == 0.0, "another project: its own"
        assert await p.tasks.get_to_run(claimed.id) is not None
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 0.75
        assert await p.usage.spent_in_month(PROJECT, (month - timedelta(days=1)).date()) == 0.0, "another month"
        await p.uow.rollback()
    await store(storage, executions=(ended(later, month, 0.5),))
    async with storage.scope() as p:
        assert await p.tasks.get_to_run(claimed.id) is not None
        await p.uow.commit()
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 1.25, "read in a later transaction: fresh"


async def test_the_spend_read_with_a_project_is_the_month_s_and_answers_once(storage: Storage) -> None:
    """On PostgreSQL a project read by id also reads its spend this month (a submit's budget check then
    costs no round trip): the value is the roll-up's, for that project, month and transaction only."""
    month = month_start(datetime.now(UTC))
    spent, later = make_task(created_at=month), make_task(created_at=month)
    await store(storage, spent, later, executions=(ended(spent, month, 0.75),))
    async with storage.scope() as p:
        assert (await p.projects.get(PROJECT)).id == PROJECT
        assert await p.usage.spent_in_month(OTHER_PROJECT, month.date()) == 0.0, "another project: its own"
        assert (await p.projects.get(PROJECT)).id == PROJECT
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 0.75
        assert await p.usage.spent_in_month(PROJECT, (month - timedelta(days=1)).date()) == 0.0, "another month"
        assert await p.projects.get(uuid4()) is None
        await p.uow.rollback()
    await store(storage, executions=(ended(later, month, 0.5),))
    async with storage.scope() as p:
        assert (await p.projects.get(PROJECT)).id == PROJECT
        await p.uow.commit()
        assert await p.usage.spent_in_month(PROJECT, month.date()) == 1.25, "read in a later transaction: fresh"


def ended(task: AgentTask, at: datetime, cost: float, *, retryable: bool = False) -> TaskExecution:
    """The task's next execution, started at `at` and ended a minute later having cost `cost`."""
    execution = start(task, at=at)
    usage, end = Usage(10, 20, cost), at + timedelta(minutes=1)
    if retryable:
        task.requeue(execution, ExecutionError("overloaded", "try again"), end, usage=usage)
    else:
        task.end_execution(execution, ExecutionStatus.SUCCEEDED, end, usage=usage)
    return execution


async def test_queued_work_ahead_is_more_urgent_or_as_urgent_and_due_earlier(storage: Storage) -> None:
    now = moment(100_000)
    mine = make_task(id=UUID(int=0x5 << 120), priority=Priority.NORMAL)
    due = moment(1_000)

    def waiting(rank: Priority, available_at: Any, **task: Any) -> tuple[AgentTask, Any]:
        queued = make_task(priority=rank, **task)
        return queued, make_job(queued, available_at=available_at, priority_rank=rank.rank)

    ahead = [
        waiting(Priority.URGENT, moment(5_000)),  # more urgent, due later than mine (but by now)
        waiting(Priority.HIGH, due),
        waiting(Priority.NORMAL, due - timedelta(seconds=1)),  # as urgent, due earlier
        waiting(Priority.NORMAL, due, id=UUID(int=0x1 << 120)),  # as urgent, due at once, smaller id
    ]
    behind = [
        waiting(Priority.NORMAL, due, id=UUID(int=0x9 << 120)),  # as urgent, due at once, larger id
        waiting(Priority.NORMAL, due + timedelta(seconds=1)),
        waiting(Priority.LOW, moment(0)),
        waiting(Priority.URGENT, now + timedelta(seconds=1)),  # not due yet: waiting out a back-off
        waiting(Priority.URGENT, due, project_id=OTHER_PROJECT),
    ]
    started, started_job = waiting(Priority.URGENT, due)
    execution = start(started)
    everything = [(mine, make_job(mine, available_at=due, priority_rank=Priority.NORMAL.rank)), *ahead, *behind]
    await store(
        storage,
        *(task for task, _ in everything),
        started,
        executions=(execution,),
        jobs=(*(job for _, job in everything), started_job),
    )
    order = ExecutionOrder(mine.id, 1)
    async with storage.scope() as p:
        assert await p.usage.queued_ahead(PROJECT, order, Priority.NORMAL.rank, now) == len(ahead)
        assert await p.usage.queued_ahead(PROJECT, order, Priority.URGENT.rank, now) == 0
        assert await p.usage.queued_ahead(PROJECT, order, Priority.LOW.rank, now) == 7  # every due one


async def test_a_held_back_job_is_sent_again_after_the_wait_keeping_its_place_in_the_queue(storage: Storage) -> None:
    held, other = make_task(), make_task()
    held_job, other_job = make_job(held, available_at=moment(10)), make_job(other, available_at=moment(20))
    await store(storage, held, other, jobs=(held_job, other_job))
    now = moment(1_000)
    async with storage.scope() as p:
        await p.relay.claim_due(now, now + timedelta(seconds=30), 10)
        await p.relay.mark_dispatched([held_job.id, other_job.id], now, now + timedelta(seconds=30))
        await p.uow.commit()
    async with storage.scope() as p:
        await p.outbox.hold_back(held_job.order, now + timedelta(seconds=1), Priority.HIGH.rank)
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.relay.claim_due(now + timedelta(milliseconds=999), now + timedelta(seconds=30), 10) == []
        await p.uow.commit()
    async with storage.scope() as p:
        [job] = await p.relay.claim_due(now + timedelta(seconds=1), now + timedelta(seconds=30), 10)
        await p.uow.commit()
    assert (job.id, job.order, job.available_at, job.priority_rank) == (
        held_job.id,
        held_job.order,
        moment(10),
        Priority.HIGH.rank,
    )


async def test_a_job_held_back_before_the_relay_marks_it_sent_keeps_its_hold(storage: Storage) -> None:
    """The relay sends, a worker gets the message at once and holds the job back (no free slot), and only
    then does the relay mark what it sent: the mark must not erase the hold, or the task waits for ever."""
    held, other = make_task(), make_task()
    held_job, other_job = make_job(held, available_at=moment(10)), make_job(other, available_at=moment(20))
    await store(storage, held, other, jobs=(held_job, other_job))
    now, lease = moment(1_000), moment(1_000) + timedelta(seconds=30)
    async with storage.scope() as p:
        await p.relay.claim_due(now, lease, 10)
        await p.uow.commit()
    async with storage.scope() as p:
        await p.outbox.hold_back(held_job.order, now + timedelta(seconds=1), Priority.NORMAL.rank)
        await p.uow.commit()
    async with storage.scope() as p:
        await p.relay.mark_dispatched([held_job.id, other_job.id], now, lease)
        await p.uow.commit()
    async with storage.scope() as p:
        [job] = await p.relay.claim_due(now + timedelta(seconds=1), now + timedelta(seconds=31), 10)
        await p.uow.commit()
    assert job.id == held_job.id, "the held-back job is sent again when its hold ends; the other one was sent"


async def test_held_back_jobs_of_the_project_s_queued_tasks_are_offered_again_when_a_slot_frees(
    storage: Storage,
) -> None:
    held, elsewhere, pending = make_task(), make_task(project_id=OTHER_PROJECT), make_task(status=TaskStatus.PENDING)
    jobs = [make_job(task, available_at=moment(10 + i)) for i, task in enumerate((held, elsewhere, pending))]
    await store(storage, held, elsewhere, pending, jobs=tuple(jobs))
    now = moment(1_000)
    async with storage.scope() as p:
        await p.relay.claim_due(now, now + timedelta(seconds=30), 10)
        await p.relay.mark_dispatched([job.id for job in jobs], now, now + timedelta(seconds=30))
        await p.uow.commit()
    async with storage.scope() as p:
        for job in jobs:
            await p.outbox.hold_back(job.order, now + timedelta(hours=1), Priority.NORMAL.rank)
        await p.uow.commit()
    async with storage.scope() as p:
        await p.outbox.offer_held_back(PROJECT, now)
        await p.uow.commit()
    async with storage.scope() as p:
        offered = await p.relay.claim_due(now, now + timedelta(seconds=30), 10)
        await p.uow.commit()
    assert [job.id for job in offered] == [jobs[0].id], "only the project's queued work; not another's, not pending"


# --- two workers claiming at once -----------------------------------------------------------------


class CountingRunner:
    """The scripted runner, counting how many of its runs go on at once."""

    needs_history = False

    def __init__(self) -> None:
        self.now = self.most = 0

    async def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            async for event in ScriptedRunner().run(request):
                yield event
        finally:
            self.now -= 1


async def work(
    storage: Storage, order: ExecutionOrder, runner: CountingRunner, clock: FakeClock, quotas: Quotas | None = None
) -> Any:
    async with storage.scope() as p:
        run = RunExecution(
            tasks=Pausing(p.tasks, pause_s=0.02),
            executions=p.executions,
            logs=p.logs,
            results=p.results,
            endings=p.endings,
            outbox=Pausing(p.outbox, pause_s=0.02),
            runners=StaticRunnerCatalog({"scripted": runner}, default="scripted"),  # type: ignore[dict-item]
            policy=TablePolicy(),
            uow=Pausing(p.uow, pause_s=0.02),
            clock=clock,
            ids=_Ids(),
            settings=RunSettings(worker_id="w", heartbeat_interval_s=0.05, log_flush_interval_s=0.05),
            live=UnwatchedLiveEvents(),
            signals=RunSignalHub(),
            projects=Pausing(p.projects, pause_s=0.02),
            usage=Pausing(p.usage, pause_s=0.02),
            users=Pausing(p.user_usage, pause_s=0.02),
            quotas=quotas or Quotas(),
            work=PlainWorkContext(),
        )
        return await run(SYSTEM, order)


class _Ids:
    def new_id(self) -> UUID:
        return uuid4()


async def test_two_workers_claiming_at_once_never_both_take_the_project_s_last_slot(storage: Storage) -> None:
    async with storage.scope() as p:
        project = await p.projects.get(PROJECT, for_update=True)
        project.update(moment(1), settings=replace(project.settings, max_running=1))
        await p.uow.commit()
    # orders sent by hand (no outbox jobs): neither task waits ahead of the other, only the count of
    # running executions stands between them, and only the project's lock keeps it true
    tasks = [make_task(options=TaskOptions(script=(Sleep(0.3),))) for _ in range(2)]
    await store(storage, *tasks)
    runner, clock = CountingRunner(), FakeClock(start=moment(100_000))
    outcomes = await asyncio.wait_for(
        asyncio.gather(*(work(storage, ExecutionOrder(task.id, 1), runner, clock) for task in tasks)), 30
    )
    assert runner.most == 1
    assert sorted(outcomes, key=str) == [None, ExecutionStatus.SUCCEEDED]
    held_back = tasks[outcomes.index(None)]
    async with storage.scope() as p:
        assert (await p.tasks.get(held_back.id)).status is TaskStatus.QUEUED
        assert await p.executions.for_task(held_back.id) == []
