"""Subscriber: the task counters, from the tasks' events.

The outbox hands each event to this subscriber once (the relay marks it as had by `metrics.tasks` in
the transaction that delivers it), whichever process recorded it, so a task counted here is counted
once across the API and all the workers; only a relay that dies between handing out and committing
can hand an event out again (then a count is one too high, never lost). Events tell:

- `cause=submitted|follow_up` with no previous status: a task submitted;
- a `run` whose status is terminal: an execution's usage, by project and model;
- a terminal task status: a task ended, by status and runner;
- `task.started`: an execution started; `cause=worker_lost`: recovered; `undelivered`: dead-lettered;
  `retrying`: retried automatically; `retried`: a user's retry; `interrupted`: given back at shutdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from agentry.application.metrics.ports import ProjectNames, TaskMetrics
from agentry.application.outbox.ports import StoredEvent

ENDED = frozenset({"succeeded", "failed", "timed_out", "cancelled"})
SUBMITTED = frozenset({"submitted", "follow_up"})
UNKNOWN_PROJECT = "unknown"


@dataclass(frozen=True, slots=True)
class CountTaskEvents:
    metrics: TaskMetrics
    projects: ProjectNames
    default_runner: str

    @property
    def name(self) -> str:
        return "metrics.tasks"

    def wants(self, event_type: str) -> bool:
        return event_type.startswith("task.") and event_type not in ("task.updated", "task.deleted")

    async def handle(self, stored: StoredEvent) -> None:
        data = stored.event.data
        cause, status = str(data.get("cause")), str(data.get("status"))
        runner = str(data.get("runner") or self.default_runner)
        if cause in SUBMITTED and data.get("previous_status") is None:
            self.metrics.task_submitted(str(data.get("priority")), cause)
        elif stored.event.type == "task.started":
            self.metrics.execution_started(runner)
        if cause == "worker_lost":
            self.metrics.execution_recovered()
        elif cause == "undelivered":
            self.metrics.execution_dead_lettered()
        elif cause == "retrying":
            self.metrics.execution_retried("automatic")
        elif cause == "retried":
            self.metrics.execution_retried("manual")
        elif cause == "interrupted":
            self.metrics.execution_interrupted()
        run = data.get("run")
        if isinstance(run, Mapping):
            await self._usage(data, run)
        if status in ENDED and stored.event.type == f"task.{status}":
            self.metrics.task_ended(status, runner)

    async def _usage(self, data: Mapping[str, Any], run: Mapping[str, Any]) -> None:
        usage = run.get("usage")
        if not isinstance(usage, Mapping):
            return
        slug = await self.projects.slug_of(UUID(str(data["project_id"])))
        self.metrics.usage(
            slug or UNKNOWN_PROJECT,
            str(data.get("model") or "default"),
            int(usage.get("input_tokens") or 0),
            int(usage.get("output_tokens") or 0),
            float(usage.get("cost_usd") or 0.0),
        )
