"""The execution's ending on the in-memory database: the task and its execution are working copies this
unit of work read, so the commit writes them (the task's version checked) with their events, as any change."""

from __future__ import annotations

from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.task import AgentTask
from tests.fakes.memory import MemorySession


class MemoryExecutionEndings:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def write(self, task: AgentTask, execution: TaskExecution, result: TaskResult | None) -> None:
        # as the SQL adapter, which writes the task at the version it was read at
        assert self._s.tasks.get(task.id) is task, "the task is written as this unit of work read it"
        if result is not None:
            self._s.new_results.append(result)
