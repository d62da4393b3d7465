"""The outbox row: work recorded in the same transaction as the state change that calls for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class ExecutionOrder:
    """The message a worker receives: run attempt `number` of a task. Only ids travel."""

    task_id: UUID
    number: int


@dataclass(frozen=True, slots=True)
class QueueJob:
    id: UUID
    order: ExecutionOrder
    available_at: datetime
    created_at: datetime
    priority_rank: int = 1
    dispatched_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
