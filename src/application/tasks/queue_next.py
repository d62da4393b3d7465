"""Recording, in the outbox, that a task is to run again: its next order, due at a given time."""

from __future__ import annotations

from datetime import datetime

from agentry.application.ports.ids import IdGenerator
from agentry.application.tasks.ports.outbox import Outbox
from agentry.domain.tasks.orders import ExecutionOrder, QueueJob
from agentry.domain.tasks.task import AgentTask


async def queue_next(
    outbox: Outbox, ids: IdGenerator, task: AgentTask, due: datetime, now: datetime, *, at_once: bool = False
) -> None:
    """Put the task's next order (the only one it will start) in the outbox, with its priority; `at_once`:
    someone waits for it (Outbox.enqueue)."""
    order = ExecutionOrder(task.id, task.execution_count + 1)
    await outbox.enqueue(QueueJob(ids.new_id(), order, due, now, task.priority.rank), at_once=at_once)
