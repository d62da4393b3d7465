from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.projects.ports import ProjectPosition, ProjectRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project

PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class ProjectPage:
    items: list[Project]
    next_after: str | None  # where to continue: "<slug>.<id>" of the page's last project


@dataclass(frozen=True, slots=True)
class ListProjects:
    """The projects the actor may read, in slug order; filtered in the query."""

    projects: ProjectRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, *, after: str | None = None, limit: int = 50) -> ProjectPage:
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be from 1 to {PAGE_MAX}")
        position = _position(after) if after is not None else None
        scope = self.policy.readable_projects(actor)
        items, next_after = await fetch_page(
            lambda n: self.projects.page(scope, after=position, limit=n), limit, lambda last: f"{last.slug}.{last.id}"
        )
        return ProjectPage(items, next_after)


def _position(after: str) -> ProjectPosition:
    slug, _, project_id = after.partition(".")
    try:
        return ProjectPosition(slug, UUID(project_id))
    except ValueError:
        raise InvalidValue("after", "must be the next_after of a previous page") from None
