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
from enum import StrEnum
from typing import Any
from uuid import UUID

from agentry.domain.errors import IllegalTransition, NotResumable, StaleExecution
from agentry.domain.events import Aggregate
from agentry.domain.tasks.events import task_event
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus, TaskExecution
from agentry.domain.tasks.spec import Priority, TaskOptions, TaskSpec, normalize_tags


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
_SUCCEEDED = ExecutionStatus.SUCCEEDED
_ENDINGS = {
    ExecutionStatus.SUCCEEDED: TaskStatus.SUCCEEDED,
    ExecutionStatus.FAILED: TaskStatus.FAILED,
    ExecutionStatus.TIMED_OUT: TaskStatus.TIMED_OUT,
    ExecutionStatus.CANCELLED: TaskStatus.CANCELLED,
}


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


@dataclass(eq=False)
class AgentTask(Aggregate):
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

    def awaits(self, number: int) -> bool:
        """Whether order `number` is the one this task waits for; `start` takes no other."""
        return self.status is TaskStatus.QUEUED and number == self.execution_count + 1

    def start(self, number: int, execution_id: UUID, worker_id: str, now: datetime) -> TaskExecution:
        """A worker claims execution `number`; anything but the next expected order is stale."""
        execution = self._start(number, execution_id, worker_id, now)
        self._announce("started", "claimed", TaskStatus.QUEUED)
        return execution

    def _start(self, number: int, execution_id: UUID, worker_id: str, now: datetime) -> TaskExecution:
        if not self.awaits(number):
            raise StaleExecution(
                f"task {self.id} is {self.status} after {self.execution_count} execution(s); "
                f"order #{number} is not the next one"
            )
        if self.attempts >= self.max_attempts:
            raise IllegalTransition("task", self.id, self.status, TaskStatus.RUNNING)
        self.status = TaskStatus.RUNNING
        self.attempts += 1
        self.execution_count = number
        self.started_at = max(now, self.queued_at or self.created_at)
        self.finished_at = None
        self._touch(now)
        return TaskExecution(
            id=execution_id,
            task_id=self.id,
            number=number,
            attempt=self.attempts,
            worker_id=worker_id,
            started_at=self.started_at,
            heartbeat_at=now,
        )

    def end_execution(
        self,
        execution: TaskExecution,
        status: ExecutionStatus,
        now: datetime,
        *,
        summary: str | None = None,
        cause: str = "ended",
        **details: Any,
    ) -> None:
        """The running execution ends; the task ends with it. A cancel request always wins.
        `summary` (of a succeeded run's result) goes into the event, for whoever watches."""
        self._end(execution, status, now, summary, cause, self.status, **details)

    def _end(
        self,
        execution: TaskExecution,
        status: ExecutionStatus,
        now: datetime,
        summary: str | None,
        cause: str,
        previous: TaskStatus,
        **details: Any,
    ) -> None:
        self._require_current(execution)
        if self.status is TaskStatus.CANCELLING:
            status = ExecutionStatus.CANCELLED
        elif status is ExecutionStatus.CANCELLED:
            raise IllegalTransition("task", self.id, self.status, TaskStatus.CANCELLED)
        execution.end(status, now, **details)
        self.status = _ENDINGS[status]
        self.finished_at = execution.finished_at
        error = execution.error
        self.error_code, self.error_message = (error.code, error.message) if error else (None, None)
        self._touch(now)
        self._announce(self.status.value, cause, previous, execution, summary if status is _SUCCEEDED else None)

    def runs(self, execution: TaskExecution) -> bool:
        """Whether this execution is the task's current, still-running one."""
        return (
            execution.task_id == self.id
            and execution.number == self.execution_count
            and self.status in (TaskStatus.RUNNING, TaskStatus.CANCELLING)
        )

    def can_requeue(self) -> bool:
        return self.status is TaskStatus.RUNNING and self.attempts < self.max_attempts

    def requeue(
        self, execution: TaskExecution, error: ExecutionError, now: datetime, *, cause: str = "retrying", **details: Any
    ) -> None:
        """A retryable failure with attempts left: this execution fails, the task waits again."""
        self._require_current(execution)
        if not self.can_requeue():
            raise IllegalTransition("task", self.id, self.status, TaskStatus.QUEUED)
        execution.end(ExecutionStatus.FAILED, now, error=error, **details)
        self.status = TaskStatus.QUEUED
        self.queued_at = execution.finished_at
        self.started_at = None
        self.error_code, self.error_message = error.code, error.message
        self._touch(now)
        self._announce("queued", cause, TaskStatus.RUNNING, execution)

    def interrupt(self, execution: TaskExecution, error: ExecutionError, now: datetime, **details: Any) -> None:
        """Its worker is shutting down and stopped the run: the execution fails with `error` and the
        task waits again, the attempt given back (the run did not fail; its worker went away). A
        task being cancelled is not interrupted: it ends cancelled, through `end_execution`."""
        self._require_current(execution)
        self._require({TaskStatus.RUNNING}, TaskStatus.QUEUED)
        execution.end(ExecutionStatus.FAILED, now, error=error, **details)
        self.status = TaskStatus.QUEUED
        self.attempts -= 1
        self.queued_at = execution.finished_at
        self.started_at = None
        self.error_code, self.error_message = error.code, error.message
        self._touch(now)
        self._announce("queued", "interrupted", TaskStatus.RUNNING, execution)

    def recover_lost(self, execution: TaskExecution, error: ExecutionError, now: datetime) -> None:
        """The execution's worker went silent past its time-out (killed, out of memory, its machine
        gone): the execution fails with `error`. The task waits again on the rules of `requeue`
        (attempts left, no cancel asked for); otherwise it ends: failed, or cancelled when a cancel
        was asked for."""
        if self.can_requeue():
            self.requeue(execution, error, now, cause="worker_lost")
        else:
            self.end_execution(execution, ExecutionStatus.FAILED, now, error=error, cause="worker_lost")

    def fail_undelivered(
        self, number: int, execution_id: UUID, worker_id: str, error: ExecutionError, now: datetime
    ) -> TaskExecution:
        """Order `number` can no longer reach a worker (the broker dead-lettered it): rather than
        wait forever, the task fails with `error`. The order is used up by an execution that ends
        at once, so the task's history says what happened and a retry gets the next number.
        Anything but the task's next order is stale, as in `start`."""
        execution = self._start(number, execution_id, worker_id, now)
        self._end(execution, ExecutionStatus.FAILED, now, None, "undelivered", TaskStatus.QUEUED, error=error)
        return execution

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

    # --- helpers -----------------------------------------------------------------------------

    def _require(self, allowed: frozenset[TaskStatus] | set[TaskStatus], wanted: TaskStatus) -> None:
        if self.status not in allowed:
            raise IllegalTransition("task", self.id, self.status, wanted)

    def _require_current(self, execution: TaskExecution) -> None:
        if execution.task_id != self.id or execution.number != self.execution_count:
            raise StaleExecution(f"execution #{execution.number} is not task {self.id}'s current one")
        if not self.runs(execution):
            raise IllegalTransition("task", self.id, self.status, "ended")

    def _touch(self, now: datetime) -> None:
        self.updated_at = max(now, self.updated_at)

    def _announce(
        self,
        kind: str,
        cause: str,
        previous: TaskStatus | None,
        run: TaskExecution | None = None,
        summary: str | None = None,
    ) -> None:
        self.record(task_event(self, kind, cause, previous, run, summary))
