from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require_project_reader
from agentry.application.ports.access_policy import AccessPolicy
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class WatchProject:
    """May the actor follow a project's tasks live? Only a reader may (for anyone else it does not exist)."""

    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID) -> None:
        require_project_reader(self.policy, actor, project_id)
