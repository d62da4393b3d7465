from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from agentry.domain.errors import IllegalTransition, InvalidValue, StaleExecution
from agentry.domain.tasks.changes import TaskChanges
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.spec import Priority, TaskSpec
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask

T0 = datetime(2026, 1, 1, tzinfo=UTC)
OWNER = UUID(int=1)


def new_task(**spec: object) -> AgentTask:
    spec.setdefault("title", "Refactor")
    spec.setdefault("prompt", "Refactor the module.")
    return AgentTask.submit(UUID(int=99), OWNER, UUID(int=0x9), TaskSpec(**spec), T0)  # type: ignore[arg-type]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def running_task(**spec: object) -> tuple[AgentTask, object]:
    task = new_task(**spec)
    return task, task.start(1, UUID(int=500), "w1", at(2))


def test_a_task_due_now_is_queued_at_submission_and_runs_to_succeeded_with_ordered_timestamps() -> None:
    task, execution = running_task()
    assert task.queued_at == task.created_at
    task.end_execution(execution, ExecutionStatus.SUCCEEDED, at(5))  # type: ignore[arg-type]
    assert task.status is TaskStatus.SUCCEEDED
    assert task.created_at <= task.queued_at <= task.started_at <= task.finished_at  # type: ignore[operator]
    assert execution.duration_s == 3.0  # type: ignore[attr-defined]


def test_a_task_scheduled_for_later_is_pending_until_released() -> None:
    task = new_task(scheduled_at=at(60))
    assert task.status is TaskStatus.PENDING and task.queued_at is None
    with pytest.raises(StaleExecution):
        task.start(1, UUID(int=500), "w1", at(30))
    task.release(at(60))
    assert (task.status, task.queued_at) == (TaskStatus.QUEUED, at(60))
    with pytest.raises(IllegalTransition):
        task.release(at(61))


def test_an_order_for_another_execution_number_is_stale() -> None:
    task = new_task()
    with pytest.raises(StaleExecution):
        task.start(2, UUID(int=500), "w1", at(2))
    task.start(1, UUID(int=500), "w1", at(2))
    with pytest.raises(StaleExecution):  # the same order delivered twice
        task.start(1, UUID(int=501), "w2", at(3))


def test_an_execution_ends_exactly_once() -> None:
    task, execution = running_task()
    task.end_execution(execution, ExecutionStatus.FAILED, at(3), error=ExecutionError("x", "boom"))  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition):
        task.end_execution(execution, ExecutionStatus.SUCCEEDED, at(4))  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition):
        execution.end(ExecutionStatus.SUCCEEDED, at(4))  # type: ignore[attr-defined]


def test_a_retryable_failure_requeues_until_attempts_run_out() -> None:
    task, execution = running_task(max_attempts=2)
    task.requeue(execution, ExecutionError("overloaded", "529"), at(3))  # type: ignore[arg-type]
    assert task.status is TaskStatus.QUEUED
    assert execution.status is ExecutionStatus.FAILED  # type: ignore[attr-defined]
    second = task.start(2, UUID(int=501), "w1", at(4))
    assert second.attempt == 2
    assert not task.can_requeue()
    with pytest.raises(IllegalTransition):
        task.requeue(second, ExecutionError("overloaded", "529"), at(5))


def test_cancelling_a_running_task_waits_for_its_worker_and_cancel_wins() -> None:
    task, execution = running_task()
    task.cancel(at(3))
    assert task.status is TaskStatus.CANCELLING
    task.cancel(at(3.5))  # asking again changes nothing
    task.end_execution(execution, ExecutionStatus.SUCCEEDED, at(4))  # type: ignore[arg-type]
    assert task.status is TaskStatus.CANCELLED
    assert execution.status is ExecutionStatus.CANCELLED  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheduled", [True, False])
def test_waiting_work_is_cancelled_at_once(scheduled: bool) -> None:
    task = new_task(scheduled_at=at(60) if scheduled else None)
    assert task.status is (TaskStatus.PENDING if scheduled else TaskStatus.QUEUED)
    task.cancel(at(2))
    assert task.status is TaskStatus.CANCELLED
    assert task.finished_at == at(2)


def test_a_finished_task_cannot_be_cancelled() -> None:
    task, execution = running_task()
    task.end_execution(execution, ExecutionStatus.SUCCEEDED, at(3))  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition) as refused:
        task.cancel(at(4))
    assert refused.value.current == TaskStatus.SUCCEEDED


def test_retry_starts_a_new_round_of_attempts() -> None:
    task, execution = running_task(max_attempts=1)
    task.end_execution(execution, ExecutionStatus.TIMED_OUT, at(3), error=ExecutionError("time_limit", "late"))  # type: ignore[arg-type]
    task.retry(at(10))
    assert (task.status, task.attempts, task.execution_count, task.error) == (TaskStatus.QUEUED, 0, 1, None)
    again = task.start(2, UUID(int=502), "w1", at(11))
    assert again.attempt == 1


@pytest.mark.parametrize("status", [TaskStatus.SUCCEEDED, TaskStatus.CANCELLED])
def test_only_failed_or_timed_out_tasks_can_be_retried(status: TaskStatus) -> None:
    task, execution = running_task()
    if status is TaskStatus.CANCELLED:
        task.cancel(at(3))
    task.end_execution(execution, ExecutionStatus.SUCCEEDED, at(4))  # type: ignore[arg-type]
    assert task.status is status
    with pytest.raises(IllegalTransition):
        task.retry(at(5))


def test_only_a_pending_task_can_be_edited_and_edits_are_validated() -> None:
    task = new_task(scheduled_at=at(3600))
    task.edit(TaskChanges(title="  New title ", priority=Priority.URGENT, tags=("a", "a", "b")), at(1))
    assert (task.title, task.priority, task.tags) == ("New title", Priority.URGENT, ("a", "b"))
    task.edit(TaskChanges(clear_schedule=True), at(2))
    assert task.scheduled_at is None
    with pytest.raises(InvalidValue):
        task.edit(TaskChanges(title="x" * 201), at(3))
    assert task.title == "New title"
    task.release(at(4))
    with pytest.raises(IllegalTransition):
        task.edit(TaskChanges(title="late"), at(5))


@pytest.mark.parametrize("cancel_first", [False, True])
def test_running_or_cancelling_tasks_cannot_be_deleted(cancel_first: bool) -> None:
    task, _ = running_task()
    if cancel_first:
        task.cancel(at(3))
    with pytest.raises(IllegalTransition):
        task.delete(at(4))
