"""Inputs of task transitions: an edit of a pending task, and what a follow-up continues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from agentry.domain.tasks.spec import Priority, TaskOptions


@dataclass(frozen=True, slots=True)
class TaskChanges:
    """An edit of a pending task; None leaves a field as it is."""

    title: str | None = None
    prompt: str | None = None
    priority: Priority | None = None
    tags: tuple[str, ...] | None = None
    options: TaskOptions | None = None
    max_attempts: int | None = None
    scheduled_at: datetime | None = None
    clear_schedule: bool = False


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What a follow-up continues: the earlier task, its agent session, and the chain's workspace."""

    task_id: UUID
    session_id: str
    workspace_id: UUID
