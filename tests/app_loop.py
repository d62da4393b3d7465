"""Reaching into an app the test client runs: `AsyncTestClient` runs the app in an event loop of its own,
in a thread of its own. The app's container (its locks, its engine's pool) belongs to that loop; used from
the test's loop, a lock released here can leave a task of the app's loop waiting for good (the relay
once sat 30 s on one)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from litestar import Litestar
from litestar.testing import AsyncTestClient

T = TypeVar("T")


async def in_app(client: AsyncTestClient[Litestar], work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` in the app's event loop and wait for it here without blocking this loop."""
    return await asyncio.to_thread(client.blocking_portal.call, work)


async def from_app(client: AsyncTestClient[Litestar], dependency: type[T]) -> T:
    """The app's own instance of `dependency`, resolved in the app's event loop."""

    async def resolve() -> T:
        found: T = await client.app.state.dishka_container.get(dependency)
        return found

    return await in_app(client, resolve)
