"""Global roles (what a user is across the system) and project roles (what a member may do in a project)."""

from __future__ import annotations

from enum import StrEnum


class GlobalRole(StrEnum):
    ADMIN = "admin"
    USER = "user"


class ProjectRole(StrEnum):
    OWNER = "owner"
    MAINTAINER = "maintainer"
    MEMBER = "member"
    VIEWER = "viewer"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def outranks(self, other: ProjectRole) -> bool:
        return self.rank > other.rank


_RANKS = {ProjectRole.VIEWER: 0, ProjectRole.MEMBER: 1, ProjectRole.MAINTAINER: 2, ProjectRole.OWNER: 3}
