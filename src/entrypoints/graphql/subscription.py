"""Subscription.taskEvents(taskId) over graphql-transport-ws: the events of one task from the same live
channels as the REST WebSocket (/api/v1/ws), authorized the same way (GetTask: a task the caller may not
read is not found). The credential is the upgrade request's Authorization header, or `Authorization`
(or `authorization`) in the connection_init payload."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any, cast
from uuid import UUID

import msgspec
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from agentry.application.errors import ApplicationError
from agentry.application.tasks.get_task import GetTask
from agentry.domain.errors import DomainError
from agentry.entrypoints.graphql.context import context_of
from agentry.entrypoints.graphql.errors import problem_error


@strawberry.type(name="TaskEvent")
class TaskEventType:
    type: str = strawberry.field(description="task.status_changed, execution.log, task.result, ...")
    task_id: UUID | None
    event: JSON = strawberry.field(description="The event as the REST WebSocket sends it")


@strawberry.type
class Subscription:
    @strawberry.subscription(description="The live events of a task, as /api/v1/ws sends them")
    async def task_events(self, info: Info[Any, Any], task_id: UUID) -> AsyncGenerator[TaskEventType, None]:
        context = context_of(info)
        params = info.context.get("connection_params")
        if isinstance(params, dict) and context.authorization is None:
            given = params.get("Authorization", params.get("authorization"))
            context.authorization = given if isinstance(given, str) else None
        try:
            await context.call(GetTask, lambda use, actor: use(actor, task_id))
        except (ApplicationError, DomainError) as refused:
            raise problem_error(refused) from refused
        live = context.live
        if live is None:
            raise RuntimeError("this process serves no live channels")
        subscriber = await live.plugin.subscribe(live.names.task(task_id))
        try:
            async for payload in subscriber.iter_events():
                event = msgspec.json.decode(payload)
                if not isinstance(event, dict):
                    continue
                raw_id = event.get("task_id")
                yield TaskEventType(
                    type=str(event.get("type")),
                    task_id=UUID(raw_id) if isinstance(raw_id, str) else None,
                    event=cast(JSON, event),
                )
        finally:
            await live.plugin.unsubscribe(subscriber)
