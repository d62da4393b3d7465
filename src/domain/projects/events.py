"""The events projects and their memberships record: `project.created`, `project.updated`,
`project.deleted`, `project.member_added`, `project.member_role_changed`, `project.member_removed`,
`project.invitation_sent`, `project.invitation_accepted`, `project.invitation_declined`,
`project.invitation_revoked`, `project.invitation_expired` (an invitation's events carry no email
address: who was invited is for the project's managers to list, not for every subscriber).
All of them belong to the project (their aggregate id is the project's), so they arrive in order."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from agentry.domain.events import DomainEvent

if TYPE_CHECKING:
    from agentry.domain.projects.invitation import Invitation
    from agentry.domain.projects.project import Membership, Project

AGGREGATE = "project"


def project_event(project: Project, kind: str, at: datetime, **extra: Any) -> DomainEvent:
    data: dict[str, Any] = {
        "project_id": str(project.id),
        "name": project.name,
        "slug": project.slug,
        "personal": project.personal,
        **extra,
    }
    return DomainEvent(f"project.{kind}", AGGREGATE, project.id, at, data)


def member_event(membership: Membership, kind: str, at: datetime, **extra: Any) -> DomainEvent:
    data: dict[str, Any] = {
        "project_id": str(membership.project_id),
        "user_id": str(membership.user_id),
        "role": membership.role.value,
        **extra,
    }
    return DomainEvent(f"project.{kind}", AGGREGATE, membership.project_id, at, data)


def invitation_event(invitation: Invitation, kind: str, at: datetime, **extra: Any) -> DomainEvent:
    data: dict[str, Any] = {
        "project_id": str(invitation.project_id),
        "invitation_id": str(invitation.id),
        "role": invitation.role.value,
        "expires_at": invitation.expires_at.isoformat(),
        **extra,
    }
    return DomainEvent(f"project.{kind}", AGGREGATE, invitation.project_id, at, data)
