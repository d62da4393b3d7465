"""The database pool's gauges of one process: connections checked out, and callers waiting for one."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.prometheus import families as m


def watch_pool(engine: AsyncEngine) -> AsyncEngine:
    pool = engine.sync_engine.pool
    event.listen(pool, "checkout", lambda *_: m.db_pool_in_use.inc())
    event.listen(pool, "checkin", lambda *_: m.db_pool_in_use.dec())
    getting = getattr(pool, "_do_get", None)  # the queue pools' wait for a connection
    if getting is not None:

        @functools.wraps(getting)
        def waiting_for_connection(*args: Any, **kwargs: Any) -> Any:
            m.db_pool_waiting.inc()
            try:
                return getting(*args, **kwargs)
            finally:
                m.db_pool_waiting.dec()

        pool._do_get = waiting_for_connection  # type: ignore[method-assign]
    return engine
