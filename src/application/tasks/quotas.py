"""Per-user quotas, the same for every user and across all projects (server settings), and the server's
default monthly budget for personal projects."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.errors import TooManyWaitingTasks
from agentry.application.tasks.ports.user_usage import UserUsage


@dataclass(frozen=True, slots=True)
class Quotas:
    """None: no limit. `user_max_running`: executions of one user's tasks that may run at once (more wait,
    queued, and the freed slots go to other users' work first); `user_max_waiting`: tasks of one user that
    may wait at once (pending or queued; more are refused); `personal_monthly_budget_usd`: the monthly
    budget of a personal project that does not set one of its own."""

    user_max_running: int | None = None
    user_max_waiting: int | None = None
    personal_monthly_budget_usd: float | None = None


async def require_waiting_room(users: UserUsage, quotas: Quotas, owner_id: UUID) -> None:
    """Raises TooManyWaitingTasks when the user already has `user_max_waiting` tasks waiting. The user's
    submissions take turns until their commit, so two at once cannot both take the last place."""
    limit = quotas.user_max_waiting
    if limit is None:
        return
    waiting = await users.waiting_tasks_in_turn(owner_id)
    if waiting >= limit:
        raise TooManyWaitingTasks(limit, waiting)
