"""One attempt at running a task, and the one outcome it ends with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from agentry.domain.errors import IllegalTransition
from agentry.domain.tasks.usage import Usage


class ExecutionStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self is not ExecutionStatus.RUNNING


@dataclass(frozen=True)
class ExecutionError:
    code: str
    message: str


@dataclass(eq=False)
class TaskExecution:
    id: UUID
    task_id: UUID
    number: int
    attempt: int
    worker_id: str
    started_at: datetime
    status: ExecutionStatus = ExecutionStatus.RUNNING
    finished_at: datetime | None = None
    duration_s: float | None = None
    error_code: str | None = None
    error_message: str | None = None
    usage: Usage = field(default_factory=Usage)
    agent_session_id: str | None = None
    heartbeat_at: datetime | None = None  # renewed by its worker while it runs; silence past a time-out: lost

    def end(
        self,
        status: ExecutionStatus,
        now: datetime,
        *,
        error: ExecutionError | None = None,
        usage: Usage | None = None,
        agent_session_id: str | None = None,
    ) -> None:
        """End the execution; an execution ends exactly once."""
        if self.status.is_terminal or not status.is_terminal:
            raise IllegalTransition("execution", self.id, self.status, status)
        self.status = status
        self.finished_at = max(now, self.started_at)
        self.duration_s = (self.finished_at - self.started_at).total_seconds()
        if error is not None:
            self.error_code, self.error_message = error.code, error.message
        if usage is not None:
            self.usage = usage
        if agent_session_id is not None:
            self.agent_session_id = agent_session_id

    @property
    def error(self) -> ExecutionError | None:
        if self.error_code is None:
            return None
        return ExecutionError(self.error_code, self.error_message or "")
