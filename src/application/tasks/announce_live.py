"""Subscriber: the people watching a task live (WebSocket, SSE) hear of its status changes and of how
each of its runs ended, from the task's events.

Log lines take another way: the worker publishes each batch once it is stored (see run_watchdog),
since they are many and already kept in order in the log itself.

A relay pass announces its whole batch at once, as it starts (`prepare`: one publish call, which the
Redis adapter sends in one round trip), rather than an event at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import LiveEvent, LiveEvents, RunEnded, TaskStatusChanged
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.usage import Usage

SILENT = frozenset({"task.updated", "task.deleted"})  # no status of their own to announce


@dataclass(slots=True)
class AnnounceTaskEvents:
    live: LiveEvents
    _prepared: bool = field(default=False, init=False)  # this pass's batch is announced already

    @property
    def name(self) -> str:
        return "live.tasks"

    def wants(self, event_type: str) -> bool:
        return event_type.startswith("task.") and event_type not in SILENT

    async def prepare(self, batch: Sequence[StoredEvent]) -> None:
        """Never fails, as `handle`: an event the pass leaves for later is announced again then (a
        watcher may hear a status twice, never miss one)."""
        announced = [one for stored in batch if self.wants(stored.event.type) for one in _announced(stored)]
        if announced:
            await self.live.publish(*announced)
        self._prepared = True

    async def handle(self, stored: StoredEvent) -> None:
        """Never fails: live announcements are a courtesy (LiveEvents logs what it cannot send)."""
        if not self._prepared:
            await self.live.publish(*_announced(stored))


def _announced(stored: StoredEvent) -> list[LiveEvent]:
    event = stored.event
    data = event.data
    task_id, project_id = event.aggregate_id, UUID(str(data["project_id"]))
    announced: list[LiveEvent] = []
    run = data.get("run")
    if isinstance(run, Mapping):
        announced.append(_run_ended(task_id, project_id, run))
    announced.append(TaskStatusChanged(task_id, project_id, TaskStatus(str(data["status"])), event.occurred_at))
    return announced


def _run_ended(task_id: UUID, project_id: UUID, run: Mapping[str, Any]) -> RunEnded:
    error = run.get("error")
    usage = run["usage"]
    return RunEnded(
        task_id,
        project_id,
        int(run["execution"]),
        ExecutionStatus(run["status"]),
        run.get("summary"),
        ExecutionError(error["code"], error["message"]) if error else None,
        Usage(int(usage["input_tokens"]), int(usage["output_tokens"]), float(usage["cost_usd"])),
    )
