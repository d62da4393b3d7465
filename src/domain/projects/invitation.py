"""An invitation to join a project at a role: addressed to an email address (whether or not it has an
account), answered by whoever holds the account with that address, and only then a membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from agentry.domain.emails import normalize_email
from agentry.domain.events import Aggregate
from agentry.domain.projects.events import invitation_event
from agentry.domain.projects.project import Membership
from agentry.domain.roles import ProjectRole


@dataclass(eq=False)
class Invitation(Aggregate):
    id: UUID
    project_id: UUID
    email: str
    role: ProjectRole
    invited_by: UUID | None
    created_at: datetime
    expires_at: datetime

    @classmethod
    def send(
        cls,
        invitation_id: UUID,
        project_id: UUID,
        email: str,
        role: ProjectRole,
        invited_by: UUID,
        now: datetime,
        lasts: timedelta,
    ) -> Invitation:
        invitation = cls(invitation_id, project_id, normalize_email(email), role, invited_by, now, now + lasts)
        invitation.record(invitation_event(invitation, "invitation_sent", now))
        return invitation

    def send_again(self, role: ProjectRole, invited_by: UUID, now: datetime, lasts: timedelta) -> None:
        """Invited again while still pending: the new role, and a new expiry."""
        self.role = role
        self.invited_by = invited_by
        self.created_at = now
        self.expires_at = now + lasts
        self.record(invitation_event(self, "invitation_sent", now))

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def accept(self, user_id: UUID, now: datetime) -> Membership:
        """The invitee joins at the invited role (the use case checks the invitation is theirs and alive)."""
        self.record(invitation_event(self, "invitation_accepted", now, user_id=str(user_id)))
        return Membership.grant(self.project_id, user_id, self.role, now)

    def decline(self, now: datetime) -> None:
        self.record(invitation_event(self, "invitation_declined", now))

    def revoke(self, now: datetime) -> None:
        self.record(invitation_event(self, "invitation_revoked", now))

    def lapse(self, now: datetime) -> None:
        """Expired unanswered: it goes, and the address with it."""
        self.record(invitation_event(self, "invitation_expired", now))
