"""A webhook delivery carries the task as it was at its event, not as it is when the delivery is recorded:
a task that starts and ends before the relay hears of it still yields a `task.started` delivery whose
task is running and a `task.succeeded` one whose task has succeeded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from agentry.application.outbox.ports import StoredEvent
from agentry.application.webhooks.record_deliveries import RecordWebhookDeliveries
from agentry.domain.events import DomainEvent
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.spec import TaskSpec
from agentry.domain.tasks.task import AgentTask
from agentry.entrypoints.http.tasks.webhook_payloads import TaskPayloads
from tests.fakes.system import FakeClock, SequentialIds
from tests.unit.application.test_webhooks import PROJECT, Deliveries, Endpoints, hook

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Tasks:
    def __init__(self, task: AgentTask) -> None:
        self.task = task

    async def get(self, task_id: UUID) -> AgentTask | None:
        return self.task if task_id == self.task.id else None


def quick_task() -> tuple[AgentTask, list[DomainEvent]]:
    task = AgentTask.submit(uuid4(), UUID(int=3), PROJECT, TaskSpec("t", "p"), T0)
    execution = task.start(1, uuid4(), "w", T0 + timedelta(seconds=1))
    task.end_execution(execution, ExecutionStatus.SUCCEEDED, T0 + timedelta(seconds=2))
    return task, task.pull_events()


async def test_each_delivery_carries_the_task_as_it_was_at_its_event() -> None:
    task, events = quick_task()  # ended before any delivery is recorded
    endpoints, deliveries = Endpoints(), Deliveries()
    await endpoints.add(hook("task.queued", "task.started", "task.succeeded"))
    record = RecordWebhookDeliveries(endpoints, deliveries, TaskPayloads(Tasks(task)), FakeClock(), SequentialIds())  # type: ignore[arg-type]
    for position, event in enumerate(events, 1):
        await record.handle(StoredEvent(uuid4(), position, event))

    data = {body["type"]: body["data"] for body in (json.loads(d.body) for d in deliveries.rows.values())}
    assert [data[t]["status"] for t in ("task.queued", "task.started", "task.succeeded")] == [
        "queued",
        "running",
        "succeeded",
    ]
    started, succeeded = data["task.started"], data["task.succeeded"]
    assert started["attempts"] == 1 and started["execution_count"] == 1
    assert started["started_at"] is not None and started["finished_at"] is None
    assert started["updated_at"] < succeeded["updated_at"] and succeeded["finished_at"] is not None
    assert data["task.queued"]["started_at"] is None and data["task.queued"]["attempts"] == 0
    assert succeeded["title"] == "t" and succeeded["id"] == str(task.id)  # the rest as the API shows it


async def test_an_event_of_a_task_deleted_meanwhile_carries_its_own_data() -> None:
    _, events = quick_task()
    other, _ = quick_task()
    assert await TaskPayloads(Tasks(other)).data_of(events[-1]) == dict(events[-1].data)  # type: ignore[arg-type]
