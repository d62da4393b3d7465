"""Reads a long-lived stream makes, each in a request scope of its own (a stream that lasts an hour holds
no database connection in between), and each carried to its end even when the stream is cancelled
meanwhile (its client went away): a read cut off in the middle leaves its database connection
half-closed, and enough of those exhaust the pool.

StoredLog: the reads a log's follower makes (log_order.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from dishka import AsyncContainer

from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.read_log import PAGE_MAX, ReadLog
from agentry.domain.principal import Principal
from agentry.domain.tasks.logs import LogLine
from agentry.domain.tasks.task import AgentTask

T = TypeVar("T")
_READING: dict[tuple[UUID, int, int, int], asyncio.Future[list[LogLine]]] = {}  # StoredLog.read's under way
Scope = Callable[[], contextlib.AbstractAsyncContextManager[AsyncContainer]]


async def read_in_scope(scope: Scope, work: Callable[[AsyncContainer], Awaitable[T]]) -> T:
    async def scoped() -> T:
        async with scope() as request:
            return await work(request)

    return await asyncio.shield(scoped())


@dataclass(frozen=True, slots=True)
class StoredLog:
    """A task's stored log and its latest execution, as the follower (`actor()`, who they are now) may
    read them, each read in a scope of its own."""

    scope: Scope
    actor: Callable[[], Principal]
    task_id: UUID

    async def read(self, number: int, after: int, limit: int = PAGE_MAX) -> list[LogLine]:
        """Followers of one task ask alike at one moment (at a run's end, each reads what it has not
        sent): the same read made while one is under way waits for that one's lines, one read for all.
        Each was allowed to read the task's log when it subscribed, and is checked again as it goes."""
        key = (self.task_id, number, after, limit)
        if (under_way := _READING.get(key)) is not None:
            return await asyncio.shield(under_way)

        async def work(request: AsyncContainer) -> list[LogLine]:
            read_log = await request.get(ReadLog)
            page = await read_log(self.actor(), self.task_id, execution=number, after=after, limit=limit)
            return page.items

        reading = _READING[key] = asyncio.ensure_future(read_in_scope(self.scope, work))
        reading.add_done_callback(lambda _: _READING.pop(key, None))
        return await asyncio.shield(reading)

    async def latest(self) -> int:
        async def work(request: AsyncContainer) -> int:
            task: AgentTask = await (await request.get(GetTask))(self.actor(), self.task_id)
            return task.execution_count

        return await read_in_scope(self.scope, work)
