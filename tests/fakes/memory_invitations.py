"""Invitations to projects, in memory: the InvitationRepository port over a MemorySession."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from agentry.domain.projects.invitation import Invitation
from tests.fakes.memory import MemorySession


class MemoryInvitationRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, invitation: Invitation) -> None:
        self._s.insert_row("invitations", invitation)

    async def get(self, invitation_id: UUID) -> Invitation | None:
        found: Invitation | None = await self._s.load_row("invitations", invitation_id)
        return found

    async def of_project_to(self, project_id: UUID, email: str) -> Invitation | None:
        found = await self._s.visible_loaded("invitations", lambda i: (i.project_id, i.email) == (project_id, email))
        return found[0] if found else None

    async def pending_of_project(self, project_id: UUID, now: datetime) -> list[Invitation]:
        return _newest_first(
            await self._s.visible_loaded("invitations", lambda i: i.project_id == project_id and not i.expired(now))
        )

    async def pending_to(self, email: str, now: datetime) -> list[Invitation]:
        return _newest_first(
            await self._s.visible_loaded("invitations", lambda i: i.email == email and not i.expired(now))
        )

    async def expired(self, now: datetime, limit: int) -> list[Invitation]:
        found = await self._s.visible_loaded("invitations", lambda i: i.expired(now))
        return sorted(found, key=lambda i: (i.expires_at, i.id))[:limit]

    async def all_to(self, email: str) -> list[Invitation]:
        return _newest_first(await self._s.visible_loaded("invitations", lambda i: i.email == email))

    async def remove(self, invitation: Invitation) -> None:
        self._s.delete_row("invitations", invitation.id)


def _newest_first(invitations: list[Invitation]) -> list[Invitation]:
    return sorted(invitations, key=lambda i: (i.created_at, i.id), reverse=True)
