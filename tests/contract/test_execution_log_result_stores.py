"""ExecutionRepository, LogStore and ResultRepository: one contract, every adapter."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import make_line, make_task, start
from tests.contract.storage import MemoryStorage, SqlStorage


async def execution_number(ports, task_id, number):  # type: ignore[no-untyped-def]
    found = [e for e in await ports.executions.for_task(task_id) if e.number == number]
    return found[0] if found else None


async def running(storage):  # type: ignore[no-untyped-def]
    """A stored task with its first execution running (claimed after the task was committed, as workers do)."""
    task = make_task()
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        execution = start(loaded)
        await p.executions.add(execution)
        await p.uow.commit()
    return loaded, execution


async def test_an_execution_round_trips_with_its_usage_and_error(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await running(storage)
    async with storage.scope() as p:
        loaded_task = await p.tasks.get(task.id, for_update=True)
        loaded = await execution_number(p, task.id, 1)
        loaded_task.end_execution(
            loaded,
            ExecutionStatus.FAILED,
            execution.started_at + timedelta(seconds=2.5),
            error=ExecutionError("agent_failed", "no luck"),
            usage=Usage(120, 45, 0.0123),
            agent_session_id="sess-1",
        )
        await p.uow.commit()
    async with storage.scope() as p:
        [stored] = await p.executions.for_task(task.id)
    assert (stored.id, stored.number, stored.attempt, stored.worker_id) == (execution.id, 1, 1, "worker-1")
    assert (stored.status, stored.duration_s, stored.agent_session_id) == (ExecutionStatus.FAILED, 2.5, "sess-1")
    assert stored.error == ExecutionError("agent_failed", "no luck")
    assert stored.usage == Usage(120, 45, pytest.approx(0.0123))
    assert stored.started_at == execution.started_at


async def test_listing_reads_executions_fresh_even_if_this_unit_of_work_saw_them_before(storage) -> None:  # type: ignore[no-untyped-def]
    task, _ = await running(storage)
    async with storage.scope() as worker:
        seen = await execution_number(worker, task.id, 1)
        await worker.uow.commit()
        async with storage.scope() as other:
            t = await other.tasks.get(task.id, for_update=True)
            t.end_execution(await execution_number(other, task.id, 1), ExecutionStatus.FAILED, seen.started_at)
            await other.uow.commit()
        again = await execution_number(worker, task.id, 1)
        assert again.status is ExecutionStatus.FAILED


async def test_executions_list_in_number_order_in_pages(storage) -> None:  # type: ignore[no-untyped-def]
    task, first = await running(storage)
    async with storage.scope() as p:
        t = await p.tasks.get(task.id, for_update=True)
        e = await execution_number(p, task.id, 1)
        t.requeue(e, ExecutionError("overloaded", "529"), e.started_at)
        second = t.start(2, first.id.__class__(int=first.id.int + 1), "worker-2", e.started_at + timedelta(1))
        await p.executions.add(second)
        await p.uow.commit()
    async with storage.scope() as p:
        assert [e.number for e in await p.executions.for_task(task.id)] == [1, 2]
        assert [e.number for e in await p.executions.for_task(task.id, after_number=1)] == [2]
        assert [e.number for e in await p.executions.for_task(task.id, limit=1)] == [1]


async def test_the_latest_executions_of_many_tasks_come_in_one_read(storage) -> None:  # type: ignore[no-untyped-def]
    task, first = await running(storage)
    async with storage.scope() as p:
        t = await p.tasks.get(task.id, for_update=True)
        e = await execution_number(p, task.id, 1)
        t.requeue(e, ExecutionError("overloaded", "529"), e.started_at)
        second = t.start(2, first.id.__class__(int=first.id.int + 1), "worker-2", e.started_at + timedelta(1))
        await p.executions.add(second)
        await p.uow.commit()
    other, only = await running(storage)
    never = make_task()
    async with storage.scope() as p:
        await p.tasks.add(never)
        await p.uow.commit()
    async with storage.scope() as p:
        latest = await p.executions.latest_of([task.id, other.id, never.id])
        assert sorted((e.task_id, e.number, e.id) for e in latest) == sorted(
            [(task.id, 2, second.id), (other.id, 1, only.id)]
        )
        assert await p.executions.latest_of([]) == []


async def test_one_execution_per_number(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await running(storage)
    duplicate = type(execution)(
        id=execution.id.__class__(int=execution.id.int ^ 1),
        task_id=task.id,
        number=1,
        attempt=1,
        worker_id="w2",
        started_at=execution.started_at,
    )
    with pytest.raises(Exception):  # noqa: B017,PT011 - each store raises its own integrity error
        async with storage.scope() as p:
            await p.executions.add(duplicate)
            await p.uow.commit()


async def test_log_lines_read_back_in_order_after_a_sequence(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await running(storage)
    lines = [make_line(execution, n) for n in range(1, 8)]
    async with storage.scope() as p:
        await p.logs.append(lines[:3])
        await p.logs.append([])
        await p.uow.commit()
    async with storage.scope() as p:
        await p.logs.append(lines[3:])
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.logs.read(task.id, 1, 0, 100) == lines
        assert [line.sequence for line in await p.logs.read(task.id, 1, 2, 3)] == [3, 4, 5]
        assert await p.logs.read(task.id, 1, 7, 100) == []
        assert await p.logs.read(task.id, 2, 0, 100) == []


async def test_log_batches_of_every_size_are_stored_whole(storage) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL writes a small batch with one INSERT and a large one with COPY: both keep every line."""
    task, execution = await running(storage)
    sizes = [1, 2, 4, 5, 30]
    lines = [make_line(execution, n) for n in range(1, sum(sizes) + 1)]
    start_at = 0
    for size in sizes:
        async with storage.scope() as p:
            await p.logs.append(lines[start_at : start_at + size])
            await p.uow.commit()
        start_at += size
    async with storage.scope() as p:
        assert await p.logs.read(task.id, 1, 0, 100) == lines


async def test_a_batch_written_on_its_own_is_stored(storage) -> None:  # type: ignore[no-untyped-def]
    """A run's lines between heartbeats are their unit of work's one write: on PostgreSQL they commit as
    they are written (no BEGIN, no COMMIT), elsewhere at the commit as before."""
    task, execution = await running(storage)
    lines = [make_line(execution, n) for n in range(1, 3)]
    async with storage.scope() as p:
        await p.uow.each_on_its_own()
        await p.logs.append(lines)
        if storage.name == "postgres":
            async with storage.scope() as other:
                assert await other.logs.read(task.id, 1, 0, 10) == lines
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.logs.read(task.id, 1, 0, 10) == lines


async def test_a_log_line_keeps_its_kind_level_text_and_data(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await running(storage)
    line = make_line(
        execution,
        1,
        kind=LogKind.TOOL_RESULT,
        level=LogLevel.ERROR,
        message="ünïcode ✓ and 'quotes' and \\ backslashes\nsecond line",
        data={"tool_use_id": "t1", "list": [1, "two", None], "float": 1.5},
    )
    async with storage.scope() as p:
        await p.logs.append([line])
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.logs.read(task.id, 1, 0, 10) == [line]


async def test_a_sequence_number_is_written_once(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await running(storage)
    async with storage.scope() as p:
        await p.logs.append([make_line(execution, 1)])
        await p.uow.commit()
    with pytest.raises(Exception):  # noqa: B017,PT011
        async with storage.scope() as p:
            await p.logs.append([make_line(execution, 1, message="again")])
            await p.uow.commit()
    async with storage.scope() as p:
        assert [line.message for line in await p.logs.read(task.id, 1, 0, 10)] == ["line 1"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def out_of_reach(storage: MemoryStorage | SqlStorage, tmp_path: Path) -> AsyncIterator[Any]:
    """The storage's ports, on a database that cannot be reached: nothing listens at its address."""
    if isinstance(storage, MemoryStorage):
        storage.db.cut()
        try:
            async with storage.scope() as ports:
                yield ports
        finally:
            storage.db.restore()
        return
    nowhere = (
        f"sqlite:///{tmp_path}/no/such/directory/agentry.db"
        if storage.name == "sqlite"
        else f"postgresql://postgres@127.0.0.1:{closed_port()}/agentry"
    )
    engine = create_async_database(nowhere)
    try:
        async with SqlStorage(storage.name, engine).scope() as ports:
            yield ports
    finally:
        await engine.dispose()


async def test_a_database_out_of_reach_is_an_outage_and_a_line_written_twice_is_not(storage, tmp_path) -> None:  # type: ignore[no-untyped-def]
    task, execution = await running(storage)
    async with storage.scope() as p:
        await p.logs.append([make_line(execution, 1)])
        await p.uow.commit()
    async with storage.scope() as p:
        with pytest.raises(Exception) as twice:  # noqa: PT011
            await p.logs.append([make_line(execution, 1, message="again")])
            await p.uow.commit()
        assert not p.uow.unavailable(twice.value), "the same write would fail again: not worth retrying"
    async with out_of_reach(storage, tmp_path) as p:
        with pytest.raises(Exception) as away:  # noqa: PT011
            await p.logs.read(task.id, 1, 0, 10)
        assert p.uow.unavailable(away.value), away.value


async def test_a_task_has_at_most_one_result(storage) -> None:  # type: ignore[no-untyped-def]
    task, execution = await running(storage)
    result = TaskResult(
        task.id,
        execution.id,
        "Fixed it.",
        "Fixed it.\nThe flaky test now waits for the socket.",
        execution.started_at,
        artifacts=[{"path": "tests/test_io.py", "kind": "edit"}],
        usage=Usage(10, 20, 0.5),
    )
    async with storage.scope() as p:
        assert await p.results.get(task.id) is None
        await p.results.add(result)
        await p.uow.commit()
    async with storage.scope() as p:
        stored = await p.results.get(task.id)
    assert (stored.summary, stored.output, stored.artifacts) == (result.summary, result.output, result.artifacts)
    assert (stored.usage, stored.execution_id, stored.created_at) == (result.usage, execution.id, result.created_at)
    with pytest.raises(Exception):  # noqa: B017,PT011
        async with storage.scope() as p:
            await p.results.add(TaskResult(task.id, execution.id, "again", "again", execution.started_at))
            await p.uow.commit()


async def test_ending_an_execution_on_a_stale_task_is_a_concurrent_update(storage) -> None:  # type: ignore[no-untyped-def]
    """The worker ends executions through the objects it claimed; a cancel in between must make
    that write fail as a ConcurrentUpdate, whether the log append's autoflush or the commit trips."""
    from agentry.application.errors import ConcurrentUpdate

    task, execution = await running(storage)
    async with storage.scope() as worker:
        stale_task = await worker.tasks.get(task.id)
        stale_execution = await execution_number(worker, task.id, 1)
        await worker.uow.commit()
        async with storage.scope() as other:
            fresh = await other.tasks.get(task.id, for_update=True)
            fresh.cancel(execution.started_at)
            await other.uow.commit()
        stale_task.end_execution(stale_execution, ExecutionStatus.SUCCEEDED, execution.started_at)
        with pytest.raises(ConcurrentUpdate):
            await worker.logs.append([make_line(stale_execution, 1)])
            await worker.uow.commit()
        await worker.uow.rollback()
    async with storage.scope() as p:
        assert (await p.tasks.get(task.id)).status.value == "cancelling"
        assert await p.logs.read(task.id, 1, 0, 10) == []
