"""What the claim's and the ending's Core writes share (tasks/execution_starts.py, execution_endings.py):
a task's row written only at the version it was read at, as the ORM's version check did, with the values
of some of its columns; an execution's columns as parameters; and the written objects taken out of the
session first, so that no later flush writes them again from their old state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Update, bindparam, update
from sqlalchemy.orm import Session

from agentry.adapters.sqlalchemy.tasks.tables import tasks
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.task import AgentTask

USAGE_COLUMNS = ("input_tokens", "output_tokens", "cost_usd")


def bind(column: Column[Any], prefix: str) -> Any:
    """The parameter `prefix` + the column's name, of the column's type."""
    return bindparam(f"{prefix}{column.name}", type_=column.type)


def task_at_version(columns: Sequence[str]) -> Update:
    """UPDATE of the task `t_id` found at `t_read_version`, setting `columns` (`version` among them) from
    their `t_` parameters."""
    return (
        update(tasks)
        .where(tasks.c.id == bindparam("t_id"), tasks.c.version == bindparam("t_read_version"))
        .values({name: bind(tasks.c[name], "t_") for name in columns})
    )


def read_version(task: AgentTask) -> int:
    version: int = task._version  # type: ignore[attr-defined]  # mapped: the version it was read at
    return version


def task_params(task: AgentTask, columns: Sequence[str]) -> dict[str, Any]:
    """The parameters of task_at_version(columns) for `task`, which moves to the next version."""
    read = read_version(task)
    params = {f"t_{name}": getattr(task, name) for name in columns if name != "version"}
    return params | {"t_id": task.id, "t_read_version": read, "t_version": read + 1}


def execution_params(execution: TaskExecution, columns: Sequence[str]) -> dict[str, Any]:
    """`columns` of the execution and its usage's, as `e_` parameters."""
    params = {f"e_{name}": getattr(execution, name) for name in columns}
    return params | {f"e_{name}": getattr(execution.usage, name) for name in USAGE_COLUMNS}


def leave_session(session: Session, *written: object) -> None:
    for one in written:
        if one in session:
            session.expunge(one)
