"""Who belongs to a project, with which role (one joins by accepting an invitation: invitations.py).
Changes to a project's members are serialized by locking the project, so two owners cannot both
step down at once."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import NotFound
from agentry.application.identity.ports.users import UserRepository
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.get_project import visible_project
from agentry.application.projects.ports import MembershipRepository, ProjectRepository
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, ensure_an_owner_remains
from agentry.domain.roles import ProjectRole


@dataclass(frozen=True, slots=True)
class Member:
    membership: Membership
    user: User


@dataclass(frozen=True, slots=True)
class MemberPorts:
    projects: ProjectRepository
    memberships: MembershipRepository
    users: UserRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock


def _highest(*roles: ProjectRole) -> ProjectRole:
    return max(roles, key=lambda role: role.rank)


async def _member(ports: MemberPorts, project_id: UUID, user_id: UUID) -> Member:
    membership = await ports.memberships.get(project_id, user_id)
    user = await ports.users.get(user_id) if membership is not None else None
    if membership is None or user is None:
        raise NotFound("member", user_id)
    return Member(membership, user)


@dataclass(frozen=True, slots=True)
class ListMembers:
    ports: MemberPorts

    async def __call__(self, actor: Principal, project_id: UUID) -> list[Member]:
        await visible_project(self.ports.projects, self.ports.policy, actor, project_id)
        memberships = await self.ports.memberships.of_project(project_id)
        users = {user.id: user for user in await self.ports.users.get_many([m.user_id for m in memberships])}
        members = [Member(m, users[m.user_id]) for m in memberships if m.user_id in users]
        return sorted(members, key=lambda member: (-member.membership.role.rank, member.user.email))


@dataclass(frozen=True, slots=True)
class ChangeMemberRole:
    ports: MemberPorts

    async def __call__(self, actor: Principal, project_id: UUID, user_id: UUID, role: ProjectRole) -> Member:
        ports = self.ports
        await visible_project(ports.projects, ports.policy, actor, project_id, for_update=True)
        member = await _member(ports, project_id, user_id)
        current = member.membership.role
        involved = Resource(project_id, owner_id=user_id, role=_highest(current, role))
        require(ports.policy, actor, Action.MANAGE_MEMBERS, involved)
        if role is not ProjectRole.OWNER:
            ensure_an_owner_remains(project_id, await ports.memberships.count_owners(project_id), member.membership)
        member.membership.change_role(role, ports.clock.now())
        await ports.uow.commit()
        return member


@dataclass(frozen=True, slots=True)
class RemoveMember:
    """A maintainer or owner removes someone; anyone may leave (except the last owner)."""

    ports: MemberPorts

    async def __call__(self, actor: Principal, project_id: UUID, user_id: UUID) -> None:
        ports = self.ports
        await visible_project(ports.projects, ports.policy, actor, project_id, for_update=True)
        member = await _member(ports, project_id, user_id)
        role = member.membership.role
        action = Action.LEAVE_PROJECT if user_id == actor.id else Action.MANAGE_MEMBERS
        require(ports.policy, actor, action, Resource(project_id, owner_id=user_id, role=role))
        ensure_an_owner_remains(project_id, await ports.memberships.count_owners(project_id), member.membership)
        member.membership.end(ports.clock.now())
        await ports.memberships.remove(member.membership)
        await ports.uow.commit()
