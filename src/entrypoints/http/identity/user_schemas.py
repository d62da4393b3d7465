"""Bodies of the user management endpoints (admins) and of deleting one's own account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType, structs

from agentry.application.users.get_user import ProjectMembership, UserDetail
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.entrypoints.http.identity.schemas import Password, UserBody


class UserUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    role: GlobalRole | UnsetType = UNSET
    active: Annotated[
        bool | UnsetType,
        Meta(description="false ends the user's sessions and revokes their API tokens; true lets them log in again"),
    ] = UNSET


class UserPageBody(Struct):
    items: list[UserBody]
    next_after: Annotated[str | None, Meta(description="Pass as `after` for the next page")]


class UserMembershipBody(Struct, kw_only=True):
    project_id: UUID
    name: str
    slug: str
    personal: bool
    role: ProjectRole
    joined_at: datetime

    @classmethod
    def from_domain(cls, joined: ProjectMembership) -> UserMembershipBody:
        return cls(
            project_id=joined.project.id,
            name=joined.project.name,
            slug=joined.project.slug,
            personal=joined.project.personal,
            role=joined.membership.role,
            joined_at=joined.membership.created_at,
        )


class UserDetailBody(UserBody, kw_only=True):
    memberships: Annotated[list[UserMembershipBody], Meta(description="In the order the user joined")]

    @classmethod
    def from_detail(cls, detail: UserDetail) -> UserDetailBody:
        return cls(
            **structs.asdict(UserBody.from_domain(detail.user)),
            memberships=[UserMembershipBody.from_domain(m) for m in detail.memberships],
        )


class AccountDeletion(Struct, kw_only=True, forbid_unknown_fields=True):
    password: Annotated[Password, Meta(description="Your password, asked again to confirm it is you")]
