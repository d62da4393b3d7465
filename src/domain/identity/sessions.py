"""Login sessions and the credentials that prove them.

A login starts a session (a refresh-token family). Every refresh spends the presented token and
issues its successor; presenting a spent token again means it was copied, so the whole session
is revoked. Access tokens name their session, so revoking it stops them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from agentry.domain.errors import InvalidValue
from agentry.domain.names import clean_name

API_TOKEN_NAME_MAX = 100
API_TOKEN_DAYS_MAX = 366


class RevokeReason(StrEnum):
    LOGOUT = "logout"
    REUSE = "refresh_token_reuse"
    PASSWORD_CHANGED = "password_changed"
    USER_DEACTIVATED = "user_deactivated"


@dataclass(eq=False)
class LoginSession:
    id: UUID
    user_id: UUID
    created_at: datetime
    last_used_at: datetime
    revoked_at: datetime | None = None
    revoke_reason: RevokeReason | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self, now: datetime, reason: RevokeReason) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
            self.revoke_reason = reason


@dataclass(eq=False)
class RefreshToken:
    id: UUID
    session_id: UUID
    user_id: UUID
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    spent_at: datetime | None = None

    def spend(self, now: datetime) -> None:
        self.spent_at = now

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


@dataclass(eq=False)
class ApiToken:
    id: UUID
    user_id: UUID
    name: str
    token_hash: str
    prefix: str  # the first characters, so a user can tell their tokens apart
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    @classmethod
    def create(
        cls, token_id: UUID, user_id: UUID, name: str, token_hash: str, prefix: str, now: datetime, days: int
    ) -> ApiToken:
        value = clean_name("name", name, API_TOKEN_NAME_MAX)
        if not 1 <= days <= API_TOKEN_DAYS_MAX:
            raise InvalidValue("expires_in_days", f"must be from 1 to {API_TOKEN_DAYS_MAX}")
        return cls(token_id, user_id, value, token_hash, prefix, now, now + timedelta(days=days))

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
