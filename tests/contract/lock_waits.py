"""Waiting, in a test, until another session of PostgreSQL waits for a lock: a deterministic point at which to
let the lock's holder go on, instead of a sleep that a loaded machine may outlast."""

from __future__ import annotations

import asyncio

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

BLOCKED = text("SELECT cardinality(pg_blocking_pids(:pid)) > 0")
BACKEND = text("SELECT pg_backend_pid()")
POLL_S = 0.005
GIVE_UP_S = 30  # only a broken test gets there


async def backend_of(session: AsyncSession) -> int:
    """The PostgreSQL backend serving `session` (its transaction starts here, on that connection)."""
    pid: int = (await session.execute(BACKEND)).scalar_one()
    return pid


async def until_it_waits_for_a_lock(
    sessions: async_sessionmaker[AsyncSession], pid: int, task: asyncio.Task[object]
) -> bool:
    """True once the backend `pid` waits for a lock another session holds, False if `task` ended first."""
    return await _until(sessions, BLOCKED, pid, task, f"backend {pid} neither ended its work nor waited for a lock")


WAITED_FOR = text("SELECT count(*) > 0 FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")


async def until_another_waits_for_it(
    sessions: async_sessionmaker[AsyncSession], pid: int, task: asyncio.Task[object]
) -> bool:
    """True once some session waits for a lock the backend `pid` holds, False if `task` ended first."""
    return await _until(sessions, WAITED_FOR, pid, task, f"nobody waited for backend {pid}, and the work did not end")


async def _until(
    sessions: async_sessionmaker[AsyncSession], seen: TextClause, pid: int, task: asyncio.Task[object], failure: str
) -> bool:
    """True once `seen` says so of `pid`, polled; False if `task` ended first."""
    async with sessions() as watcher:
        for _ in range(int(GIVE_UP_S / POLL_S)):
            if task.done():
                return False
            if (await watcher.execute(seen, {"pid": pid})).scalar_one():
                return True
            await watcher.rollback()
            await asyncio.sleep(POLL_S)
    raise AssertionError(f"{failure} in {GIVE_UP_S} s")
