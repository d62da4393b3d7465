"""The invitee's side: the invitations to one's own address, accepted (only then a membership) or
declined. An invitation to someone else, or expired, does not exist for the caller."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import DuplicateMember, NotFound
from agentry.application.identity.ports.users import UserRepository
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import InvitationRepository, MembershipRepository, ProjectRepository
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Membership, Project


@dataclass(frozen=True, slots=True)
class ReceivedInvitation:
    invitation: Invitation
    project: Project


@dataclass(frozen=True, slots=True)
class InviteePorts:
    projects: ProjectRepository
    memberships: MembershipRepository
    invitations: InvitationRepository
    users: UserRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock


async def _me(ports: InviteePorts, actor: Principal) -> User:
    require(ports.policy, actor, Action.ANSWER_INVITATION, Resource.of_account(actor.id))
    user = await ports.users.get(actor.id)
    if user is None:
        raise NotFound("user", actor.id)
    return user


async def _mine(ports: InviteePorts, actor: Principal, invitation_id: UUID) -> Invitation:
    """The invitation, if it is addressed to the actor's account and still open."""
    user = await _me(ports, actor)
    invitation = await ports.invitations.get(invitation_id)
    if invitation is None or invitation.expired(ports.clock.now()):
        raise NotFound("invitation", invitation_id)
    addressee = user.id if invitation.email == user.email else None
    if not ports.policy.allows(actor, Action.ANSWER_INVITATION, Resource(invitation.project_id, owner_id=addressee)):
        raise NotFound("invitation", invitation_id)
    return invitation


@dataclass(frozen=True, slots=True)
class ListMyInvitations:
    ports: InviteePorts

    async def __call__(self, actor: Principal) -> list[ReceivedInvitation]:
        ports = self.ports
        user = await _me(ports, actor)
        invitations = await ports.invitations.pending_to(user.email, ports.clock.now())
        projects = {p.id: p for p in await ports.projects.get_many([i.project_id for i in invitations])}
        return [ReceivedInvitation(i, projects[i.project_id]) for i in invitations if i.project_id in projects]


@dataclass(frozen=True, slots=True)
class AcceptInvitation:
    ports: InviteePorts

    async def __call__(self, actor: Principal, invitation_id: UUID) -> tuple[Membership, Project]:
        ports = self.ports
        invitation = await _mine(ports, actor, invitation_id)
        project = await ports.projects.get(invitation.project_id, for_update=True)
        if project is None:
            raise NotFound("invitation", invitation_id)
        if await ports.memberships.get(project.id, actor.id) is not None:
            raise DuplicateMember()
        membership = invitation.accept(actor.id, ports.clock.now())
        await ports.memberships.add(membership)
        await ports.invitations.remove(invitation)
        await ports.uow.commit()
        return membership, project


@dataclass(frozen=True, slots=True)
class DeclineInvitation:
    ports: InviteePorts

    async def __call__(self, actor: Principal, invitation_id: UUID) -> None:
        ports = self.ports
        invitation = await _mine(ports, actor, invitation_id)
        invitation.decline(ports.clock.now())
        await ports.invitations.remove(invitation)
        await ports.uow.commit()
