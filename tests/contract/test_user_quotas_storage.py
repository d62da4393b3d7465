"""UserUsage, and the outbox's side of the per-user running limit, for every adapter (the in-memory fake,
SQLite, PostgreSQL); and the limit holding when two workers claim work of the same user at the same moment."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID, uuid4

from agentry.application.tasks.ports.user_usage import OwnerLoad
from agentry.application.tasks.quotas import Quotas
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.script import Sleep
from agentry.domain.tasks.spec import Priority, TaskOptions
from agentry.domain.tasks.status import TaskStatus
from tests.contract.builders import OTHER, OTHER_PROJECT, OWNER, PROJECT, make_job, make_task, moment, start
from tests.contract.storage import Storage
from tests.contract.test_project_limits import CountingRunner, store, work
from tests.fakes.system import FakeClock


async def test_running_executions_are_counted_per_user_across_projects_cancelling_ones_included(
    storage: Storage,
) -> None:
    here, there, cancelling, ended, queued = (
        make_task(),
        make_task(project_id=OTHER_PROJECT),
        make_task(),
        make_task(),
        make_task(),
    )
    others = make_task(owner_id=OTHER)
    executions = [start(task) for task in (here, there, cancelling, ended, others)]
    cancelling.cancel(moment(10_000))
    ended.end_execution(executions[3], ExecutionStatus.SUCCEEDED, moment(10_000))
    await store(storage, here, there, cancelling, ended, queued, others, executions=tuple(executions))
    async with storage.scope() as p:
        assert await p.user_usage.running_executions(OWNER) == 3
        assert await p.user_usage.running_executions(OTHER) == 1
        assert await p.user_usage.running_executions(uuid4()) == 0


async def test_waiting_tasks_are_the_user_s_pending_and_queued_ones_in_every_project(storage: Storage) -> None:
    queued, elsewhere, pending = make_task(), make_task(project_id=OTHER_PROJECT), make_task(status=TaskStatus.PENDING)
    running, cancelled, others = make_task(), make_task(), make_task(owner_id=OTHER)
    execution = start(running)
    cancelled.cancel(moment(10_000))
    await store(storage, queued, elsewhere, pending, running, cancelled, others, executions=(execution,))
    async with storage.scope() as p:
        await p.user_usage.take_turn(OWNER)  # held until the scope ends; counting goes on under it
        assert await p.user_usage.waiting_tasks(OWNER) == 3
        assert await p.user_usage.waiting_tasks(OTHER) == 1
        assert await p.user_usage.waiting_tasks(uuid4()) == 0


async def test_work_ahead_in_a_project_leaves_out_the_work_of_users_who_run_enough_already(storage: Storage) -> None:
    now, due = moment(100_000), moment(1_000)
    mine = make_task(owner_id=uuid4())
    busy_waiting, idle_waiting = make_task(), make_task(owner_id=OTHER)  # OWNER runs two; OTHER runs none
    busy_runs = [make_task(project_id=OTHER_PROJECT) for _ in range(2)]
    executions = tuple(start(task) for task in busy_runs)
    jobs = [make_job(task, available_at=due - timedelta(seconds=1)) for task in (busy_waiting, idle_waiting)]
    jobs.append(make_job(mine, available_at=due))
    await store(storage, mine, busy_waiting, idle_waiting, *busy_runs, executions=executions, jobs=tuple(jobs))
    order, rank = ExecutionOrder(mine.id, 1), Priority.NORMAL.rank
    async with storage.scope() as p:
        assert await p.usage.queued_ahead(PROJECT, order, rank, now) == 2
        assert await p.usage.queued_ahead(PROJECT, order, rank, now, busy_at=2) == 1, "OWNER's waits on OWNER"
        assert await p.usage.queued_ahead(PROJECT, order, rank, now, busy_at=3) == 2


async def test_a_freed_slot_of_the_user_offers_the_first_of_the_user_s_held_back_jobs_in_any_project(
    storage: Storage,
) -> None:
    older, urgent, others, pending = (
        make_task(),
        make_task(project_id=OTHER_PROJECT, priority=Priority.HIGH),
        make_task(owner_id=OTHER, priority=Priority.URGENT),
        make_task(status=TaskStatus.PENDING, priority=Priority.URGENT),
    )
    tasks = (older, urgent, others, pending)
    jobs = [
        make_job(task, available_at=moment(10 + i), priority_rank=task.priority.rank) for i, task in enumerate(tasks)
    ]
    await store(storage, *tasks, jobs=tuple(jobs))
    now = moment(1_000)
    async with storage.scope() as p:
        await p.relay.claim_due(now, now + timedelta(seconds=30), 10)
        await p.relay.mark_dispatched([job.id for job in jobs], now, now + timedelta(seconds=30))
        await p.uow.commit()

    async def hold_all_and_offer() -> list[UUID]:
        async with storage.scope() as p:
            for job in jobs:
                await p.outbox.hold_back(job.order, now + timedelta(hours=1), job.priority_rank)
            await p.uow.commit()
        async with storage.scope() as p:
            await p.outbox.offer_held_back_of_owner(OWNER, now)
            await p.uow.commit()
        async with storage.scope() as p:
            offered = await p.relay.claim_due(now, now + timedelta(seconds=30), 10)
            await p.uow.commit()
        return [job.id for job in offered]

    assert await hold_all_and_offer() == [jobs[1].id], "the user's most urgent, in another project"
    async with storage.scope() as p:
        running = await p.tasks.get(urgent.id, for_update=True)
        execution = start(running, at=now)
        await p.executions.add(execution)
        await p.uow.commit()
    assert await hold_all_and_offer() == [jobs[0].id], "then the next of the user's queued tasks"


async def test_two_workers_claiming_at_once_never_both_take_the_user_s_last_slot(storage: Storage) -> None:
    # Two projects without a limit: only the user's turn keeps the count of their running executions true.
    script = TaskOptions(script=(Sleep(0.3),))
    tasks = [make_task(options=script), make_task(options=script, project_id=OTHER_PROJECT)]
    await store(storage, *tasks)
    runner, clock = CountingRunner(), FakeClock(start=moment(100_000))
    quotas = Quotas(user_max_running=1)
    outcomes = await asyncio.wait_for(
        asyncio.gather(*(work(storage, ExecutionOrder(task.id, 1), runner, clock, quotas) for task in tasks)), 30
    )
    assert runner.most == 1
    assert sorted(outcomes, key=str) == [None, ExecutionStatus.SUCCEEDED]
    held_back = tasks[outcomes.index(None)]
    async with storage.scope() as p:
        assert (await p.tasks.get(held_back.id)).status is TaskStatus.QUEUED
        assert await p.executions.for_task(held_back.id) == []


async def test_loads_give_each_task_s_owner_and_what_the_owner_runs_now_in_every_project(storage: Storage) -> None:
    waiting, running_here, running_there, others_waiting = (
        make_task(),
        make_task(),
        make_task(project_id=OTHER_PROJECT),
        make_task(owner_id=OTHER),
    )
    executions = (start(running_here), start(running_there))
    await store(storage, waiting, running_here, running_there, others_waiting, executions=executions)
    async with storage.scope() as p:
        loads = await p.user_usage.loads([waiting.id, others_waiting.id, running_here.id, uuid4()])
        assert await p.user_usage.loads([]) == {}
    assert loads == {
        waiting.id: OwnerLoad(OWNER, 2),
        running_here.id: OwnerLoad(OWNER, 2),
        others_waiting.id: OwnerLoad(OTHER, 0),
    }


async def test_a_relay_pass_reads_its_leased_jobs_tasks_as_they_are(storage: Storage) -> None:
    """PostgreSQL reads the statuses and loads of the leased jobs' tasks with the lease: the same answers."""
    waiting, running_here, others_waiting, cancelled = (
        make_task(),
        make_task(),
        make_task(owner_id=OTHER),
        make_task(),
    )
    cancelled.cancel(moment(10_000))
    running_there = make_task(project_id=OTHER_PROJECT)
    leased = (waiting, running_here, others_waiting, cancelled)
    executions = (start(running_here), start(running_there))
    jobs = tuple(make_job(task) for task in leased)
    await store(storage, *leased, running_there, executions=executions, jobs=jobs)
    now = moment(100_000)
    async with storage.scope() as p:
        assert len(await p.relay.claim_due(now, now + timedelta(seconds=30), 10)) == 4
        statuses = await p.tasks.statuses([task.id for task in leased])
        loads = await p.user_usage.loads([waiting.id, others_waiting.id, cancelled.id])
        beyond = await p.user_usage.loads([waiting.id, uuid4()])  # not all leased: asked of the tables
        await p.uow.commit()
    assert statuses == {
        waiting.id: TaskStatus.QUEUED,
        running_here.id: TaskStatus.RUNNING,
        others_waiting.id: TaskStatus.QUEUED,
        cancelled.id: TaskStatus.CANCELLED,
    }
    assert loads == {
        waiting.id: OwnerLoad(OWNER, 2),
        others_waiting.id: OwnerLoad(OTHER, 0),
        cancelled.id: OwnerLoad(OWNER, 2),
    }
    assert beyond == {waiting.id: OwnerLoad(OWNER, 2)}


async def test_a_count_in_turn_waits_for_the_turn_and_reads_what_its_holder_committed(storage: Storage) -> None:
    await store(storage, make_task(), make_task(owner_id=OTHER))
    async with storage.scope() as first:
        assert await first.user_usage.waiting_tasks_in_turn(OWNER) == 1  # the turn is held from here

        async def second() -> tuple[int, int]:
            async with storage.scope() as p:
                counts = await p.user_usage.waiting_tasks_in_turn(OWNER), await p.user_usage.running_executions(OWNER)
                await p.uow.rollback()
                return counts

        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.3)
        assert not waiting.done(), "the second count waits for the first unit of work's turn"
        await first.tasks.add(make_task())
        await first.uow.commit()
    assert await asyncio.wait_for(waiting, 10) == (2, 0), "counted once the turn was held: the new task too"
    async with storage.scope() as p:
        assert await p.user_usage.running_executions_in_turn(OTHER) == 0
        assert await p.user_usage.waiting_tasks_in_turn(OTHER) == 1
