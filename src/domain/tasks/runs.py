"""The transitions of a task's runs, made by workers and the relays: an order starts an execution, and
the execution ends (succeeded, failed, timed out, cancelled), is given back (interrupted), fails to be
tried again (requeued), or is recovered once its worker is lost. AgentTask (task.py) takes them from
here, with the helpers every transition shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.domain.errors import IllegalTransition, StaleExecution
from agentry.domain.events import Aggregate
from agentry.domain.tasks.events import task_event
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus, TaskExecution
from agentry.domain.tasks.spec import Priority, TaskOptions
from agentry.domain.tasks.status import TaskStatus

_SUCCEEDED = ExecutionStatus.SUCCEEDED
_ENDINGS = {
    ExecutionStatus.SUCCEEDED: TaskStatus.SUCCEEDED,
    ExecutionStatus.FAILED: TaskStatus.FAILED,
    ExecutionStatus.TIMED_OUT: TaskStatus.TIMED_OUT,
    ExecutionStatus.CANCELLED: TaskStatus.CANCELLED,
}


class TaskRuns(Aggregate):
    """The base of AgentTask: these are its fields (declared here for the checker), not new ones."""

    id: UUID
    project_id: UUID
    owner_id: UUID
    priority: Priority
    tags: tuple[str, ...]
    options: TaskOptions
    status: TaskStatus
    attempts: int
    max_attempts: int
    execution_count: int
    created_at: datetime
    updated_at: datetime
    scheduled_at: datetime | None
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error_code: str | None
    error_message: str | None

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
