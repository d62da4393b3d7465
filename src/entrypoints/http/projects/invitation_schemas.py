"""Invitations to projects on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from agentry.application.projects.answer_invitation import ReceivedInvitation
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import ProjectRole
from agentry.entrypoints.http.kit.validators import Email


class InvitationCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    role: ProjectRole


class InvitationBody(Struct, kw_only=True):
    """The same whether or not the address has an account."""

    id: UUID
    project_id: UUID
    email: str
    role: ProjectRole
    invited_by: UUID | None
    invited_at: datetime
    expires_at: datetime

    @classmethod
    def from_domain(cls, invitation: Invitation) -> InvitationBody:
        return cls(
            id=invitation.id,
            project_id=invitation.project_id,
            email=invitation.email,
            role=invitation.role,
            invited_by=invitation.invited_by,
            invited_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


class ReceivedInvitationBody(Struct, kw_only=True):
    id: UUID
    project_id: UUID
    project_name: Annotated[str, Meta(description="The project you are invited to")]
    role: ProjectRole
    invited_at: datetime
    expires_at: datetime

    @classmethod
    def from_domain(cls, received: ReceivedInvitation) -> ReceivedInvitationBody:
        invitation = received.invitation
        return cls(
            id=invitation.id,
            project_id=invitation.project_id,
            project_name=received.project.name,
            role=invitation.role,
            invited_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


class JoinedBody(Struct, kw_only=True):
    project_id: UUID
    project_name: str
    role: ProjectRole
    joined_at: datetime

    @classmethod
    def from_domain(cls, membership: Membership, project: Project) -> JoinedBody:
        return cls(
            project_id=project.id, project_name=project.name, role=membership.role, joined_at=membership.created_at
        )
