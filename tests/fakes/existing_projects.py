"""The one question some use cases ask of the projects (does this one exist?), for their unit tests."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from agentry.domain.projects.project import Project

_CREATED = datetime(2026, 1, 1, tzinfo=UTC)


class ExistingProjects:
    """Answers `get` for the project ids it holds (more may be added to `ids`), None for any other."""

    def __init__(self, *ids: UUID) -> None:
        self.ids = set(ids)

    async def get(self, project_id: UUID, *, for_update: bool = False) -> Project | None:
        if project_id not in self.ids:
            return None
        return Project.create(project_id, "Project", f"p-{project_id.hex[:8]}", _CREATED)
