"""What the recovery of lost work needs from storage, one contract for every adapter: heartbeats and
silent executions (ExecutionRepository), tasks locked unless someone else holds them
(TaskRepository), and jobs whose message the broker lost (OutboxRelayStore)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.status import TaskStatus
from tests.contract.builders import make_job, make_task, moment, start

LEASE = timedelta(seconds=30)


async def started(storage, at):  # type: ignore[no-untyped-def]
    """A stored task whose first execution was claimed (and last beat) at `at`."""
    task = make_task()
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        execution = start(loaded, at=at)
        await p.executions.add(execution)
        await p.uow.commit()
    return loaded, execution


async def silent_ids(storage, before, limit=10):  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        found = [e.id for e in await p.executions.silent(before, limit)]
        await p.uow.rollback()
    return found


async def test_a_claimed_execution_keeps_its_heartbeat(storage) -> None:  # type: ignore[no-untyped-def]
    task, _ = await started(storage, moment(10))
    async with storage.scope() as p:
        [stored] = await p.executions.for_task(task.id)
    assert stored.heartbeat_at == moment(10)


async def test_silent_executions_are_the_running_ones_not_heard_from_since_the_cutoff_longest_first(
    storage,  # type: ignore[no-untyped-def]
) -> None:
    _, late = await started(storage, moment(30))
    _, early = await started(storage, moment(10))
    _, recent = await started(storage, moment(100))
    ended_task, _ = await started(storage, moment(5))
    async with storage.scope() as p:
        t = await p.tasks.get(ended_task.id, for_update=True)
        [e] = await p.executions.for_task(ended_task.id)
        t.end_execution(e, ExecutionStatus.SUCCEEDED, moment(6))
        await p.uow.commit()
    assert await silent_ids(storage, moment(60)) == [early.id, late.id]
    assert await silent_ids(storage, moment(60), limit=1) == [early.id]
    assert recent.id not in await silent_ids(storage, moment(100)), "silent means older than the cutoff"


async def test_a_heartbeat_renews_a_running_execution_once_committed(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await started(storage, moment(10))
    async with storage.scope() as p:
        assert await p.executions.beat(execution.id, moment(50)) is True
        await p.uow.rollback()
    assert await silent_ids(storage, moment(40)) == [execution.id], "a rolled-back heartbeat counts for nothing"
    async with storage.scope() as p:
        assert await p.executions.beat(execution.id, moment(50)) is True
        await p.uow.commit()
    assert await silent_ids(storage, moment(40)) == []
    async with storage.scope() as p:
        [stored] = await p.executions.for_task(task.id)
    assert (stored.heartbeat_at, stored.status) == (moment(50), ExecutionStatus.RUNNING)


async def test_a_heartbeat_reads_its_task_s_status_in_the_same_statement(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await started(storage, moment(10))
    async with storage.scope() as p:
        assert await p.executions.beat_and_read(execution.id, moment(50)) is TaskStatus.RUNNING
        await p.uow.commit()
    assert await silent_ids(storage, moment(40)) == []
    async with storage.scope() as p:
        t = await p.tasks.get(task.id, for_update=True)
        t.cancel(moment(60))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.executions.beat_and_read(execution.id, moment(70)) is TaskStatus.CANCELLING
        await p.uow.commit()
    async with storage.scope() as p:
        t = await p.tasks.get(task.id, for_update=True)
        [e] = await p.executions.for_task(task.id)
        t.recover_lost(e, ExecutionError("worker_lost", "silent"), moment(80))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.executions.beat_and_read(execution.id, moment(90)) is None, "ended elsewhere: not alive"
        await p.uow.commit()


async def test_the_heartbeat_of_an_execution_that_ended_elsewhere_says_so_and_changes_nothing(
    storage,  # type: ignore[no-untyped-def]
) -> None:
    task, _ = await started(storage, moment(10))
    async with storage.scope() as worker:
        [mine] = await worker.executions.for_task(task.id)  # the worker holds its copy, as a run does
        await worker.uow.commit()
        async with storage.scope() as recovery:
            t = await recovery.tasks.get(task.id, for_update=True)
            [e] = await recovery.executions.for_task(task.id)
            t.recover_lost(e, ExecutionError("worker_lost", "silent"), moment(40))
            await recovery.uow.commit()
        assert await worker.executions.beat(mine.id, moment(41)) is False
        await worker.uow.commit()
    async with storage.scope() as p:
        [stored] = await p.executions.for_task(task.id)
    assert (stored.status, stored.error_code, stored.heartbeat_at) == (
        ExecutionStatus.FAILED,
        "worker_lost",
        moment(10),
    )


async def test_locking_with_skip_locked_leaves_out_the_tasks_someone_else_holds(storage) -> None:  # type: ignore[no-untyped-def]
    if storage.name == "sqlite":
        pytest.skip("SQLite has no row locks: one writer at a time holds the whole database")
    held, free = make_task(), make_task()
    async with storage.scope() as p:
        await p.tasks.add(held)
        await p.tasks.add(free)
        await p.uow.commit()
    async with storage.scope() as holder:
        await holder.tasks.get(held.id, for_update=True)
        async with storage.scope() as other:
            got = await asyncio.wait_for(
                other.tasks.get_many([held.id, free.id], for_update=True, skip_locked=True), timeout=5
            )
            assert [t.id for t in got] == [free.id]
            await other.uow.rollback()
        await holder.uow.rollback()
    async with storage.scope() as p:
        got = [t.id for t in await p.tasks.get_many([held.id, free.id], for_update=True, skip_locked=True)]
        await p.uow.rollback()
    assert sorted(got) == sorted([held.id, free.id]), "released, it is taken again"


async def dispatched(storage, task, number, at):  # type: ignore[no-untyped-def]
    """Store `task` with the job of order `number`, due and sent at `at`."""
    job = make_job(task, number, available_at=at)
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.outbox.enqueue(job)
        await p.uow.commit()
    async with storage.scope() as p:
        await p.relay.claim_due(at, at + LEASE, 100)
        await p.relay.mark_dispatched([job.id], at, at + LEASE)
        await p.uow.commit()
    return job


async def test_the_jobs_of_queued_tasks_sent_before_the_cutoff_are_made_due_again(storage) -> None:  # type: ignore[no-untyped-def]
    lost = await dispatched(storage, make_task(), 1, moment(100))
    recent = await dispatched(storage, make_task(), 1, moment(900))
    started_task = make_task()
    await dispatched(storage, started_task, 1, moment(100))
    async with storage.scope() as p:
        t = await p.tasks.get(started_task.id, for_update=True)
        await p.executions.add(start(t, at=moment(150)))
        await p.uow.commit()
    outdated_task = make_task(execution_count=1, attempts=1)  # waits for order 2, not order 1
    await dispatched(storage, outdated_task, 1, moment(100))

    async with storage.scope() as p:
        again = await p.relay.redispatch_stale(moment(500), moment(1_000), 100)
        await p.uow.commit()
    assert [(j.id, j.order, j.available_at) for j in again] == [(lost.id, lost.order, moment(1_000))]
    async with storage.scope() as p:
        claimed = await p.relay.claim_due(moment(1_000), moment(1_000) + LEASE, 100)
        await p.uow.commit()
    assert [j.id for j in claimed] == [lost.id], "the relay sends it again; the others stay sent"
    assert recent.id not in [j.id for j in claimed]


async def test_redispatching_is_written_with_the_unit_of_work_and_capped_by_the_limit(storage) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await dispatched(storage, make_task(), 1, moment(100))
    async with storage.scope() as p:
        assert len(await p.relay.redispatch_stale(moment(500), moment(1_000), 100)) == 3
        await p.uow.rollback()
    async with storage.scope() as p:
        assert await p.relay.claim_due(moment(1_000), moment(1_000) + LEASE, 100) == []
        await p.uow.commit()
    async with storage.scope() as p:
        assert len(await p.relay.redispatch_stale(moment(500), moment(1_000), 2)) == 2
        await p.uow.commit()
    async with storage.scope() as p:
        assert len(await p.relay.redispatch_stale(moment(500), moment(1_001), 100)) == 1, "the re-armed are not sent"
        await p.uow.commit()
