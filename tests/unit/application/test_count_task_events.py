"""The task counters are fed by the tasks' own events: each transition counted once, by what it was."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from agentry.application.metrics.count_task_events import CountTaskEvents
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import PROJECT, make_task, start


@dataclass
class RecordedMetrics:
    counts: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    spent: list[tuple[str, str, int, int, float]] = field(default_factory=list)

    def task_submitted(self, priority: str, cause: str) -> None:
        self.counts["submitted", priority, cause] += 1

    def task_ended(self, status: str, runner: str) -> None:
        self.counts["ended", status, runner] += 1

    def execution_started(self, runner: str) -> None:
        self.counts["started", runner] += 1

    def execution_recovered(self) -> None:
        self.counts["recovered",] += 1

    def execution_dead_lettered(self) -> None:
        self.counts["dead_lettered",] += 1

    def execution_retried(self, how: str) -> None:
        self.counts["retried", how] += 1

    def execution_interrupted(self) -> None:
        self.counts["interrupted",] += 1

    def usage(self, project: str, model: str, input_tokens: int, output_tokens: int, cost_usd: float) -> None:
        self.spent.append((project, model, input_tokens, output_tokens, cost_usd))


class Slugs:
    async def slug_of(self, project_id: UUID) -> str | None:
        return "web" if project_id == PROJECT else None


async def count(task: AgentTask, metrics: RecordedMetrics) -> None:
    subscriber = CountTaskEvents(metrics, Slugs(), default_runner="claude-code")
    for position, event in enumerate(task.pull_events()):
        if subscriber.wants(event.type):
            await subscriber.handle(StoredEvent(uuid4(), position, event))


async def test_a_task_run_twice_after_a_retryable_failure_is_counted_once_per_transition() -> None:
    metrics = RecordedMetrics()
    task = make_task(options=TaskOptions(runner="scripted", model="opus"), max_attempts=3)
    first = start(task)
    task.requeue(first, ExecutionError("flaky", "try again"), first.started_at + timedelta(seconds=1))
    second = start(task, at=first.started_at + timedelta(seconds=2))
    usage = Usage(10, 20, 0.5)
    task.end_execution(second, ExecutionStatus.SUCCEEDED, second.started_at + timedelta(seconds=3), usage=usage)
    await count(task, metrics)

    assert metrics.counts == Counter(
        {
            ("submitted", "normal", "submitted"): 1,
            ("started", "scripted"): 2,
            ("retried", "automatic"): 1,
            ("ended", "succeeded", "scripted"): 1,
        }
    )
    assert metrics.spent == [("web", "opus", 0, 0, 0.0), ("web", "opus", 10, 20, 0.5)]


async def test_a_lost_worker_a_dead_letter_and_the_default_runner_are_told_apart() -> None:
    metrics = RecordedMetrics()
    lost = make_task(max_attempts=1, project_id=uuid4())
    execution = start(lost)
    lost.recover_lost(execution, ExecutionError("worker_lost", "silent"), execution.started_at + timedelta(seconds=9))
    undelivered = make_task()
    undelivered.fail_undelivered(1, uuid4(), "relay", ExecutionError("undelivered", "dead"), undelivered.created_at)
    await count(lost, metrics)
    await count(undelivered, metrics)

    assert metrics.counts["recovered",] == 1
    assert metrics.counts["dead_lettered",] == 1
    assert metrics.counts["ended", "failed", "claude-code"] == 2  # no runner asked for: the default one
    assert metrics.counts["submitted", "normal", "submitted"] == 2
    assert [spent[:2] for spent in metrics.spent] == [("unknown", "default"), ("web", "default")]


async def test_a_cancel_before_any_run_ends_the_task_without_an_execution() -> None:
    metrics = RecordedMetrics()
    task = make_task()
    task.cancel(task.created_at + timedelta(seconds=1))
    await count(task, metrics)
    assert metrics.counts == Counter(
        {("submitted", "normal", "submitted"): 1, ("ended", "cancelled", "claude-code"): 1}
    )
    assert metrics.spent == []
