"""The stop requests of one process's runs, in memory: each run watches its task while it runs.

Requests reach the hub from the channels listener (a cancel asked on any API process), straight from
a use case in the same process (the embedded profile), or from the worker's shutdown. Every method
runs on the event loop the runs use; other threads go through `loop.call_soon_threadsafe`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from agentry.application.tasks.ports.run_signals import StopReason


class _Watch:
    def __init__(self) -> None:
        self._requests: asyncio.Queue[StopReason] = asyncio.Queue()

    async def next(self) -> StopReason:
        return await self._requests.get()

    def put(self, reason: StopReason) -> None:
        self._requests.put_nowait(reason)


class RunSignalHub:
    """RunSignals for the runs of this process, and StopRequests for runs in this same process."""

    def __init__(self) -> None:
        self._watches: dict[UUID, set[_Watch]] = {}
        self._stopping: StopReason | None = None

    @contextmanager
    def watch(self, task_id: UUID) -> Iterator[_Watch]:
        watch = _Watch()
        self._watches.setdefault(task_id, set()).add(watch)
        if self._stopping is not None:  # a run that starts after stop_all() stops at once
            watch.put(self._stopping)
        try:
            yield watch
        finally:
            watches = self._watches.get(task_id, set())
            watches.discard(watch)
            if not watches:
                self._watches.pop(task_id, None)

    @property
    def running(self) -> int:
        """How many runs are watching now."""
        return sum(len(watches) for watches in list(self._watches.values()))

    def deliver(self, task_id: UUID, reason: StopReason = StopReason.CANCEL) -> bool:
        """Wake the runs of the task, if any run here; says whether one did."""
        watches = self._watches.get(task_id, ())
        for watch in watches:
            watch.put(reason)
        return bool(watches)

    def stop_all(self, reason: StopReason) -> int:
        """Ask every run to stop, now and from now on (the process is going away); says how many ran."""
        self._stopping = reason
        stopped = 0
        for watches in self._watches.values():
            for watch in watches:
                watch.put(reason)
                stopped += 1
        return stopped

    async def request_stop(self, task_id: UUID) -> None:
        self.deliver(task_id, StopReason.CANCEL)
