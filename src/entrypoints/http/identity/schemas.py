"""Bodies of the accounts and sessions endpoints: registering, logging in and out, refreshing, and an account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from agentry.application.identity.tokens import TokenPair
from agentry.domain.emails import EMAIL_MAX
from agentry.domain.identity.passwords import PASSWORD_MAX
from agentry.domain.identity.users import DISPLAY_NAME_MAX, User
from agentry.domain.roles import GlobalRole
from agentry.entrypoints.http.kit.validators import Email

Password = Annotated[str, Meta(min_length=1, max_length=PASSWORD_MAX)]
DisplayName = Annotated[str, Meta(min_length=1, max_length=DISPLAY_NAME_MAX)]
Token = Annotated[str, Meta(min_length=1, max_length=4096)]


class RegisterBody(Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    password: Password
    display_name: DisplayName
    role: GlobalRole = GlobalRole.USER


class LoginBody(Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, Meta(max_length=EMAIL_MAX)]
    password: Password


class RefreshBody(Struct, kw_only=True, forbid_unknown_fields=True):
    refresh_token: Token


class LogoutBody(Struct, kw_only=True, forbid_unknown_fields=True):
    refresh_token: Token | None = None


class TokenPairBody(Struct, kw_only=True):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: Annotated[int, Meta(description="Seconds until the access token expires")]

    @classmethod
    def from_domain(cls, pair: TokenPair) -> TokenPairBody:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
        )


class UserBody(Struct, kw_only=True):
    id: UUID
    email: str
    display_name: str
    role: GlobalRole
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, user: User) -> UserBody:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            active=user.active,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )
