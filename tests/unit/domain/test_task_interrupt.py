"""A worker that shuts down interrupts its runs: the task goes back to the queue, the attempt given back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from agentry.domain.errors import IllegalTransition, StaleExecution
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SHUTDOWN = ExecutionError("worker_shutdown", "the worker shut down")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def queued_task(max_attempts: int = 3) -> AgentTask:
    spec = TaskSpec("Refactor", "Refactor the module.", max_attempts=max_attempts)
    return AgentTask.submit(UUID(int=99), UUID(int=1), UUID(int=9), spec, T0)


def test_an_interrupted_run_fails_its_execution_and_requeues_the_task_without_spending_the_attempt() -> None:
    task = queued_task()
    execution = task.start(1, UUID(int=500), "w1", at(2))
    task.interrupt(execution, SHUTDOWN, at(5))
    assert (execution.status, execution.error, execution.finished_at) == (ExecutionStatus.FAILED, SHUTDOWN, at(5))
    assert (task.status, task.attempts, task.execution_count) == (TaskStatus.QUEUED, 0, 1)
    assert (task.queued_at, task.started_at, task.finished_at) == (at(5), None, None)
    assert task.error == SHUTDOWN
    again = task.start(2, UUID(int=501), "w2", at(6))
    assert (again.number, again.attempt) == (2, 1), "the next execution is the same attempt again"


def test_a_task_on_its_last_attempt_is_still_requeued_when_interrupted() -> None:
    task = queued_task(max_attempts=1)
    execution = task.start(1, UUID(int=500), "w1", at(2))
    assert not task.can_requeue()
    task.interrupt(execution, SHUTDOWN, at(3))
    assert (task.status, task.attempts) == (TaskStatus.QUEUED, 0)
    task.start(2, UUID(int=501), "w2", at(4))


def test_repeated_interruptions_never_use_up_the_attempts() -> None:
    task = queued_task(max_attempts=2)
    for number in range(1, 6):
        execution = task.start(number, UUID(int=500 + number), "w", at(number))
        task.interrupt(execution, SHUTDOWN, at(number + 0.5))
    assert (task.status, task.attempts, task.execution_count) == (TaskStatus.QUEUED, 0, 5)


def test_a_task_being_cancelled_is_not_interrupted_and_nothing_changes() -> None:
    task = queued_task()
    execution = task.start(1, UUID(int=500), "w1", at(2))
    task.cancel(at(3))
    with pytest.raises(IllegalTransition):
        task.interrupt(execution, SHUTDOWN, at(4))
    assert (task.status, task.attempts, execution.status) == (TaskStatus.CANCELLING, 1, ExecutionStatus.RUNNING)
    task.end_execution(execution, ExecutionStatus.FAILED, at(4), error=SHUTDOWN)
    assert task.status is TaskStatus.CANCELLED, "cancel wins over the interruption"


def test_only_the_current_running_execution_can_be_interrupted() -> None:
    task = queued_task()
    first = task.start(1, UUID(int=500), "w1", at(2))
    task.interrupt(first, SHUTDOWN, at(3))
    with pytest.raises(IllegalTransition):
        task.interrupt(first, SHUTDOWN, at(4))  # the task is queued again
    second = task.start(2, UUID(int=501), "w2", at(5))
    with pytest.raises(StaleExecution):
        task.interrupt(first, SHUTDOWN, at(6))
    task.end_execution(second, ExecutionStatus.SUCCEEDED, at(7))
    with pytest.raises(IllegalTransition):
        task.interrupt(second, SHUTDOWN, at(8))
