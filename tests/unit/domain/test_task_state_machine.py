"""Random command sequences against the task state machine; the invariants hold after every step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from agentry.domain.errors import DomainError
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus, TaskExecution
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.status import TERMINAL, TaskStatus
from agentry.domain.tasks.task import AgentTask

ENDINGS = [ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.CANCELLED]


class TaskLifecycle(RuleBasedStateMachine):
    @initialize(max_attempts=st.integers(1, 4), scheduled=st.booleans())
    def submit(self, max_attempts: int, scheduled: bool) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        spec = TaskSpec("t", "p", max_attempts=max_attempts, scheduled_at=self.now if scheduled else None)
        self.task = AgentTask.submit(UUID(int=1), UUID(int=2), UUID(int=3), spec, self.now)
        self.executions: list[TaskExecution] = []
        self.outcomes: dict[int, ExecutionStatus] = {}
        self.rejected = 0
        [submitted] = self.task.pull_events()
        self.told = TaskStatus(submitted.data["status"])  # the status the events have told of so far

    def _tick(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def _attempt(self, action: object) -> None:
        before = (self.task.status, self.task.attempts, self.task.execution_count)
        try:
            action()  # type: ignore[operator]
        except DomainError:
            self.rejected += 1
            assert (self.task.status, self.task.attempts, self.task.execution_count) == before, "refusal changed state"
            assert self.task.pull_events() == [], "a refused transition recorded an event"
            return
        for event in self.task.pull_events():
            assert event.aggregate_id == self.task.id and event.occurred_at <= self.task.updated_at
            assert event.data["previous_status"] == self.told, "an event skipped a status"
            self.told = TaskStatus(event.data["status"])
            assert event.type == ("task.started" if self.told is TaskStatus.RUNNING else f"task.{self.told}")

    @rule(dt=st.floats(0, 10))
    def release(self, dt: float) -> None:
        self._attempt(lambda: self.task.release(self._tick(dt)))

    @rule(dt=st.floats(0, 10), offset=st.integers(-1, 2))
    def start(self, dt: float, offset: int) -> None:
        """A worker receives an order, sometimes a duplicate or an outdated one."""
        number = self.task.execution_count + 1 + offset

        def go() -> None:
            execution = self.task.start(number, UUID(int=1000 + number), "w", self._tick(dt))
            self.executions.append(execution)

        self._attempt(go)

    @rule(dt=st.floats(0, 10), ending=st.sampled_from(ENDINGS), which=st.integers(0, 3))
    def end(self, dt: float, ending: ExecutionStatus, which: int) -> None:
        if not self.executions:
            return
        execution = self.executions[-1 - min(which, len(self.executions) - 1)]
        self._attempt(lambda: self.task.end_execution(execution, ending, self._tick(dt)))

    @rule(dt=st.floats(0, 10))
    def requeue(self, dt: float) -> None:
        if self.executions:
            execution = self.executions[-1]
            self._attempt(lambda: self.task.requeue(execution, ExecutionError("overloaded", "529"), self._tick(dt)))

    @rule(dt=st.floats(0, 10))
    def interrupt(self, dt: float) -> None:
        """The worker shuts down mid-run."""
        if self.executions:
            execution = self.executions[-1]
            error = ExecutionError("worker_shutdown", "stopped")
            self._attempt(lambda: self.task.interrupt(execution, error, self._tick(dt)))

    @rule(dt=st.floats(0, 10), which=st.integers(0, 2))
    def recover_lost(self, dt: float, which: int) -> None:
        """The recovery ends an execution whose worker went silent, sometimes an old one."""
        if self.executions:
            execution = self.executions[-1 - min(which, len(self.executions) - 1)]
            error = ExecutionError("worker_lost", "silent")
            self._attempt(lambda: self.task.recover_lost(execution, error, self._tick(dt)))

    @rule(dt=st.floats(0, 10), offset=st.integers(-1, 1))
    def fail_undelivered(self, dt: float, offset: int) -> None:
        """The broker dead-letters an order, sometimes a stale one."""
        number = self.task.execution_count + 1 + offset

        def go() -> None:
            error = ExecutionError("dead_lettered", "gave up")
            execution = self.task.fail_undelivered(number, UUID(int=1000 + number), "broker", error, self._tick(dt))
            self.executions.append(execution)

        self._attempt(go)

    @rule(dt=st.floats(0, 10))
    def cancel(self, dt: float) -> None:
        self._attempt(lambda: self.task.cancel(self._tick(dt)))

    @rule(dt=st.floats(0, 10))
    def retry(self, dt: float) -> None:
        self._attempt(lambda: self.task.retry(self._tick(dt)))

    @invariant()
    def each_execution_has_at_most_one_outcome_and_keeps_it(self) -> None:
        for execution in self.executions:
            if execution.status.is_terminal:
                recorded = self.outcomes.setdefault(execution.number, execution.status)
                assert recorded is execution.status, "an execution changed its outcome"
                assert execution.finished_at is not None and execution.started_at <= execution.finished_at

    @invariant()
    def attempts_stay_within_the_allowance(self) -> None:
        assert 0 <= self.task.attempts <= self.task.max_attempts
        assert self.task.execution_count == len(self.executions)
        assert [e.number for e in self.executions] == list(range(1, len(self.executions) + 1))

    @invariant()
    def at_most_the_current_execution_runs(self) -> None:
        running = [e for e in self.executions if not e.status.is_terminal]
        active = self.task.status in (TaskStatus.RUNNING, TaskStatus.CANCELLING)
        assert len(running) == (1 if active else 0)
        if running:
            assert running[0].number == self.task.execution_count

    @invariant()
    def timestamps_are_ordered(self) -> None:
        t = self.task
        assert t.created_at <= t.updated_at
        stamps = [s for s in (t.created_at, t.queued_at, t.started_at, t.finished_at) if s is not None]
        assert stamps == sorted(stamps)

    @invariant()
    def every_status_the_task_reaches_is_told_by_an_event(self) -> None:
        assert self.told is self.task.status

    @invariant()
    def a_terminal_task_has_a_finish_time(self) -> None:
        if self.task.status in TERMINAL:
            assert self.task.finished_at is not None


TaskLifecycle.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
test_task_lifecycle = TaskLifecycle.TestCase
