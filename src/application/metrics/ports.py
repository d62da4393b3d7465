"""The ports of the metrics slice: where counts go, and the names a count is labelled with."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class TaskMetrics(Protocol):
    """Counters of what tasks and their executions did. Label values are bounded: runner and model
    names, statuses, project slugs (capped); never an id."""

    def task_submitted(self, priority: str, cause: str) -> None: ...

    def task_ended(self, status: str, runner: str) -> None: ...

    def execution_started(self, runner: str) -> None: ...

    def execution_recovered(self) -> None:
        """An execution whose worker went silent was taken back (`worker_lost`)."""
        ...

    def execution_dead_lettered(self) -> None: ...

    def execution_retried(self, how: str) -> None:
        """`automatic` (a retryable failure requeued) or `manual` (a user's retry)."""
        ...

    def execution_interrupted(self) -> None: ...

    def usage(self, project: str, model: str, input_tokens: int, output_tokens: int, cost_usd: float) -> None: ...


class ProjectNames(Protocol):
    async def slug_of(self, project_id: UUID) -> str | None:
        """The project's slug; None when it is gone."""
        ...
