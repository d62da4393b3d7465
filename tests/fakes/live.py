"""A live-events publisher that keeps what it was told, and whether it was already committed then
(for status changes and run outcomes: whether the outbox held the task's event saying so)."""

from __future__ import annotations

from agentry.application.ports.live_events import LiveEvent, LogAppended, RunEnded, TaskStatusChanged
from tests.fakes.memory import MemoryDatabase


class RecordingLiveEvents:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self.events: list[LiveEvent] = []
        self.uncommitted: list[LiveEvent] = []  # announced before the database held what they say

    async def publish(self, *events: LiveEvent) -> None:
        for event in events:
            self.events.append(event)
            if not self._committed(event):
                self.uncommitted.append(event)

    def of_type(self, kind: type[LiveEvent]) -> list[LiveEvent]:
        return [event for event in self.events if isinstance(event, kind)]

    def _committed(self, event: LiveEvent) -> bool:
        match event:
            case TaskStatusChanged(task_id=task_id, status=status):
                return any(
                    row.event.aggregate_id == task_id and row.event.data.get("status") == status
                    for row in self._db.events
                )
            case LogAppended(task_id=task_id, execution_number=number, lines=lines):
                return all((task_id, number, line.sequence) in self._db.logs for line in lines)
            case RunEnded(task_id=task_id, execution_number=number, status=status):
                return any(
                    e.task_id == task_id and e.number == number and e.status is status
                    for e in self._db.executions.values()
                )
            case _:  # a document's outcome: announced by the relay, after the commit by construction
                return True
