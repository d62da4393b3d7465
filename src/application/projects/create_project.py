from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require
from agentry.application.errors import DuplicateSlug, PublicSlugTaken
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import MembershipRepository, ProjectRepository
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, Project, ProjectSettings
from agentry.domain.roles import ProjectRole


@dataclass(frozen=True, slots=True)
class NewProject:
    name: str
    slug: str
    settings: ProjectSettings | None = None


@dataclass(frozen=True, slots=True)
class CreateProject:
    """A project, with its creator as owner: its slug must be new among the creator's projects."""

    projects: ProjectRepository
    memberships: MembershipRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, actor: Principal, new: NewProject) -> Project:
        require(self.policy, actor, Action.CREATE_PROJECT)
        now = self.clock.now()
        project = Project.create(self.ids.new_id(), new.name, new.slug, now, settings=new.settings, owner_id=actor.id)
        await self.projects.add(project)
        await self.memberships.add(Membership.grant(project.id, actor.id, ProjectRole.OWNER, now))
        try:
            await self.uow.commit()
        except DuplicateSlug:
            raise DuplicateSlug(project.slug) from None
        except PublicSlugTaken:
            raise PublicSlugTaken(project.slug) from None
        return project
