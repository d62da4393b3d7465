"""Outbox (written by use cases) and OutboxRelayStore (read by the relay): one contract, every adapter."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.spec import Priority
from tests.contract.builders import make_job, make_task, moment

LEASE = timedelta(seconds=30)


async def with_jobs(storage, *jobs_for):  # type: ignore[no-untyped-def]
    """Store tasks, each with a job made by the given (task -> job) function."""
    tasks, jobs = [], []
    async with storage.scope() as p:
        for make in jobs_for:
            task = make_task()
            await p.tasks.add(task)
            job = make(task)
            await p.outbox.enqueue(job)
            tasks.append(task)
            jobs.append(job)
        await p.uow.commit()
    return tasks, jobs


async def claim(storage, now, limit=10):  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        jobs = await p.relay.claim_due(now, now + LEASE, limit)
        await p.uow.commit()
    return jobs


async def test_due_jobs_are_claimed_most_urgent_first_and_leased(storage) -> None:  # type: ignore[no-untyped-def]
    _, jobs = await with_jobs(
        storage,
        lambda t: make_job(t, priority_rank=Priority.LOW.rank),
        lambda t: make_job(t, priority_rank=Priority.URGENT.rank),
        lambda t: make_job(t, available_at=moment(10_000)),
    )
    now = moment(5_000)
    claimed = await claim(storage, now)
    assert [j.id for j in claimed] == [jobs[1].id, jobs[0].id]
    assert all(j.attempts == 1 for j in claimed)
    assert claimed[0].order == jobs[1].order
    assert await claim(storage, now + timedelta(seconds=29)) == [], "leased jobs are not claimed again"
    again = await claim(storage, now + timedelta(seconds=31))
    assert sorted(j.id for j in again) == sorted([jobs[0].id, jobs[1].id])
    assert {j.attempts for j in again} == {2}


async def test_dispatched_jobs_are_done_and_failed_ones_wait_until_their_retry_time(storage) -> None:  # type: ignore[no-untyped-def]
    _, jobs = await with_jobs(storage, make_job, make_job)
    now = moment(5_000)
    await claim(storage, now)
    async with storage.scope() as p:
        await p.relay.mark_dispatched([jobs[0].id], now, now + LEASE)
        await p.relay.mark_failed([jobs[1].id], "broker down", now + timedelta(seconds=5))
        await p.uow.commit()
    assert await claim(storage, now + timedelta(seconds=4)) == []
    [retried] = await claim(storage, now + timedelta(seconds=5))
    assert (retried.id, retried.last_error) == (jobs[1].id, "broker down")
    later = await claim(storage, now + timedelta(days=1))
    assert jobs[0].id not in [j.id for j in later], "the dispatched job never comes back"


async def test_a_limit_caps_the_batch(storage) -> None:  # type: ignore[no-untyped-def]
    await with_jobs(storage, *[make_job] * 5)
    assert len(await claim(storage, moment(5_000), limit=3)) == 3
    assert len(await claim(storage, moment(5_000), limit=3)) == 2


async def test_rescheduling_moves_only_the_undispatched_job(storage) -> None:  # type: ignore[no-untyped-def]
    tasks, jobs = await with_jobs(storage, make_job)
    later = moment(9_000)
    async with storage.scope() as p:
        await p.outbox.reschedule(tasks[0].id, later, Priority.URGENT.rank)
        await p.uow.commit()
    assert await claim(storage, later - timedelta(seconds=1)) == []
    [job] = await claim(storage, later)
    assert (job.id, job.available_at, job.priority_rank) == (jobs[0].id, later, Priority.URGENT.rank)


async def test_jobs_are_written_with_the_unit_of_work_or_not_at_all(storage) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.outbox.enqueue(make_job(task))
        await p.uow.rollback()
    assert await claim(storage, moment(5_000)) == []


async def test_concurrent_relays_never_claim_the_same_job(storage) -> None:  # type: ignore[no-untyped-def]
    await with_jobs(storage, *[make_job] * 40)
    batches = await asyncio.gather(*(claim(storage, moment(5_000), limit=15) for _ in range(4)))
    ids = [j.id for batch in batches for j in batch]
    assert len(ids) == 40
    assert len(set(ids)) == 40


async def test_a_commit_that_wrote_jobs_wakes_the_relay(storage) -> None:  # type: ignore[no-untyped-def]
    if storage.name == "memory":
        return  # the fake has no relay to wake; SQL adapters signal on commit
    await with_jobs(storage, make_job)
    assert storage.outbox_commits == 1
    async with storage.scope() as p:
        await p.tasks.add(make_task())
        await p.uow.commit()
    assert storage.outbox_commits == 1, "no jobs written, no wake-up"


async def test_the_context_of_the_work_that_asked_for_a_job_comes_back_with_its_claimed_order(storage) -> None:  # type: ignore[no-untyped-def]
    """Trace context and correlation id, stored with the job when it is asked for, reach the relay (and,
    through it, the worker) in another process; a job without one claims with an empty context."""
    context = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "correlation_id": "req-7"}
    _, jobs = await with_jobs(
        storage,
        lambda t: make_job(t, order=ExecutionOrder(t.id, 1, dict(context))),
        make_job,
    )
    claimed = {job.id: job for job in await claim(storage, moment(5_000))}
    assert claimed[jobs[0].id].order.context == context
    assert claimed[jobs[1].id].order.context == {}
