"""The outbox row: work recorded in the same transaction as the state change that calls for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class ExecutionOrder:
    """The message a worker receives: run attempt `number` of a task. Only ids travel, and the context
    of the work that asked for it (trace context, correlation id: opaque strings, not part of its identity)."""

    task_id: UUID
    number: int
    context: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


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
