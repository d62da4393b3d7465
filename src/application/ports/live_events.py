"""What is announced as it happens, for the people watching a task live (WebSocket, SSE): status
changes and run outcomes (from the task's domain events, see application/tasks/announce_live.py) and
log lines (by the worker, once written); and for the people watching a project, its documents'
ingestion outcomes (application/documents/announce_live.py), its knowledge graph's changes
(application/knowledge/announce_live.py) and its publications' changes
(application/publishing/announce_live.py).

An announcement follows the commit of what it describes, so nothing rolled back is ever announced.
It is a courtesy, not a record: the database stays the truth, and a watcher that missed an event
reads the task, its log or its result back from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol
from uuid import UUID

from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.logs import LogLine
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage


@dataclass(frozen=True, slots=True)
class TaskStatusChanged:
    type: ClassVar[str] = "task.status_changed"
    task_id: UUID
    project_id: UUID
    status: TaskStatus
    at: datetime

    @classmethod
    def of(cls, task: AgentTask) -> TaskStatusChanged:
        return cls(task.id, task.project_id, task.status, task.updated_at)


@dataclass(frozen=True, slots=True)
class LogAppended:
    """A batch of consecutive lines of one execution, as the worker wrote them."""

    type: ClassVar[str] = "execution.log"
    task_id: UUID
    project_id: UUID
    execution_number: int
    lines: tuple[LogLine, ...]

    @classmethod
    def of(cls, project_id: UUID, lines: list[LogLine]) -> LogAppended:
        return cls(lines[0].task_id, project_id, lines[0].execution_number, tuple(lines))


@dataclass(frozen=True, slots=True)
class RunEnded:
    """How an execution ended: the outcome in short (the full result is at /tasks/{id}/result)."""

    type: ClassVar[str] = "task.result"
    task_id: UUID
    project_id: UUID
    execution_number: int
    status: ExecutionStatus
    summary: str | None
    error: ExecutionError | None
    usage: Usage


@dataclass(frozen=True, slots=True)
class DocumentChanged:
    """A document's ingestion ended (`document.ingested`, `document.failed`) or it was deleted
    (`document.deleted`): told on its project's channel only (a document has no task)."""

    type: str
    document_id: UUID
    project_id: UUID
    title: str
    status: str
    chunk_count: int | None
    error: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class KnowledgeChanged:
    """An entity or relationship of a project's knowledge graph was created, changed, merged or deleted
    (`entity.*`, `relationship.*`): told on its project's channel only, with the event's own data."""

    type: str
    aggregate: str  # "entity" or "relationship"
    aggregate_id: UUID
    project_id: UUID
    data: Mapping[str, Any]
    at: datetime


@dataclass(frozen=True, slots=True)
class PublicationChanged:
    """A publication was created, edited, moved (`publication.submitted`, `.published`...) or deleted:
    told on its project's channel only, to those who may read its publications."""

    type: str
    publication_id: UUID
    project_id: UUID
    title: str
    status: str
    by: UUID
    at: datetime


LiveEvent = TaskStatusChanged | LogAppended | RunEnded | DocumentChanged | KnowledgeChanged | PublicationChanged


class LiveEvents(Protocol):
    async def publish(self, *events: LiveEvent) -> None:
        """Announce the events, in order, to whoever watches their task or its project (a document's
        events: its project).

        Never raises: a failure to announce is logged and forgotten, it must not undo or break
        the work that was just committed."""
        ...
