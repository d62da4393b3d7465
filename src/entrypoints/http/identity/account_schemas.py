"""Bodies of the self-service account endpoints: the profile, the password and personal API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from agentry.application.account.api_tokens import NewApiToken
from agentry.domain.identity.sessions import API_TOKEN_DAYS_MAX, API_TOKEN_NAME_MAX, ApiToken
from agentry.entrypoints.http.identity.schemas import DisplayName, Password
from agentry.entrypoints.http.kit.validators import Email

TokenName = Annotated[str, Meta(min_length=1, max_length=API_TOKEN_NAME_MAX, examples=["ci deploys"])]


class ProfileUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    display_name: DisplayName | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    current_password: Password | UnsetType = UNSET  # needed to change the email address


class PasswordChange(Struct, kw_only=True, forbid_unknown_fields=True):
    current_password: Password
    new_password: Password


class ApiTokenCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: TokenName
    expires_in_days: Annotated[int, Meta(ge=1, le=API_TOKEN_DAYS_MAX, description="1 to 366 days")]


class ApiTokenBody(Struct, kw_only=True):
    id: UUID
    name: str
    prefix: Annotated[str, Meta(description="The token's first characters, to tell it apart")]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    usable: Annotated[bool, Meta(description="Neither revoked nor expired at the time of the answer")]

    @classmethod
    def from_domain(cls, token: ApiToken, now: datetime) -> ApiTokenBody:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            usable=token.usable(now),
        )


class NewApiTokenBody(Struct, kw_only=True):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    token: Annotated[
        str, Meta(description="The secret (agt_…) to send as 'Authorization: Bearer'; shown this once only")
    ]

    @classmethod
    def from_domain(cls, new: NewApiToken) -> NewApiTokenBody:
        token = new.token
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            token=new.secret,
        )


class ApiTokenPageBody(Struct):
    items: list[ApiTokenBody]
    next_after: Annotated[UUID | None, Meta(description="Pass as `after` for the next page")]
