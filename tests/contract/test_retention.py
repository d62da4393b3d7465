"""Housekeeping's storage: sent queue jobs past retention go (but the one a queued task waits for),
expired Idempotency-Keys are let go of, and a key let go of may name a new task in the same commit."""

from __future__ import annotations

from datetime import timedelta

from tests.contract.builders import make_job, make_task, moment

LEASE = timedelta(seconds=30)


async def test_sent_jobs_past_retention_go_but_the_job_a_queued_task_waits_for_stays(storage) -> None:  # type: ignore[no-untyped-def]
    done, waiting = make_task(), make_task()
    done.cancel(moment(10))
    done_job, waiting_job = make_job(done, available_at=moment(0)), make_job(waiting, available_at=moment(0))
    async with storage.scope() as p:
        for task, job in ((done, done_job), (waiting, waiting_job)):
            await p.tasks.add(task)
            await p.outbox.enqueue(job)
        await p.uow.commit()
    async with storage.scope() as p:
        await p.relay.claim_due(moment(20), moment(20) + LEASE, 10)
        await p.relay.mark_dispatched([done_job.id, waiting_job.id], moment(20), moment(20) + LEASE)
        await p.uow.commit()

    async with storage.scope() as p:
        assert await p.relay.purge_dispatched(moment(19), 100) == 0, "sent after the cut: kept"
        assert await p.relay.purge_dispatched(moment(21), 100) == 1
        await p.uow.commit()
    async with storage.scope() as p:
        resent = await p.relay.redispatch_stale(moment(21), moment(22), 10)
    assert [job.id for job in resent] == [waiting_job.id], "the queued task's job is still there to send again"


async def test_expired_keys_are_let_go_of_a_batch_at_a_time(storage) -> None:  # type: ignore[no-untyped-def]
    old = [make_task(idempotency_key=f"old-{n}", request_fingerprint="f", created_at=moment(n)) for n in range(3)]
    fresh = make_task(idempotency_key="fresh", request_fingerprint="f", created_at=moment(100))
    async with storage.scope() as p:
        for task in (*old, fresh):
            await p.tasks.add(task)
        await p.uow.commit()

    async with storage.scope() as p:
        assert await p.tasks.forget_idempotency_keys(moment(50), 2) == 2
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.tasks.forget_idempotency_keys(moment(50), 2) == 1
        await p.uow.commit()
    async with storage.scope() as p:
        for task in old:
            assert await p.tasks.find_by_idempotency_key(task.owner_id, task.idempotency_key) is None
            assert (await p.tasks.get(task.id)).request_fingerprint is None
        assert (await p.tasks.find_by_idempotency_key(fresh.owner_id, "fresh")).id == fresh.id


async def test_a_key_let_go_of_names_a_new_task_in_the_same_commit(storage) -> None:  # type: ignore[no-untyped-def]
    earlier = make_task(idempotency_key="k", request_fingerprint="f1")
    async with storage.scope() as p:
        await p.tasks.add(earlier)
        await p.uow.commit()

    later = make_task(idempotency_key="k", request_fingerprint="f2", owner_id=earlier.owner_id)
    async with storage.scope() as p:
        found = await p.tasks.find_by_idempotency_key(earlier.owner_id, "k")
        found.forget_idempotency_key()
        await p.tasks.add(later)
        await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.tasks.find_by_idempotency_key(earlier.owner_id, "k")).id == later.id
        assert (await p.tasks.get(earlier.id)).idempotency_key is None
