"""The events an agent task records as it moves through its states.

Every transition records one event whose type names where the task is now: `task.pending`,
`task.queued`, `task.started`, `task.cancelling`, `task.succeeded`, `task.failed`,
`task.timed_out`, `task.cancelled`; an edit records `task.updated` and a deletion `task.deleted`.
`cause` says why the task got there (`submitted`, `released`, `retrying`, `interrupted`,
`retried`, ...); `runner` and `model` are the ones the task asked for (None: the defaults);
`tags` its tags (a subscriber may tell the tasks it cares for without reading them); `max_attempts` and
the times it was scheduled for, queued, started and finished (ISO 8601, or None) complete the task as it
is at that event, so a webhook shows it so however late it is sent.
When an execution ended in the transition, `run` holds its outcome in short
(the full result is at /tasks/{id}/result).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from agentry.domain.events import DomainEvent

if TYPE_CHECKING:
    from agentry.domain.tasks.executions import TaskExecution
    from agentry.domain.tasks.spec import Priority, TaskOptions
    from agentry.domain.tasks.status import TaskStatus

AGGREGATE = "task"


class TaskAsItIs(Protocol):
    """What an event tells of the task (an AgentTask)."""

    id: UUID
    project_id: UUID
    owner_id: UUID
    status: TaskStatus
    priority: Priority
    tags: tuple[str, ...]
    options: TaskOptions
    max_attempts: int
    attempts: int
    execution_count: int
    scheduled_at: datetime | None
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error_code: str | None
    error_message: str | None
    updated_at: datetime


def task_event(
    task: TaskAsItIs,
    kind: str,
    cause: str,
    previous: TaskStatus | None,
    run: TaskExecution | None = None,
    summary: str | None = None,
) -> DomainEvent:
    """The event of a transition the task just made (it carries the task as it is now)."""
    data: dict[str, Any] = {
        "task_id": str(task.id),
        "project_id": str(task.project_id),
        "owner_id": str(task.owner_id),
        "status": task.status.value,
        "previous_status": previous.value if previous is not None else None,
        "cause": cause,
        "priority": task.priority.value,
        "tags": list(task.tags),
        "runner": task.options.runner,  # None: the deployment's default runner
        "model": task.options.model,  # None: the runner's default model
        "max_attempts": task.max_attempts,
        "attempts": task.attempts,
        "executions": task.execution_count,
        "error": {"code": task.error_code, "message": task.error_message} if task.error_code else None,
        "scheduled_at": _iso(task.scheduled_at),
        "queued_at": _iso(task.queued_at),
        "started_at": _iso(task.started_at),
        "finished_at": _iso(task.finished_at),
    }
    if run is not None:
        data["run"] = run_outcome(run, summary)
    return DomainEvent(f"task.{kind}", AGGREGATE, task.id, task.updated_at, data)


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def run_outcome(execution: TaskExecution, summary: str | None) -> dict[str, Any]:
    error = execution.error
    return {
        "execution": execution.number,
        "execution_id": str(execution.id),
        "status": execution.status.value,
        "summary": summary,
        "error": {"code": error.code, "message": error.message} if error else None,
        "usage": {
            "input_tokens": execution.usage.input_tokens,
            "output_tokens": execution.usage.output_tokens,
            "cost_usd": execution.usage.cost_usd,
        },
    }
