"""The `data` of a webhook delivery: for a task's events, the task as the API shows it (GET
/api/v1/tasks/{id}) as it was at that event, however long after it the delivery is recorded: what can
change in a run (status, attempts, executions, error, priority, tags, max_attempts, the times, updated_at)
comes from the event, the rest (title, prompt, options, ...) from the task now. For other events (and a
task deleted meanwhile), the event's own data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.events import DomainEvent, JsonValue
from agentry.domain.tasks.events import AGGREGATE
from agentry.entrypoints.http.tasks.response_schemas import TaskBody

# The body's fields an event tells as they were at it, under the event's name for each.
AS_OF_EVENT = {
    "status": "status",
    "priority": "priority",
    "tags": "tags",
    "max_attempts": "max_attempts",
    "attempts": "attempts",
    "execution_count": "executions",
    "error": "error",
    "scheduled_at": "scheduled_at",
    "queued_at": "queued_at",
    "started_at": "started_at",
    "finished_at": "finished_at",
}


class TaskPayloads:
    def __init__(self, tasks: TaskRepository) -> None:
        self._tasks = tasks

    async def data_of(self, event: DomainEvent) -> Any:
        if event.aggregate_type == AGGREGATE:
            task = await self._tasks.get(event.aggregate_id)
            if task is not None:
                return task_as_of(TaskBody.from_domain(task), event)
        return dict(event.data)


def task_as_of(now: TaskBody, event: DomainEvent) -> Any:
    """`now` with what `event` tells of the task at it (an event recorded before it told it all keeps
    `now`'s values for what it does not tell)."""
    body: dict[str, Any] = msgspec.to_builtins(now)
    body |= {field: _as_body(event.data[name]) for field, name in AS_OF_EVENT.items() if name in event.data}
    body["updated_at"] = event.occurred_at
    return msgspec.to_builtins(msgspec.convert(body, TaskBody))


def _as_body(value: JsonValue) -> JsonValue:
    if isinstance(value, Mapping) and "code" in value:  # an error: its message may be None in the event
        return {"code": value["code"], "message": value.get("message") or ""}
    return value
