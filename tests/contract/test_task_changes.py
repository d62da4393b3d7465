"""The unit of work tells, after the commit and before it returns, when the commit updated or deleted a
task (what the API processes' validator caches hear, see adapters/redis/task_versions.py), whether the
ORM's flush or a Core statement (the worker's start, its ending) wrote it; a new task or a read tells
nothing. SQLite and PostgreSQL."""

from __future__ import annotations

from uuid import uuid4

import pytest

from agentry.adapters.sqlalchemy.cached_writes import take_written
from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import make_task, moment


@pytest.fixture
def tasks_told(storage):  # type: ignore[no-untyped-def]
    if not hasattr(storage, "task_commits"):
        pytest.skip("the in-memory fakes have no validator caches to tell")
    return storage


async def test_commits_that_update_or_delete_a_task_are_told_and_others_are_not(tasks_told) -> None:  # type: ignore[no-untyped-def]
    storage = tasks_told
    task = make_task(created_at=moment(1))
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.tasks.version(task.id) is not None
        await p.uow.commit()
    assert storage.task_commits == 0, "a new task and a read change no validator"

    async with storage.scope() as p:  # the worker's start (a Core UPDATE), then its ending
        loaded = await p.tasks.get(task.id, for_update=True)
        execution = loaded.start(1, uuid4(), "worker-7", moment(10))
        await p.executions.start(loaded, execution)
        await p.uow.commit()
        assert storage.task_commits == 1
        loaded.end_execution(execution, ExecutionStatus.SUCCEEDED, moment(40), summary="done", usage=Usage())
        await p.endings.write(loaded, execution, None)
        await p.uow.commit()
    assert storage.task_commits == 2

    async with storage.scope() as p:  # the ORM's flush: a deletion
        await p.tasks.delete(await p.tasks.get(task.id))
        await p.uow.commit()
    assert storage.task_commits == 3


async def test_on_postgresql_the_connections_watch_the_writes_and_the_engine_fires_no_statement_event(
    postgres_database: str,
) -> None:
    """An engine listener on each statement had SQLAlchemy fire every engine event on each statement and
    transaction (about 320 Python function calls of a worker's task): the driver's connections look."""
    engine = create_async_database(postgres_database)
    try:
        assert not engine.sync_engine.dispatch.before_cursor_execute
        async with engine.connect() as connection:
            await connection.exec_driver_sql("CREATE TABLE tasks (id int, version int)")
            await connection.exec_driver_sql("INSERT INTO tasks VALUES (1, 1)")
            assert take_written(connection.sync_connection) == (False, False), "a new task is in no cache"
            await connection.exec_driver_sql("UPDATE tasks SET version = 2")
            assert take_written(connection.sync_connection) == (False, True)
            assert take_written(connection.sync_connection) == (False, False), "forgotten once taken"
            await connection.rollback()
    finally:
        await engine.dispose()
