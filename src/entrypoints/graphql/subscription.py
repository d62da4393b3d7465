"""Subscription.taskEvents(taskId) over graphql-transport-ws: the events of one task from the same live
channels as the REST WebSocket (/api/v1/ws), authorized the same way (GetTask: a task the caller may not
read is not found). The credential is the upgrade request's Authorization header, or `Authorization`
(or `authorization`) in the connection_init payload. As on the REST WebSocket, every `recheck_s` seconds
the credential and the right to read the task are checked again (a refusal ends the subscription with
its error), and a server that drains completes the subscription. A task's log lines come in order, each
once, and before its run's result and final status (http/live/log_order.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from functools import partial
from typing import Any, cast
from uuid import UUID

import msgspec
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from agentry.application.errors import ApplicationError
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.read_log import LogPage, ReadLog
from agentry.domain.errors import DomainError
from agentry.domain.tasks.logs import LogLine
from agentry.domain.tasks.task import AgentTask
from agentry.entrypoints.graphql.context import AgentryContext, context_of
from agentry.entrypoints.graphql.errors import problem_error
from agentry.entrypoints.http.live.log_order import TaskEventsInOrder


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
        task = await _authorize(context, task_id)
        read, latest = partial(_read, context, task_id), partial(_latest, context, task_id)
        in_order = TaskEventsInOrder(task.id, task.project_id, read, latest)
        live = context.live
        if live is None:
            raise problem_error(RuntimeError("this process serves no live channels"))  # logged, internal_error
        subscriber = await live.plugin.subscribe(live.names.task(task_id))
        events = subscriber.iter_events().__aiter__()
        draining = asyncio.ensure_future(live.draining.wait())
        loop = asyncio.get_running_loop()
        next_check = loop.time() + live.recheck_s
        try:
            while True:
                arriving = asyncio.ensure_future(events.__anext__())
                while True:
                    done, _ = await asyncio.wait(
                        {arriving, draining},
                        timeout=max(0.0, next_check - loop.time()),
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                    if draining in done:  # the server is stopping: the subscription completes
                        arriving.cancel()
                        return
                    if loop.time() >= next_check:  # is the caller still who they were, and allowed?
                        next_check = loop.time() + live.recheck_s
                        try:
                            await _authorize(context, task_id, again=True)
                        except BaseException:
                            arriving.cancel()
                            raise
                    if arriving in done:
                        break
                try:
                    payload = arriving.result()
                except StopAsyncIteration:
                    return
                async for announced in in_order.of(payload):
                    event = msgspec.json.decode(announced)
                    if not isinstance(event, dict):
                        continue
                    raw_id = event.get("task_id")
                    yield TaskEventType(
                        type=str(event.get("type")),
                        task_id=UUID(raw_id) if isinstance(raw_id, str) else None,
                        event=cast(JSON, event),
                    )
        finally:
            draining.cancel()
            await live.plugin.unsubscribe(subscriber)


async def _authorize(context: AgentryContext, task_id: UUID, *, again: bool = False) -> AgentTask:
    """As the REST WebSocket subscribes: the task, if the caller may read it; else not found. `again`:
    authenticate the credential anew first (it may have expired or been revoked meanwhile)."""
    try:
        if again:
            await context.authenticate_again()
        task: AgentTask = await context.call(GetTask, lambda use, actor: use(actor, task_id))
        return task
    except (ApplicationError, DomainError) as refused:
        raise problem_error(refused) from refused


async def _read(context: AgentryContext, task_id: UUID, number: int, after: int, limit: int) -> list[LogLine]:
    """Up to `limit` stored lines of the task's execution `number` after `after`, as the caller may read them."""
    page: LogPage = await context.call(
        ReadLog, lambda use, actor: use(actor, task_id, execution=number, after=after, limit=limit)
    )
    return page.items


async def _latest(context: AgentryContext, task_id: UUID) -> int:
    task: AgentTask = await context.call(GetTask, lambda use, actor: use(actor, task_id))
    return task.execution_count
