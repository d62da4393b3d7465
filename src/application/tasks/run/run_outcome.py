"""How a run ended, before it is written down."""

from __future__ import annotations

from dataclasses import dataclass

from agentry.application.tasks.ports.agent_gateway import RunCompleted
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus


@dataclass(frozen=True, slots=True)
class RunOutcome:
    status: ExecutionStatus
    error: ExecutionError | None = None
    retryable: bool = False
    completed: RunCompleted | None = None
    interrupted: bool = False  # stopped by its worker's shutdown: requeued without spending the attempt

    @classmethod
    def succeeded(cls, completed: RunCompleted) -> RunOutcome:
        return cls(ExecutionStatus.SUCCEEDED, completed=completed)

    @classmethod
    def failed(cls, code: str, message: str, *, retryable: bool = False) -> RunOutcome:
        return cls(ExecutionStatus.FAILED, ExecutionError(code, message), retryable)

    @classmethod
    def timed_out(cls, code: str, message: str) -> RunOutcome:
        return cls(ExecutionStatus.TIMED_OUT, ExecutionError(code, message))

    @classmethod
    def interrupted_by_shutdown(cls) -> RunOutcome:
        error = ExecutionError(
            "worker_shutdown", "the worker shut down before the run finished; the task goes back to the queue"
        )
        return cls(ExecutionStatus.FAILED, error, interrupted=True)

    @classmethod
    def cancelled(cls) -> RunOutcome:
        return cls(ExecutionStatus.CANCELLED, ExecutionError("cancelled", "the task was cancelled while running"))
