"""An execution's ending written with Core statements, not through the ORM's flush: the worker ends every
execution this way, and the flush (working out what changed in the task and the execution, one statement
each, the roll-ups' and the events' hooks) was about a tenth of a worker's samples (py-spy).

The task's row is written only at the version the task was read at, as the ORM's version check did. On
PostgreSQL the execution's row rides along in the same statement, after the task's update and only if it
found the row, and the statement fails if it did not (a ConcurrentUpdate): no answer to read, so it goes
out with the rest of the ending and its COMMIT, one round trip for the whole ending. The task and its
execution then leave the session, so no later flush writes them again from their old committed state; the
task's events are stashed for the commit (recorded_events.py), and the execution is added to the usage
roll-ups here (count_endings does it for endings written through the ORM)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from agentry.adapters.sqlalchemy.pipelined_begin import deferring_inserts
from agentry.adapters.sqlalchemy.recorded_events import stash_events
from agentry.adapters.sqlalchemy.reports.rollup import add_usage
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, task_results, tasks
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
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage_totals import UsageKey, UsageTotals

# What a task's ending changes (end_execution, requeue, interrupt), and the execution's.
_TASK_COLUMNS = (
    "status",
    "attempts",
    "queued_at",
    "started_at",
    "finished_at",
    "error_code",
    "error_message",
    "updated_at",
    "version",
)
_EXECUTION_COLUMNS = ("status", "finished_at", "duration_s", "error_code", "error_message", "agent_session_id")
_TASK = task_at_version(_TASK_COLUMNS)
_EXECUTION = (
    update(task_executions)
    .where(task_executions.c.id == bindparam("e_id"))
    .values({name: bind(task_executions.c[name], "e_") for name in _EXECUTION_COLUMNS + USAGE_COLUMNS})
)


def _both() -> Select[tuple[int]]:
    """PostgreSQL: the execution's update after the task's, in one statement; it finds its row only
    if the task's update found the task at its version, and the statement fails (40001: ConcurrentUpdate)
    if it did not (agentry_found, migration 0023), so no one needs to read its answer."""
    ended = _TASK.returning(tasks.c.id).cte("ended_task")
    execution = (
        _EXECUTION.where(task_executions.c.task_id.in_(select(ended.c.id)))
        .returning(task_executions.c.id)
        .cte("ended_execution")
    )
    written = select(func.count()).select_from(execution).scalar_subquery()
    return select(func.agentry_found(written, 1, "task")).add_cte(ended).add_cte(execution)


_BOTH = _both()
_RESULT = insert(task_results)


class SqlAlchemyExecutionEndings:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def write(self, task: AgentTask, execution: TaskExecution, result: TaskResult | None) -> None:
        try:
            await self._session.run_sync(self._write, task, execution, result)
        except DBAPIError as error:
            raise translate(error, self._session) from error

    def _write(self, session: Session, task: AgentTask, execution: TaskExecution, result: TaskResult | None) -> None:
        """In one pass through the session's greenlet (each statement awaited on its own took one each)."""
        params = task_params(task, _TASK_COLUMNS) | execution_params(execution, _EXECUTION_COLUMNS)
        params["e_id"] = execution.id
        leave_session(session, task, execution)  # before any statement can flush them
        connection = session.connection()
        driver = connection.connection.driver_connection
        if connection.dialect.name == "postgresql":
            # It fails itself if the task changed: it goes out with the transaction's next statement
            # (pipelined_begin.py), with the roll-ups, the result, the log lines, the events and the COMMIT,
            # which raises its ConcurrentUpdate then
            with deferring_inserts(driver, any_statement=True):
                connection.execute(_BOTH, params)
        elif not connection.execute(_TASK, params).rowcount:
            raise ConcurrentUpdate()
        else:
            connection.execute(_EXECUTION, params)
        stash_events(session, task)
        key = UsageKey.of(task.project_id, task.owner_id, task.options.model, execution)
        # The roll-ups' upsert and the result's insert go out with the transaction's next statement too
        with deferring_inserts(driver):
            add_usage(connection, [(key, UsageTotals.of(execution))])
            if result is not None:
                connection.execute(_RESULT, _result_row(result))


def _result_row(result: TaskResult) -> dict[str, Any]:
    return {
        "task_id": result.task_id,
        "execution_id": result.execution_id,
        "summary": result.summary,
        "output": result.output,
        "artifacts": result.artifacts,
        "input_tokens": result.usage.input_tokens,
        "output_tokens": result.usage.output_tokens,
        "cost_usd": result.usage.cost_usd,
        "created_at": result.created_at,
    }
