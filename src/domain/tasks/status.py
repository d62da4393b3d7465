"""Where a task is in its life, and the sets of statuses the rules speak of."""

from __future__ import annotations

from enum import StrEnum


class TaskStatus(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    CANCELLING = "cancelling"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL


TERMINAL = frozenset({TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.CANCELLED})
RETRYABLE = frozenset({TaskStatus.FAILED, TaskStatus.TIMED_OUT})
DELETABLE = frozenset({TaskStatus.PENDING, TaskStatus.QUEUED}) | TERMINAL
