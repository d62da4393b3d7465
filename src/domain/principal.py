"""Who acts: every use case takes the acting principal explicitly.

A user principal carries what authorization decides on: the global role and the user's role in
each project they belong to, read fresh for every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from uuid import UUID

from agentry.domain.roles import GlobalRole, ProjectRole

_NO_MEMBERSHIPS: Mapping[UUID, ProjectRole] = MappingProxyType({})


class PrincipalKind(StrEnum):
    USER = "user"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"
    VISITOR = "visitor"  # a browser without an account in a project's public chat (its cookie's session)


@dataclass(frozen=True, slots=True)
class Principal:
    id: UUID
    name: str
    kind: PrincipalKind = PrincipalKind.USER
    role: GlobalRole = GlobalRole.USER
    memberships: Mapping[UUID, ProjectRole] = field(default_factory=lambda: _NO_MEMBERSHIPS)
    session_id: UUID | None = None  # the login session an access token belongs to, if any

    @classmethod
    def anonymous(cls) -> Principal:
        return cls(UUID(int=0xA4), "anonymous", PrincipalKind.ANONYMOUS)

    @classmethod
    def visitor(cls, visitor_id: UUID) -> Principal:
        return cls(visitor_id, "visitor", PrincipalKind.VISITOR)

    @property
    def is_visitor(self) -> bool:
        return self.kind is PrincipalKind.VISITOR

    @property
    def is_system(self) -> bool:
        return self.kind is PrincipalKind.SYSTEM

    @property
    def is_anonymous(self) -> bool:
        return self.kind is PrincipalKind.ANONYMOUS

    @property
    def signed_in(self) -> bool:
        """Acting through a login session, not a personal API token."""
        return self.kind is PrincipalKind.USER and self.session_id is not None

    @property
    def is_admin(self) -> bool:
        return self.kind is PrincipalKind.USER and self.role is GlobalRole.ADMIN

    def project_role(self, project_id: UUID) -> ProjectRole | None:
        return self.memberships.get(project_id)
