"""The database pool's gauges of one process: connections checked out, and callers waiting for one.

A caller that finds an idle connection does not wait: only one that finds none (it waits for one to
be checked in, or for a new one to connect) moves the waiting gauge. In multiprocess mode each move
is a locked write to the process's metrics file, and most checkouts find a connection idle."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.prometheus import families as m


def watch_pool(engine: AsyncEngine) -> AsyncEngine:
    pool = engine.sync_engine.pool
    in_use = m.db_pool_in_use
    event.listen(pool, "checkout", lambda *_: in_use.inc())
    event.listen(pool, "checkin", lambda *_: in_use.dec())
    getting = getattr(pool, "_do_get", None)  # the queue pools' wait for a connection
    idle = getattr(pool, "checkedin", None)
    if getting is not None and idle is not None:
        waiting = m.db_pool_waiting

        @functools.wraps(getting)
        def waiting_for_connection(*args: Any, **kwargs: Any) -> Any:
            if idle() > 0:
                return getting(*args, **kwargs)
            waiting.inc()
            try:
                return getting(*args, **kwargs)
            finally:
                waiting.dec()

        pool._do_get = waiting_for_connection  # type: ignore[method-assign]
    return engine
