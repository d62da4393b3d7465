"""An execution's start written with Core statements, not through the ORM's flush: the worker starts
every execution this way (the claim), and the flush (working out what changed in the task, one statement
for the task and one for the new execution) was about a twentieth of a worker's event-loop samples
(py-spy), the claim's commit a sixth.

The task's row is written only at the version it was read at, as the ORM's version check did. On
PostgreSQL the execution's row is inserted in the same statement, only if the task's update found the
row: one round trip, where the flush took two. The task and its execution then leave the session, so no
later flush writes them again; the task keeps the version it now has (the ending writes at it), and its
events are stashed for the commit (recorded_events.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Insert, bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from agentry.adapters.sqlalchemy.recorded_events import stash_events
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.adapters.sqlalchemy.unit_of_work import translate
from agentry.application.errors import ConcurrentUpdate
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.task import AgentTask

# What a task's start changes (TaskRuns._start); the execution's every column.
_TASK_COLUMNS = ("status", "attempts", "execution_count", "started_at", "finished_at", "updated_at", "version")
_USAGE_COLUMNS = ("input_tokens", "output_tokens", "cost_usd")
_EXECUTION_COLUMNS = tuple(c.name for c in task_executions.c if c.name not in _USAGE_COLUMNS)


def _bind(column: Column[Any], prefix: str) -> Any:
    return bindparam(f"{prefix}{column.name}", type_=column.type)


_TASK = (
    update(tasks)
    .where(tasks.c.id == bindparam("t_id"), tasks.c.version == bindparam("t_read_version"))
    .values({name: _bind(tasks.c[name], "t_") for name in _TASK_COLUMNS})
)
_EXECUTION = insert(task_executions).values({c.name: _bind(c, "e_") for c in task_executions.c})


def _both() -> Insert:
    """PostgreSQL: the execution's insert after the task's update, in one statement; it inserts only if
    the task's update found the task at its version."""
    started = _TASK.returning(tasks.c.id).cte("started_task")
    row = select(*(_bind(c, "e_") for c in task_executions.c)).select_from(started)
    inserted = insert(task_executions).from_select([c.name for c in task_executions.c], row).add_cte(started)
    return inserted.returning(task_executions.c.id)


_BOTH = _both()


async def write_start(session: AsyncSession, task: AgentTask, execution: TaskExecution) -> None:
    try:
        await session.run_sync(_write, task, execution)
    except DBAPIError as error:
        raise translate(error, session) from error


def _write(session: Session, task: AgentTask, execution: TaskExecution) -> None:
    read_version: int = task._version  # type: ignore[attr-defined]  # mapped: the version it was read at
    params = {f"t_{name}": getattr(task, name) for name in _TASK_COLUMNS[:-1]}
    params |= {"t_id": task.id, "t_read_version": read_version, "t_version": read_version + 1}
    params |= {f"e_{name}": getattr(execution, name) for name in _EXECUTION_COLUMNS}
    params |= {f"e_{name}": getattr(execution.usage, name) for name in _USAGE_COLUMNS}
    for written in (task, execution):  # out of the session before any statement can flush them
        if written in session:
            session.expunge(written)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        found = len(connection.execute(_BOTH, params).all())  # its rowcount says -1
    else:
        found = connection.execute(_TASK, params).rowcount
        if found:
            connection.execute(_EXECUTION, params)
    if not found:
        raise ConcurrentUpdate()
    set_committed_value(task, "_version", read_version + 1)  # as the flush would have: the ending writes at it
    stash_events(session, task)
