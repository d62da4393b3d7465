"""Every execution that ends is added to the usage roll-ups by the flush that writes its ending, in the same
transaction: whichever use case ends it (the worker's ending, a requeue or an interruption, the recovery of a
lost worker's run, a dead letter, an order the broker never delivered) and however it is written. An
execution ends exactly once, so it is counted exactly once; a rollback takes the count back with the rest.
An execution stored already ended is counted as it is inserted."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from agentry.adapters.sqlalchemy.reports.rollup import add_usage
from agentry.adapters.sqlalchemy.tasks.tables import tasks
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage_totals import UsageKey, UsageTotals

_RUNNING = ExecutionStatus.RUNNING


def count_endings(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Before each flush: add the executions it ends to the roll-ups."""
    ended = [obj for obj in session.new if isinstance(obj, TaskExecution) and obj.status.is_terminal]
    ended += [obj for obj in session.dirty if isinstance(obj, TaskExecution) and _ends_now(obj)]
    if not ended:
        return
    new_tasks = {obj.id: obj for obj in session.new if isinstance(obj, AgentTask)}
    endings = []
    for execution in ended:
        project_id, owner_id, options = _task_of(session, new_tasks, execution.task_id)
        key = UsageKey.of(project_id, owner_id, options.model, execution)
        endings.append((key, UsageTotals.of(execution)))
    add_usage(session.connection(), endings)


def _ends_now(execution: TaskExecution) -> bool:
    """The execution was loaded running and is terminal now."""
    history = inspect(execution).attrs.status.history
    return execution.status.is_terminal and any(ExecutionStatus(s) is _RUNNING for s in history.deleted)


def _task_of(session: Session, new_tasks: dict[UUID, AgentTask], task_id: UUID) -> tuple[UUID, UUID, TaskOptions]:
    task = new_tasks.get(task_id) or session.identity_map.get(identity_key(AgentTask, task_id))
    if isinstance(task, AgentTask):  # the use case that ends an execution holds its task
        return task.project_id, task.owner_id, task.options
    row = session.connection().execute(
        select(tasks.c.project_id, tasks.c.owner_id, tasks.c.options).where(tasks.c.id == task_id)
    )
    project_id, owner_id, options = row.one()
    return project_id, owner_id, options
