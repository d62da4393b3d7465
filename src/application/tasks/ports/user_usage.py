"""What one user's tasks use now, across all projects: the per-user quotas are decided from these counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class OwnerLoad:
    """Whose a task is, and how many executions of that user's tasks run now."""

    owner_id: UUID
    running: int


class UserUsage(Protocol):
    async def take_turn(self, owner_id: UUID) -> None:
        """Wait until no other unit of work holds this user's turn, then hold it until commit or rollback:
        the units of work that count a user's work before adding to it go one at a time."""
        ...

    async def running_executions(self, owner_id: UUID) -> int:
        """Executions of the user's tasks that run now (their tasks are running or being cancelled), read
        fresh: what other units of work committed counts."""
        ...

    async def waiting_tasks(self, owner_id: UUID) -> int:
        """The user's tasks that wait: pending (scheduled for later) or queued, read fresh."""
        ...

    async def running_executions_in_turn(self, owner_id: UUID) -> int:
        """`take_turn`, then `running_executions`: the count read once the turn is held (on PostgreSQL the
        lock and the count go out together, one round trip)."""
        ...

    async def waiting_tasks_in_turn(self, owner_id: UUID) -> int:
        """`take_turn`, then `waiting_tasks`, as `running_executions_in_turn`."""
        ...

    async def loads(self, task_ids: Sequence[UUID]) -> dict[UUID, OwnerLoad]:
        """For each of these tasks that exists: its owner, and how many executions of the owner's tasks
        run now (read fresh)."""
        ...
