"""What a project is using now: running executions, the work waiting ahead, the money spent.

The concurrency limit and the monthly budget (a project's settings) are decided from these counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from agentry.domain.tasks.orders import ExecutionOrder


class ProjectUsage(Protocol):
    async def running_executions(self, project_id: UUID) -> int:
        """Executions of the project's tasks that run now (their tasks are running or being cancelled),
        read fresh: what other units of work committed counts."""
        ...

    async def queued_ahead(
        self, project_id: UUID, order: ExecutionOrder, priority_rank: int, now: datetime, *, busy_at: int | None = None
    ) -> int:
        """Queued tasks of the project whose next order is due by `now` and comes before `order` in the
        queue: more urgent, or as urgent and due earlier (the task id breaks a tie). Work waiting for a
        retry back-off or a scheduled time does not count, nor (with `busy_at`) the work of users who run
        `busy_at` executions or more now, in any project."""
        ...

    async def spent_in_month(self, project_id: UUID, month: date) -> float:
        """US dollars the project's executions that started in the calendar month (UTC) whose first day is
        `month` cost, as they ended (a running one has cost nothing yet), read fresh from the monthly roll-up."""
        ...
