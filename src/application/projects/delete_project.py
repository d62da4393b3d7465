from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import ProjectBusy
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.get_project import visible_project
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class DeleteProject:
    """Remove a project with all its tasks; refused while any of them runs, and for a personal project."""

    projects: ProjectRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, project_id: UUID) -> None:
        project = await visible_project(self.projects, self.policy, actor, project_id, for_update=True)
        require(self.policy, actor, Action.DELETE_PROJECT, Resource.of_project(project.id))
        project.delete(self.clock.now())
        if await self.projects.has_unfinished_tasks(project.id):
            raise ProjectBusy(project.id)
        await self.projects.delete(project)
        await self.uow.commit()
