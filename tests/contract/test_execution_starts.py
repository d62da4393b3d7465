"""ExecutionRepository.start, one contract for every adapter: the start a task went through is stored with
its new execution and its event at the commit; a task changed since it was read is not overwritten; and
the unit of work that wrote a start goes on to end that execution (as a worker's claim, then its ending)."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from agentry.application.errors import ConcurrentUpdate
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import make_task, moment
from tests.contract.test_execution_endings import events_of

USAGE = Usage(input_tokens=12, output_tokens=5)  # no cost: the endings contract sums the month's spend


async def queued(storage) -> UUID:  # type: ignore[no-untyped-def]
    task = make_task(created_at=moment(1))  # before the start at moment(10)
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    assert task.status is TaskStatus.QUEUED
    return task.id


async def test_a_start_stores_the_task_its_execution_and_the_event_and_its_ending_follows_in_the_same_unit(
    storage,  # type: ignore[no-untyped-def]
) -> None:
    task_id = await queued(storage)
    async with storage.scope() as p:
        task = await p.tasks.get(task_id, for_update=True)
        execution = task.start(1, uuid4(), "worker-7", moment(10))
        await p.executions.start(task, execution)
        await p.uow.commit()
        async with storage.scope() as reader:
            stored = await reader.tasks.get(task_id)
            [started] = await reader.executions.for_task(task_id)
            await reader.uow.commit()  # kept, as read
        # the claim's session then ends the run through the same objects, at the version the start wrote
        task.end_execution(execution, ExecutionStatus.SUCCEEDED, moment(40), summary="done", usage=USAGE)
        await p.endings.write(task, execution, None)
        await p.uow.commit()
    assert (stored.status, stored.attempts, stored.execution_count) == (TaskStatus.RUNNING, 1, 1)
    assert (stored.started_at, stored.updated_at, stored.finished_at) == (moment(10), moment(10), None)
    assert (started.id, started.number, started.attempt, started.worker_id) == (execution.id, 1, 1, "worker-7")
    assert (started.status, started.started_at, started.usage) == (ExecutionStatus.RUNNING, moment(10), Usage())
    async with storage.scope() as p:
        ended = await p.tasks.get(task_id)
        [finished] = await p.executions.for_task(task_id)
    assert (ended.status, finished.status, finished.usage) == (TaskStatus.SUCCEEDED, ExecutionStatus.SUCCEEDED, USAGE)
    assert (await events_of(storage, task_id))[-2:] == ["task.started", "task.succeeded"]


async def test_a_task_changed_since_it_was_read_is_not_started(storage) -> None:  # type: ignore[no-untyped-def]
    task_id = await queued(storage)
    async with storage.scope() as late:
        stale = await late.tasks.get(task_id)
        await late.uow.commit()  # kept, as read (SQLite has one connection: the other scope needs it)
        async with storage.scope() as first:
            task = await first.tasks.get(task_id, for_update=True)
            await first.executions.start(task, task.start(1, uuid4(), "worker-1", moment(10)))
            await first.uow.commit()
        with pytest.raises(ConcurrentUpdate):
            await late.executions.start(stale, stale.start(1, uuid4(), "worker-2", moment(11)))
            await late.uow.commit()
        await late.uow.rollback()
    async with storage.scope() as p:
        stored = await p.tasks.get(task_id)
        executions = await p.executions.for_task(task_id)
    assert (stored.status, stored.attempts) == (TaskStatus.RUNNING, 1)
    assert [e.worker_id for e in executions] == ["worker-1"]
    assert (await events_of(storage, task_id)).count("task.started") == 1
