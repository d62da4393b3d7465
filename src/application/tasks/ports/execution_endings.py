from __future__ import annotations

from typing import Protocol

from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.task import AgentTask


class ExecutionEndings(Protocol):
    async def write(self, task: AgentTask, execution: TaskExecution, result: TaskResult | None) -> None:
        """Stage the ending `task` and its `execution` just went through (ended, requeued or interrupted),
        with the result of a run that succeeded, in the unit of work's transaction: the task's row only if
        no one changed it since it was read (else ConcurrentUpdate, now or at the commit), the execution's
        row, its usage added to the roll-ups, and the events the task recorded, stored at the commit.
        Call it right after the transition, before anything else is read or written."""
        ...
