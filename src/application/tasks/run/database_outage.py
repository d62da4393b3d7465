"""A run's memory of the database being out of reach, so that a short outage is ridden out.

While the database cannot be reached, a run goes on: its log lines wait in memory for a later
checkpoint, and its ending is written again after a pause. What the failed writes leave behind is
kept here: since when the database is away (a warning is logged once per outage, not per try), that
the objects read before are stale (the rollback expired them: read them again before writing through
them), and that a failed commit may have gone through all the same (its reply was lost with the
connection: read back what it wrote before writing it again).
"""

from __future__ import annotations

import logging
import time
from uuid import UUID

from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.run.execution_recorder import ExecutionRecorder
from agentry.domain.tasks.logs import LogLine

log = logging.getLogger("agentry.worker")


class OutageWatch:
    def __init__(self, execution_id: UUID) -> None:
        self._execution_id = execution_id
        self._since: float | None = None
        self.stale = False  # a transaction was rolled back: the objects read before it are expired
        self.unsure = False  # a commit failed: it may have gone through, unacknowledged

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def failed(self, error: BaseException, doing: str) -> None:
        """A write failed because the database could not be reached; it is rolled back."""
        self.stale = self.unsure = True
        if self._since is None:
            self._since = time.monotonic()
            log.warning(
                "execution %s: the database cannot be reached while %s (%s: %s); the run goes on and tries again",
                self._execution_id,
                doing,
                type(error).__name__,
                _first_line(error),
            )

    def reached(self) -> None:
        """A write went through."""
        self.unsure = False
        if self._since is not None:
            log.warning("execution %s: the database is reached again after %.1fs", self._execution_id, self.lasted_s())
            self._since = None

    def gave_up(self, doing: str) -> None:
        log.error(
            "execution %s: gave up %s after %.1fs without the database; the recovery will end it as lost",
            self._execution_id,
            doing,
            self.lasted_s(),
        )

    def lasted_s(self) -> float:
        return 0.0 if self._since is None else time.monotonic() - self._since


async def roll_back(uow: UnitOfWork, outage: OutageWatch, error: Exception, doing: str) -> None:
    """After a write failed for want of the database: end the transaction (which may fail too)."""
    outage.failed(error, doing)
    try:
        await uow.rollback()
    except Exception as again:
        if not uow.unavailable(again):
            raise


async def unstored(
    logs: LogStore, recorder: ExecutionRecorder, lines: list[LogLine], outage: OutageWatch
) -> list[LogLine]:
    """The lines not in the store yet: all of them, unless a commit failed for want of the database
    since the last one that went through (it may have gone through all the same)."""
    if not lines or not outage.unsure:
        return lines
    stored = await logs.read(recorder.task_id, recorder.number, lines[0].sequence - 1, len(lines))
    seen = {line.sequence for line in stored}
    return [line for line in lines if line.sequence not in seen]


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""
