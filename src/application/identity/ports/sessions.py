from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken, RevokeReason
from agentry.domain.principal import Principal


class SessionRepository(Protocol):
    async def add(self, session: LoginSession) -> None: ...

    async def get(self, session_id: UUID, *, for_update: bool = False) -> LoginSession | None: ...

    async def page_of_user(self, user_id: UUID, *, after: UUID | None, limit: int) -> list[LoginSession]:
        """The user's sessions in id order (ids are time-ordered: oldest first), strictly after `after`."""
        ...

    async def revoke_all_of(
        self, user_id: UUID, now: datetime, reason: RevokeReason, *, keep: UUID | None = None
    ) -> None:
        """Revoke every live session of the user except `keep`."""
        ...

    async def add_refresh_token(self, token: RefreshToken) -> None: ...

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        """The token with this hash, locked until the transaction ends."""
        ...


class ApiTokenRepository(Protocol):
    async def add(self, token: ApiToken) -> None: ...

    async def get(self, token_id: UUID) -> ApiToken | None: ...

    async def revoke_all_of(self, user_id: UUID, now: datetime) -> None:
        """Revoke every token of the user not revoked yet (earlier revocations keep their time)."""
        ...

    async def of_user(self, user_id: UUID) -> list[ApiToken]: ...

    async def page_of_user(self, user_id: UUID, *, after: UUID | None, limit: int) -> list[ApiToken]:
        """The user's tokens in id order (ids are time-ordered: oldest first), strictly after `after`."""
        ...

    async def count_usable(self, user_id: UUID, now: datetime) -> int:
        """How many of the user's tokens are neither revoked nor expired at `now`."""
        ...


class PrincipalStore(Protocol):
    """Turns a verified credential into the principal acting, read fresh for every request."""

    async def for_session(self, user_id: UUID, session_id: UUID) -> Principal | None:
        """None if the user is gone or inactive, or the session is revoked."""
        ...

    async def for_api_token(self, token_hash: str, now: datetime) -> Principal | None:
        """None if no usable token has this hash, or its user is gone or inactive."""
        ...
