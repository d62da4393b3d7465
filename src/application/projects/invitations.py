"""Project managers invite people by email address, list the pending invitations and revoke them.
Inviting answers the same whether or not the address has an account: nobody learns from it who
has one. The invitee's side is answer_invitation.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from agentry.application.access import require
from agentry.application.errors import DuplicateMember, NotFound
from agentry.application.identity.ports.users import UserRepository
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.get_project import visible_project
from agentry.application.projects.ports import InvitationRepository, MembershipRepository, ProjectRepository
from agentry.domain.emails import normalize_email
from agentry.domain.principal import Principal
from agentry.domain.projects.invitation import Invitation
from agentry.domain.roles import ProjectRole

WEEK_S = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class InvitationSettings:
    lasts_s: int = WEEK_S  # how long an invitation may be accepted

    @property
    def lasts(self) -> timedelta:
        return timedelta(seconds=self.lasts_s)


@dataclass(frozen=True, slots=True)
class InvitationPorts:
    projects: ProjectRepository
    memberships: MembershipRepository
    invitations: InvitationRepository
    users: UserRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: InvitationSettings


@dataclass(frozen=True, slots=True)
class Invite:
    """Invite an address at a role (maintainers: below owner). Inviting the same address again renews
    the pending invitation at the new role. Refused only for someone already a member, whom the
    inviter can see in the member list anyway."""

    ports: InvitationPorts

    async def __call__(self, actor: Principal, project_id: UUID, email: str, role: ProjectRole) -> Invitation:
        ports = self.ports
        await visible_project(ports.projects, ports.policy, actor, project_id, for_update=True)
        require(ports.policy, actor, Action.MANAGE_MEMBERS, Resource(project_id, role=role))
        address = normalize_email(email)
        account = await ports.users.get_by_email(address)
        if account is not None and await ports.memberships.get(project_id, account.id) is not None:
            raise DuplicateMember()
        now = ports.clock.now()
        invitation = await ports.invitations.of_project_to(project_id, address)
        if invitation is None:
            invitation = Invitation.send(
                ports.ids.new_id(), project_id, address, role, actor.id, now, ports.settings.lasts
            )
            await ports.invitations.add(invitation)
        else:
            invitation.send_again(role, actor.id, now, ports.settings.lasts)
        await ports.uow.commit()
        return invitation


@dataclass(frozen=True, slots=True)
class ListInvitations:
    """A project's pending invitations, newest first: for those who may manage its members."""

    ports: InvitationPorts

    async def __call__(self, actor: Principal, project_id: UUID) -> list[Invitation]:
        ports = self.ports
        await visible_project(ports.projects, ports.policy, actor, project_id)
        require(ports.policy, actor, Action.MANAGE_MEMBERS, Resource.of_project(project_id))
        return await ports.invitations.pending_of_project(project_id, ports.clock.now())


@dataclass(frozen=True, slots=True)
class RevokeInvitation:
    ports: InvitationPorts

    async def __call__(self, actor: Principal, project_id: UUID, invitation_id: UUID) -> None:
        ports = self.ports
        await visible_project(ports.projects, ports.policy, actor, project_id, for_update=True)
        invitation = await ports.invitations.get(invitation_id)
        if invitation is None or invitation.project_id != project_id:
            raise NotFound("invitation", invitation_id)
        require(ports.policy, actor, Action.MANAGE_MEMBERS, Resource(project_id, role=invitation.role))
        invitation.revoke(ports.clock.now())
        await ports.invitations.remove(invitation)
        await ports.uow.commit()
