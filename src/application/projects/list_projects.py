from __future__ import annotations

from dataclasses import dataclass

from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project

PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class ProjectPage:
    items: list[Project]
    next_after: str | None  # the slug to continue after


@dataclass(frozen=True, slots=True)
class ListProjects:
    """The projects the actor may read, in slug order; filtered in the query."""

    projects: ProjectRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, *, after: str | None = None, limit: int = 50) -> ProjectPage:
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be from 1 to {PAGE_MAX}")
        rows = await self.projects.page(self.policy.readable_projects(actor), after_slug=after, limit=limit + 1)
        items = rows[:limit]
        return ProjectPage(items, items[-1].slug if len(rows) > limit else None)
