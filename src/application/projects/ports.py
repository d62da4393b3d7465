from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Membership, Project


@dataclass(frozen=True, slots=True)
class ProjectPosition:
    """Where a page of projects in slug order stops: slugs repeat across owners, so the id breaks ties."""

    slug: str
    id: UUID

    @classmethod
    def of(cls, project: Project) -> ProjectPosition:
        return cls(project.slug, project.id)


class ProjectRepository(Protocol):
    async def add(self, project: Project) -> None:
        """Stage a new project; raises DuplicateSlug if the slug is taken."""
        ...

    async def get(self, project_id: UUID, *, for_update: bool = False) -> Project | None:
        """`for_update` also serializes membership changes of the project."""
        ...

    async def get_many(self, project_ids: Sequence[UUID], *, for_update: bool = False) -> list[Project]:
        """The existing projects among the ids, in id order (so several are always locked in the same order)."""
        ...

    async def page(self, scope: ProjectScope, *, after: ProjectPosition | None, limit: int) -> list[Project]:
        """Projects in the scope, in (slug, id) order, strictly after `after`."""
        ...

    async def personal_project_of(self, user_id: UUID) -> Project | None: ...

    async def has_unfinished_tasks(self, project_id: UUID) -> bool:
        """Whether any task of the project is running or being cancelled."""
        ...

    async def delete(self, project: Project) -> None:
        """Remove the project with its memberships and its tasks (and their executions, logs, results)."""
        ...


class MembershipRepository(Protocol):
    async def add(self, membership: Membership) -> None:
        """Stage a new membership; raises DuplicateMember if the user is already a member."""
        ...

    async def get(self, project_id: UUID, user_id: UUID) -> Membership | None: ...

    async def of_project(self, project_id: UUID) -> list[Membership]: ...

    async def of_user(self, user_id: UUID) -> list[Membership]: ...

    async def count_owners(self, project_id: UUID) -> int: ...

    async def remove(self, membership: Membership) -> None: ...


class InvitationRepository(Protocol):
    async def add(self, invitation: Invitation) -> None: ...

    async def get(self, invitation_id: UUID) -> Invitation | None: ...

    async def of_project_to(self, project_id: UUID, email: str) -> Invitation | None:
        """The project's invitation to that address, expired or not."""
        ...

    async def pending_of_project(self, project_id: UUID, now: datetime) -> list[Invitation]:
        """The project's invitations not expired at `now`, newest first."""
        ...

    async def pending_to(self, email: str, now: datetime) -> list[Invitation]:
        """The invitations to that address not expired at `now`, newest first."""
        ...

    async def expired(self, now: datetime, limit: int) -> list[Invitation]:
        """Up to `limit` invitations expired at `now`, oldest expiry first."""
        ...

    async def all_to(self, email: str) -> list[Invitation]:
        """Every invitation to that address, expired or not."""
        ...

    async def remove(self, invitation: Invitation) -> None: ...
