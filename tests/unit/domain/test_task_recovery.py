"""The transitions of lost work: an execution whose worker went silent, an order the broker gave up on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from agentry.domain.errors import IllegalTransition, StaleExecution
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus, TaskExecution
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LOST = ExecutionError("worker_lost", "worker w1 went silent")
DEAD = ExecutionError("dead_lettered", "the queue gave up")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def running(max_attempts: int = 3) -> tuple[AgentTask, TaskExecution]:
    task = AgentTask.submit(UUID(int=1), UUID(int=2), UUID(int=3), TaskSpec("t", "p", max_attempts=max_attempts), T0)
    return task, task.start(1, UUID(int=500), "w1", at(2))


def test_a_claimed_execution_starts_with_a_heartbeat() -> None:
    _, execution = running()
    assert execution.heartbeat_at == at(2)


def test_a_lost_execution_fails_and_its_task_waits_again_with_the_attempt_spent() -> None:
    task, execution = running(max_attempts=2)
    task.recover_lost(execution, LOST, at(20))
    assert (execution.status, execution.error, execution.finished_at) == (ExecutionStatus.FAILED, LOST, at(20))
    assert (task.status, task.attempts, task.error_code, task.queued_at) == (
        TaskStatus.QUEUED,
        1,
        "worker_lost",
        at(20),
    )
    second = task.start(2, UUID(int=501), "w2", at(21))
    task.recover_lost(second, LOST, at(40))
    assert (task.status, task.error, task.finished_at) == (TaskStatus.FAILED, LOST, at(40)), "no attempts left"


def test_a_lost_execution_of_a_task_being_cancelled_ends_cancelled() -> None:
    task, execution = running()
    task.cancel(at(3))
    task.recover_lost(execution, LOST, at(20))
    assert (task.status, execution.status) == (TaskStatus.CANCELLED, ExecutionStatus.CANCELLED)


def test_an_execution_that_ended_or_was_superseded_is_not_recovered_again() -> None:
    task, execution = running()
    task.recover_lost(execution, LOST, at(20))
    with pytest.raises(IllegalTransition):
        task.recover_lost(execution, LOST, at(21))
    task.start(2, UUID(int=501), "w2", at(22))
    with pytest.raises(StaleExecution):
        task.recover_lost(execution, LOST, at(23))
    assert (task.status, task.execution_count) == (TaskStatus.RUNNING, 2)


def test_an_undeliverable_order_fails_the_waiting_task_through_an_execution_of_its_own() -> None:
    task = AgentTask.submit(UUID(int=1), UUID(int=2), UUID(int=3), TaskSpec("t", "p"), T0)
    execution = task.fail_undelivered(1, UUID(int=500), "broker", DEAD, at(300))
    assert (execution.number, execution.status, execution.error, execution.duration_s) == (
        1,
        ExecutionStatus.FAILED,
        DEAD,
        0.0,
    )
    assert (task.status, task.execution_count, task.error, task.finished_at) == (TaskStatus.FAILED, 1, DEAD, at(300))
    task.retry(at(400))
    assert task.start(2, UUID(int=501), "w1", at(401)).number == 2, "a retry takes the next order"


@pytest.mark.parametrize("number", [0, 2])
def test_an_undeliverable_order_that_is_not_the_next_one_changes_nothing(number: int) -> None:
    task = AgentTask.submit(UUID(int=1), UUID(int=2), UUID(int=3), TaskSpec("t", "p"), T0)
    with pytest.raises(StaleExecution):
        task.fail_undelivered(number, UUID(int=500), "broker", DEAD, at(300))
    assert (task.status, task.execution_count, task.attempts) == (TaskStatus.QUEUED, 0, 0)


def test_an_undeliverable_order_of_a_running_task_changes_nothing() -> None:
    task, execution = running()
    with pytest.raises(StaleExecution):
        task.fail_undelivered(1, UUID(int=501), "broker", DEAD, at(300))
    assert (task.status, execution.status) == (TaskStatus.RUNNING, ExecutionStatus.RUNNING)
