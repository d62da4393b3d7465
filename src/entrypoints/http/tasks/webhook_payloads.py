"""The `data` of a webhook delivery: for a task's events, the task as the API shows it (GET
/api/v1/tasks/{id}) when the delivery is recorded, an instant after the transition; for other
events (and a task deleted meanwhile), the event's own data."""

from __future__ import annotations

from typing import Any

import msgspec

from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.events import DomainEvent
from agentry.domain.tasks.events import AGGREGATE
from agentry.entrypoints.http.tasks.response_schemas import TaskBody


class TaskPayloads:
    def __init__(self, tasks: TaskRepository) -> None:
        self._tasks = tasks

    async def data_of(self, event: DomainEvent) -> Any:
        if event.aggregate_type == AGGREGATE:
            task = await self._tasks.get(event.aggregate_id)
            if task is not None:
                return msgspec.to_builtins(TaskBody.from_domain(task))
        return dict(event.data)
