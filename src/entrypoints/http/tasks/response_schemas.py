"""What the API answers about tasks: a task, its executions, log lines, result and statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from msgspec import Struct

from agentry.application.tasks.ports.task_repository import TaskStats
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.logs import LogKind, LogLevel, LogLine
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage
from agentry.entrypoints.http.tasks.schemas import TaskOptionsBody


class ErrorBody(Struct):
    code: str
    message: str


class UsageBody(Struct):
    input_tokens: int
    output_tokens: int
    cost_usd: float

    @classmethod
    def from_domain(cls, usage: Usage) -> UsageBody:
        return cls(usage.input_tokens, usage.output_tokens, usage.cost_usd)


class TaskBody(Struct, kw_only=True):
    id: UUID
    owner_id: UUID
    project_id: UUID
    title: str
    prompt: str
    priority: Priority
    tags: list[str]
    options: TaskOptionsBody
    status: TaskStatus
    scheduled_at: datetime | None
    max_attempts: int
    attempts: int
    execution_count: int
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error: ErrorBody | None
    follows_task_id: UUID | None

    @classmethod
    def from_domain(cls, task: AgentTask) -> TaskBody:
        error = task.error
        return cls(
            id=task.id,
            owner_id=task.owner_id,
            project_id=task.project_id,
            title=task.title,
            prompt=task.prompt,
            priority=task.priority,
            tags=list(task.tags),
            options=TaskOptionsBody.from_domain(task.options),
            status=task.status,
            scheduled_at=task.scheduled_at,
            max_attempts=task.max_attempts,
            attempts=task.attempts,
            execution_count=task.execution_count,
            created_at=task.created_at,
            updated_at=task.updated_at,
            queued_at=task.queued_at,
            started_at=task.started_at,
            finished_at=task.finished_at,
            error=ErrorBody(error.code, error.message) if error else None,
            follows_task_id=task.follows_task_id,
        )


class TaskPageBody(Struct):
    items: list[TaskBody]
    next_cursor: str | None


class ExecutionBody(Struct, kw_only=True):
    id: UUID
    number: int
    attempt: int
    status: ExecutionStatus
    worker_id: str
    started_at: datetime
    finished_at: datetime | None
    duration_s: float | None
    error: ErrorBody | None
    usage: UsageBody
    agent_session_id: str | None

    @classmethod
    def from_domain(cls, execution: TaskExecution) -> ExecutionBody:
        error = execution.error
        return cls(
            id=execution.id,
            number=execution.number,
            attempt=execution.attempt,
            status=execution.status,
            worker_id=execution.worker_id,
            started_at=execution.started_at,
            finished_at=execution.finished_at,
            duration_s=execution.duration_s,
            error=ErrorBody(error.code, error.message) if error else None,
            usage=UsageBody.from_domain(execution.usage),
            agent_session_id=execution.agent_session_id,
        )


class ExecutionPageBody(Struct):
    items: list[ExecutionBody]
    next_cursor: str | None


class LogLineBody(Struct, kw_only=True):
    execution_number: int
    sequence: int
    at: datetime
    level: LogLevel
    kind: LogKind
    message: str
    data: dict[str, Any]

    @classmethod
    def from_domain(cls, line: LogLine) -> LogLineBody:
        return cls(
            execution_number=line.execution_number,
            sequence=line.sequence,
            at=line.at,
            level=line.level,
            kind=line.kind,
            message=line.message,
            data=line.data,
        )


class LogPageBody(Struct):
    execution_number: int | None
    items: list[LogLineBody]
    next_after: int


class ResultBody(Struct, kw_only=True):
    task_id: UUID
    execution_id: UUID
    summary: str
    output: str
    artifacts: list[dict[str, Any]]
    usage: UsageBody
    created_at: datetime

    @classmethod
    def from_domain(cls, result: TaskResult) -> ResultBody:
        return cls(
            task_id=result.task_id,
            execution_id=result.execution_id,
            summary=result.summary,
            output=result.output,
            artifacts=result.artifacts,
            usage=UsageBody.from_domain(result.usage),
            created_at=result.created_at,
        )


class BacklogBody(Struct, kw_only=True):
    project_id: UUID
    waiting: int  # pending + queued
    pending: int  # scheduled for later
    queued: int  # due, waiting for a worker
    oldest_queued_at: datetime | None
    oldest_wait_s: float | None  # how long the longest-waiting queued task has waited


class StatsBody(Struct, kw_only=True):
    counts: dict[TaskStatus, int]
    total: int
    success_rate: float | None
    average_duration_s: float | None
    p95_duration_s: float | None
    backlog: list[BacklogBody]  # per project, now (whatever the creation window)

    @classmethod
    def from_domain(cls, stats: TaskStats) -> StatsBody:
        return cls(
            counts={status: stats.counts.get(status, 0) for status in TaskStatus},
            total=stats.total,
            success_rate=stats.success_rate,
            average_duration_s=stats.average_duration_s,
            p95_duration_s=stats.p95_duration_s,
            backlog=[
                BacklogBody(
                    project_id=b.project_id,
                    waiting=b.pending + b.queued,
                    pending=b.pending,
                    queued=b.queued,
                    oldest_queued_at=b.oldest_queued_at,
                    oldest_wait_s=b.oldest_wait_s,
                )
                for b in stats.backlog
            ],
        )
