from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import DuplicateSlug, PublicSlugTaken
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.get_project import visible_project
from agentry.application.projects.personal_budget import PersonalBudgetCap
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project, SettingsChanges


@dataclass(frozen=True, slots=True)
class ProjectChanges:
    name: str | None = None
    slug: str | None = None
    settings: SettingsChanges | None = None  # only the settings it names change


@dataclass(frozen=True, slots=True)
class UpdateProject:
    projects: ProjectRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    personal_cap: PersonalBudgetCap

    async def __call__(self, actor: Principal, project_id: UUID, changes: ProjectChanges) -> Project:
        project = await visible_project(self.projects, self.policy, actor, project_id, for_update=True)
        require(self.policy, actor, Action.UPDATE_PROJECT, Resource.of_project(project.id))
        settings = changes.settings.applied_to(project.settings) if changes.settings is not None else None
        if settings is not None and settings.monthly_budget_usd != project.settings.monthly_budget_usd:
            self.personal_cap.check(actor, project, settings)
        project.update(self.clock.now(), name=changes.name, slug=changes.slug, settings=settings)
        slug = project.slug  # a failed commit may leave the project unreadable until reloaded
        try:
            await self.uow.commit()
        except DuplicateSlug:
            raise DuplicateSlug(slug) from None
        except PublicSlugTaken:
            raise PublicSlugTaken(slug) from None
        return project
