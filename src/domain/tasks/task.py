"""The agent task and its state machine.

    (submit) → queued, or pending when scheduled for later
    pending ─release (its time has come)→ queued ─start→ running ─→ succeeded | failed | timed_out | cancelled
    pending | queued ─cancel→ cancelled          running ─cancel→ cancelling ─→ cancelled
    running ─requeue (retryable failure, attempts left)→ queued
    running ─interrupt (its worker shut down; the attempt is given back)→ queued
    running ─recover_lost (its worker went silent)→ queued (attempts left) | failed | cancelled (if cancelling)
    queued ─fail_undelivered (the broker gave up on its order)→ failed, through an execution that ends at once
    failed | timed_out ─retry→ queued (a new round of max_attempts attempts)

A follow-up is a new task that resumes the agent session of a finished one. A chain of follow-ups
shares one workspace, the working directory of its first task, so each sees what the ones before left.

Attempts count executions in the current round (but for those a shutting-down worker interrupted);
`execution_count` counts them all over the task's life and numbers the next execution, so a duplicate
or outdated order can never start one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from agentry.domain.errors import IllegalTransition, NotResumable
from agentry.domain.tasks.changes import FollowUp, TaskChanges
from agentry.domain.tasks.executions import ExecutionError
from agentry.domain.tasks.runs import TaskRuns
from agentry.domain.tasks.spec import Priority, TaskOptions, TaskSpec, normalize_tags
from agentry.domain.tasks.status import DELETABLE, RETRYABLE, TaskStatus


@dataclass(eq=False)
class AgentTask(TaskRuns):
    id: UUID
    owner_id: UUID
    project_id: UUID
    title: str
    prompt: str
    priority: Priority
    tags: tuple[str, ...]
    options: TaskOptions
    max_attempts: int
    created_at: datetime
    updated_at: datetime
    status: TaskStatus = TaskStatus.PENDING
    scheduled_at: datetime | None = None
    attempts: int = 0
    execution_count: int = 0
    queued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error_code: str | None = None
    error_message: str | None = None
    idempotency_key: str | None = None
    request_fingerprint: str | None = None
    follows_task_id: UUID | None = None
    resume_session_id: str | None = None
    workspace_id: UUID | None = None  # None: the task's own

    @classmethod
    def submit(
        cls,
        task_id: UUID,
        owner_id: UUID,
        project_id: UUID,
        spec: TaskSpec,
        now: datetime,
        *,
        idempotency_key: str | None = None,
        request_fingerprint: str | None = None,
        follows: FollowUp | None = None,
    ) -> AgentTask:
        """A task due now is queued at once; one scheduled for later waits, pending, until released."""
        due = spec.scheduled_at is None or spec.scheduled_at <= now
        task = cls(
            id=task_id,
            owner_id=owner_id,
            project_id=project_id,
            title=spec.title,
            prompt=spec.prompt,
            priority=spec.priority,
            tags=spec.tags,
            options=spec.options,
            max_attempts=spec.max_attempts,
            scheduled_at=spec.scheduled_at,
            created_at=now,
            updated_at=now,
            idempotency_key=idempotency_key,
            request_fingerprint=request_fingerprint,
            status=TaskStatus.QUEUED if due else TaskStatus.PENDING,
            queued_at=now if due else None,
            follows_task_id=follows.task_id if follows else None,
            resume_session_id=follows.session_id if follows else None,
            workspace_id=follows.workspace_id if follows else None,
        )
        task._announce(task.status.value, "follow_up" if follows else "submitted", None)
        return task

    @property
    def spec(self) -> TaskSpec:
        return TaskSpec(
            self.title,
            self.prompt,
            self.priority,
            self.tags,
            self.options,
            self.scheduled_at,
            self.max_attempts,
        )

    @property
    def error(self) -> ExecutionError | None:
        if self.error_code is None:
            return None
        return ExecutionError(self.error_code, self.error_message or "")

    def continuation(self, session_id: str | None) -> FollowUp:
        """What a follow-up of this task resumes, given the agent session of its latest execution.
        A task that has not finished may still change its session; one that never started a session
        (it was cancelled before it ran, or its run failed first) has nothing to resume."""
        if not self.status.is_terminal:
            raise NotResumable(self.id, f"it is {self.status}; only a finished task can be followed up")
        if session_id is None:
            raise NotResumable(self.id, "its latest execution started no agent session")
        return FollowUp(self.id, session_id, self.workspace_id or self.id)

    def forget_idempotency_key(self) -> None:
        """Its Idempotency-Key has expired: the key may name a new submission from now on."""
        self.idempotency_key = self.request_fingerprint = None

    def release_at(self) -> datetime:
        """When the task may be handed to a worker."""
        return self.scheduled_at or self.created_at

    # --- transitions -------------------------------------------------------------------------

    def edit(self, changes: TaskChanges, now: datetime) -> None:
        self._require({TaskStatus.PENDING}, TaskStatus.PENDING)
        spec = self.spec
        spec = replace(
            spec,
            title=changes.title if changes.title is not None else spec.title,
            prompt=changes.prompt if changes.prompt is not None else spec.prompt,
            priority=changes.priority or spec.priority,
            tags=normalize_tags(changes.tags) if changes.tags is not None else spec.tags,
            options=changes.options or spec.options,
            max_attempts=spec.max_attempts if changes.max_attempts is None else changes.max_attempts,
            scheduled_at=None if changes.clear_schedule else (changes.scheduled_at or spec.scheduled_at),
        )
        self.title, self.prompt, self.priority, self.tags = spec.title, spec.prompt, spec.priority, spec.tags
        self.options, self.max_attempts, self.scheduled_at = spec.options, spec.max_attempts, spec.scheduled_at
        self._touch(now)
        self._announce("updated", "edited", self.status)

    def release(self, now: datetime) -> None:
        """Scheduled work whose time has come goes to the queue."""
        self._require({TaskStatus.PENDING}, TaskStatus.QUEUED)
        self.status = TaskStatus.QUEUED
        self.queued_at = max(now, self.created_at)
        self._touch(now)
        self._announce("queued", "released", TaskStatus.PENDING)

    def cancel(self, now: datetime) -> None:
        if self.status is TaskStatus.CANCELLING:
            return
        previous = self.status
        if self.status is TaskStatus.RUNNING:
            self.status = TaskStatus.CANCELLING
        else:
            self._require({TaskStatus.PENDING, TaskStatus.QUEUED}, TaskStatus.CANCELLED)
            self.status = TaskStatus.CANCELLED
            self.finished_at = max(now, self.queued_at or self.created_at)
        self._touch(now)
        self._announce(self.status.value, "cancel_requested", previous)

    def retry(self, now: datetime) -> None:
        """Start a new round of attempts for a task that failed or timed out."""
        self._require(RETRYABLE, TaskStatus.QUEUED)
        previous = self.status
        self.status = TaskStatus.QUEUED
        self.attempts = 0
        self.queued_at = max(now, self.finished_at or self.created_at)
        self.started_at = self.finished_at = None
        self.error_code = self.error_message = None
        self._touch(now)
        self._announce("queued", "retried", previous)

    def delete(self, now: datetime) -> None:
        """A task that is not running may be deleted, with its executions, log and result."""
        if self.status not in DELETABLE:
            raise IllegalTransition("task", self.id, self.status, "deleted")
        self._touch(now)
        self._announce("deleted", "deleted", self.status)
