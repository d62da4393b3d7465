from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require_project_reader
from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project


async def visible_project(
    projects: ProjectRepository, policy: AccessPolicy, actor: Principal, project_id: UUID, *, for_update: bool = False
) -> Project:
    """The project, if the actor may read it; otherwise it does not exist for them (404, not 403)."""
    require_project_reader(policy, actor, project_id)
    project = await projects.get(project_id, for_update=for_update)
    if project is None:
        raise NotFound("project", project_id)
    return project


@dataclass(frozen=True, slots=True)
class GetProject:
    projects: ProjectRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID) -> Project:
        return await visible_project(self.projects, self.policy, actor, project_id)
