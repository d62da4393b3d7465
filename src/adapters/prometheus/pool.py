"""The database pool's gauges of one process: connections checked out, and callers waiting for one.

Connections checked out are the pools' own count (`checkedout()`), read by a thread of the process
every INTERVAL_S and written to the gauge when it changed: a checkout and a checkin each wrote it (a
locked write to the process's metrics file in multiprocess mode, and a pool event) three times a
read, about 1% of the API's CPU per read. A scrape sees the count of at most INTERVAL_S before, as
good a point sample of it as the exact one (it moves in and out within each request).

A caller that finds an idle connection does not wait: only one that finds none (it waits for one to
be checked in, or for a new one to connect) moves the waiting gauge, at once; most find one idle."""

from __future__ import annotations

import functools
import os
import threading
import weakref
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.prometheus import families as m

INTERVAL_S = 0.5


class PoolsInUse:
    """The connections checked out of the watched pools, summed: `sample` writes them to the gauge
    if they changed; `start` samples every `interval` s in a daemon thread (one per process)."""

    def __init__(self, interval: float = INTERVAL_S) -> None:
        self._interval = interval
        self._pools: weakref.WeakSet[Any] = weakref.WeakSet()  # a disposed engine's pool drops out
        self._written: int | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def watch(self, pool: Any) -> None:
        with self._lock:
            self._pools.add(pool)
            if self._pid != os.getpid():  # none started in this process yet (or it was forked from one)
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="agentry-pool-gauges", daemon=True).start()

    def sample(self) -> None:
        in_use = sum(pool.checkedout() for pool in list(self._pools))
        if in_use != self._written:
            m.db_pool_in_use.set(in_use)
            self._written = in_use

    def _run(self) -> None:
        stop = threading.Event()  # never set: the thread ends with the process
        while not stop.wait(self._interval):
            self.sample()


pools_in_use = PoolsInUse()


def watch_pool(engine: AsyncEngine) -> AsyncEngine:
    pool = engine.sync_engine.pool
    if hasattr(pool, "checkedout"):
        pools_in_use.watch(pool)
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
