"""Stop requests for running executions: how a cancel, or the worker's own shutdown, reaches the run
loop at once instead of at its next look at the database.

A request is a nudge, not a record. The database says whether a task is being cancelled, and the run
loop confirms there before it stops; a request that is lost on the way (a broker blip, a worker that
was not listening yet) is caught by the loop's periodic re-read of the task's status.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from enum import StrEnum
from typing import Protocol
from uuid import UUID


class StopReason(StrEnum):
    CANCEL = "cancel"  # someone asked to cancel the task (confirmed with the database before stopping)
    SHUTDOWN = "shutdown"  # this worker is shutting down and the run's grace period is over


class StopWatch(Protocol):
    async def next(self) -> StopReason:
        """Wait for the next request to stop the watched run."""
        ...


class RunSignals(Protocol):
    """The worker side: a run watches its task for stop requests while it runs."""

    def watch(self, task_id: UUID) -> AbstractContextManager[StopWatch]: ...


class StopRequests(Protocol):
    """The asking side: tell whichever worker runs the task to stop it."""

    async def request_stop(self, task_id: UUID) -> None:
        """Send the request after the commit that asked for it. Never raises: a request that cannot
        be sent is logged and forgotten; the worker's poll notices the cancel a little later."""
        ...
