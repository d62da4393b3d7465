"""ExecutionEndings, one contract for every adapter: the ending a task and its execution went through is
stored with its result, its usage (the roll-up) and its event, at the commit; a task changed since it was
read is not overwritten; and the unit of work that wrote an ending goes on reading and writing that task."""

from __future__ import annotations

from uuid import uuid4

import pytest

from agentry.application.errors import ConcurrentUpdate
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import PROJECT, make_task, moment, start

USAGE = Usage(input_tokens=120, output_tokens=45, cost_usd=0.25)
FLAKY = ExecutionError("runner_crashed", "the runner went away")


async def running(storage):  # type: ignore[no-untyped-def]
    """A stored task whose first execution was claimed at moment(10)."""
    task = make_task(created_at=moment(1))  # before the claim, however many tasks were made before
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        execution = start(loaded, at=moment(10))
        await p.executions.add(execution)
        await p.uow.commit()
    return task.id


async def events_of(storage, task_id):  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        claimed = await p.events.claim(moment(10_000), 100)
        await p.uow.rollback()
    return [stored.event.type for stored in claimed if stored.event.aggregate_id == task_id]


async def test_a_succeeded_ending_stores_the_task_the_execution_the_result_the_usage_and_the_event(
    storage,  # type: ignore[no-untyped-def]
) -> None:
    task_id = await running(storage)
    async with storage.scope() as p:
        task = await p.tasks.get(task_id, for_update=True)
        [execution] = await p.executions.for_task(task_id)
        task.end_execution(execution, ExecutionStatus.SUCCEEDED, moment(40), summary="done", usage=USAGE)
        result = TaskResult(task_id, execution.id, "done", "done\nall of it", moment(40), [{"path": "a.txt"}], USAGE)
        await p.endings.write(task, execution, result)
        await p.uow.commit()
    async with storage.scope() as p:
        stored = await p.tasks.get(task_id)
        [ended] = await p.executions.for_task(task_id)
        kept = await p.results.get(task_id)
        spent = await p.usage.spent_in_month(PROJECT, moment(10).date().replace(day=1))
    assert (stored.status, stored.finished_at, stored.attempts) == (TaskStatus.SUCCEEDED, moment(40), 1)
    assert (ended.status, ended.finished_at, ended.duration_s, ended.usage) == (
        ExecutionStatus.SUCCEEDED,
        moment(40),
        30.0,
        USAGE,
    )
    assert (kept.output, kept.artifacts, kept.usage) == ("done\nall of it", [{"path": "a.txt"}], USAGE)
    assert spent == pytest.approx(0.25)
    assert "task.succeeded" in await events_of(storage, task_id)


async def test_a_requeue_stores_the_failed_execution_and_the_task_waiting_again(storage) -> None:  # type: ignore[no-untyped-def]
    task_id = await running(storage)
    async with storage.scope() as p:
        task = await p.tasks.get(task_id, for_update=True)
        [execution] = await p.executions.for_task(task_id)
        task.requeue(execution, FLAKY, moment(20))
        await p.endings.write(task, execution, None)
        await p.uow.commit()
    async with storage.scope() as p:
        stored = await p.tasks.get(task_id)
        [ended] = await p.executions.for_task(task_id)
        assert await p.results.get(task_id) is None
    assert (stored.status, stored.queued_at, stored.started_at, stored.error_code) == (
        TaskStatus.QUEUED,
        moment(20),
        None,
        "runner_crashed",
    )
    assert (ended.status, ended.error_code, ended.error_message) == (
        ExecutionStatus.FAILED,
        "runner_crashed",
        "the runner went away",
    )
    assert "task.queued" in await events_of(storage, task_id)


async def test_a_task_changed_since_it_was_read_is_not_overwritten(storage) -> None:  # type: ignore[no-untyped-def]
    task_id = await running(storage)
    async with storage.scope() as late:
        stale = await late.tasks.get(task_id)
        [stale_execution] = await late.executions.for_task(task_id)
        await late.uow.commit()  # kept, as read (SQLite has one connection: the other scope needs it)
        async with storage.scope() as first:
            task = await first.tasks.get(task_id, for_update=True)
            [execution] = await first.executions.for_task(task_id)
            task.requeue(execution, FLAKY, moment(20))
            await first.endings.write(task, execution, None)
            await first.uow.commit()
        stale.end_execution(stale_execution, ExecutionStatus.SUCCEEDED, moment(30))
        result = TaskResult(task_id, stale_execution.id, "done", "done", moment(30))
        with pytest.raises(ConcurrentUpdate):
            await late.endings.write(stale, stale_execution, result)
            await late.uow.commit()
        await late.uow.rollback()
    async with storage.scope() as p:
        stored = await p.tasks.get(task_id)
        [ended] = await p.executions.for_task(task_id)
        assert await p.results.get(task_id) is None
    assert (stored.status, ended.status) == (TaskStatus.QUEUED, ExecutionStatus.FAILED)
    events = await events_of(storage, task_id)
    assert events[-2:] == ["task.started", "task.queued"] and "task.succeeded" not in events


async def test_the_unit_of_work_that_wrote_an_ending_goes_on_with_the_task(storage) -> None:  # type: ignore[no-untyped-def]
    """As a worker's session claims the task's next execution after ending one: its copy of the task
    is not left behind at the version before the ending."""
    task_id = await running(storage)
    async with storage.scope() as p:
        task = await p.tasks.get(task_id, for_update=True)
        [execution] = await p.executions.for_task(task_id)
        task.requeue(execution, FLAKY, moment(20))
        await p.endings.write(task, execution, None)
        await p.uow.commit()
        again = await p.tasks.get(task_id, for_update=True)
        assert (again.status, again.attempts) == (TaskStatus.QUEUED, 1)
        second = again.start(2, uuid4(), "worker-1", moment(30))
        await p.executions.add(second)
        await p.uow.commit()
    async with storage.scope() as p:
        stored = await p.tasks.get(task_id)
        executions = await p.executions.for_task(task_id)
    assert (stored.status, stored.execution_count, stored.attempts) == (TaskStatus.RUNNING, 2, 2)
    assert [e.status for e in executions] == [ExecutionStatus.FAILED, ExecutionStatus.RUNNING]
    assert stored.started_at == moment(30)
