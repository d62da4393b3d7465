from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import NotFound
from agentry.application.identity.ports.users import UserRepository
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.projects.ports import MembershipRepository, ProjectRepository
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, Project


@dataclass(frozen=True, slots=True)
class ProjectMembership:
    project: Project
    membership: Membership


@dataclass(frozen=True, slots=True)
class UserDetail:
    user: User
    memberships: list[ProjectMembership]  # in the order the user joined


@dataclass(frozen=True, slots=True)
class GetUser:
    """One account and the projects it belongs to, for admins."""

    users: UserRepository
    projects: ProjectRepository
    memberships: MembershipRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, user_id: UUID) -> UserDetail:
        require(self.policy, actor, Action.MANAGE_USERS)
        user = await self.users.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        memberships = await self.memberships.of_user(user_id)
        projects = {p.id: p for p in await self.projects.get_many([m.project_id for m in memberships])}
        joined = [ProjectMembership(projects[m.project_id], m) for m in memberships if m.project_id in projects]
        return UserDetail(user, joined)
