"""Several projects at once, each only if the actor may read it (the GraphQL API's loader)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project

BATCH_MAX = 1000


@dataclass(frozen=True, slots=True)
class GetProjects:
    projects: ProjectRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_ids: Sequence[UUID]) -> dict[UUID, Project]:
        """By id; a project the actor may not read, or that does not exist, is absent."""
        readable = [
            project_id
            for project_id in dict.fromkeys(project_ids)
            if self.policy.allows(actor, Action.READ_PROJECT, Resource.of_project(project_id))
        ][:BATCH_MAX]
        return {project.id: project for project in await self.projects.get_many(readable)}
