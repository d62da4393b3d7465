"""Reads a long-lived stream makes, each in a request scope of its own (a stream that lasts an hour holds
no database connection in between), and each carried to its end even when the stream is cancelled
meanwhile (its client went away): a read cut off in the middle leaves its database connection
half-closed, and enough of those exhaust the pool."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from dishka import AsyncContainer

T = TypeVar("T")
Scope = Callable[[], contextlib.AbstractAsyncContextManager[AsyncContainer]]


async def read_in_scope(scope: Scope, work: Callable[[AsyncContainer], Awaitable[T]]) -> T:
    async def scoped() -> T:
        async with scope() as request:
            return await work(request)

    return await asyncio.shield(scoped())
