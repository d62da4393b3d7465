"""An execution's start written with Core statements, not through the ORM's flush: the worker starts every
execution this way (the claim), and the flush (working out what changed in the task, one statement for
the task and one for the new execution) was about a twentieth of a worker's event-loop samples (py-spy),
the claim's commit a sixth.

The task's row is written only at the version it was read at, as the ORM's version check did. On
PostgreSQL the execution's row is inserted in the same statement, only if the task's update found the
row, and the statement fails if it did not (a ConcurrentUpdate): no answer to read, so it goes out with
the claim's events and COMMIT, no round trip of its own, where the flush took two. The task and its
execution then leave the session, so no later flush writes them again; the task keeps the version it now
has (the ending writes at it), and its events are stashed for the commit (recorded_events.py)."""

from __future__ import annotations

from sqlalchemy import Select, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from agentry.adapters.sqlalchemy.pipelined_begin import deferring_inserts
from agentry.adapters.sqlalchemy.recorded_events import stash_events
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.adapters.sqlalchemy.tasks.versioned_rows import (
    USAGE_COLUMNS,
    bind,
    execution_params,
    leave_session,
    task_at_version,
    task_params,
)
from agentry.adapters.sqlalchemy.unit_of_work import translate
from agentry.application.errors import ConcurrentUpdate
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.task import AgentTask

# What a task's start changes (TaskRuns._start); the execution's every column.
_TASK_COLUMNS = ("status", "attempts", "execution_count", "started_at", "finished_at", "updated_at", "version")
_EXECUTION_COLUMNS = tuple(c.name for c in task_executions.c if c.name not in USAGE_COLUMNS)
_TASK = task_at_version(_TASK_COLUMNS)
_EXECUTION = insert(task_executions).values({c.name: bind(c, "e_") for c in task_executions.c})


def _both() -> Select[tuple[int]]:
    """PostgreSQL: the execution's insert after the task's update, in one statement; it inserts only if
    the task's update found the task at its version, and the statement fails (40001: ConcurrentUpdate) if
    it did not (agentry_found, migration 0023), so no one needs to read its answer."""
    started = _TASK.returning(tasks.c.id).cte("started_task")
    row = select(*(bind(c, "e_") for c in task_executions.c)).select_from(started)
    inserted = (
        insert(task_executions)
        .from_select([c.name for c in task_executions.c], row)
        .returning(task_executions.c.id)
        .cte("started_execution")
    )
    written = select(func.count()).select_from(inserted).scalar_subquery()
    return select(func.agentry_found(written, 1, "task")).add_cte(started).add_cte(inserted)


_BOTH = _both()


async def write_start(session: AsyncSession, task: AgentTask, execution: TaskExecution) -> None:
    try:
        await session.run_sync(_write, task, execution)
    except DBAPIError as error:
        raise translate(error, session) from error


def _write(session: Session, task: AgentTask, execution: TaskExecution) -> None:
    params = task_params(task, _TASK_COLUMNS) | execution_params(execution, _EXECUTION_COLUMNS)
    leave_session(session, task, execution)  # before any statement can flush them
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # It fails itself if the task changed: it goes out with the transaction's next statement
        # (pipelined_begin.py), the events' insert and the COMMIT, which raises its ConcurrentUpdate then
        with deferring_inserts(connection.connection.driver_connection, any_statement=True):
            connection.execute(_BOTH, params)
    elif not connection.execute(_TASK, params).rowcount:
        raise ConcurrentUpdate()
    else:
        connection.execute(_EXECUTION, params)
    set_committed_value(task, "_version", params["t_version"])  # as the flush would have: the ending writes at it
    stash_events(session, task)
