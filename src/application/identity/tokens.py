"""Starting a session: an access token and the first refresh token of a new family."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from agentry.application.identity.ports.credentials import AccessClaims, AccessTokens, SecretGenerator
from agentry.application.identity.ports.sessions import SessionRepository
from agentry.application.identity.settings import IdentitySettings
from agentry.application.ports.ids import IdGenerator
from agentry.domain.identity.credentials import REFRESH_TOKEN_PREFIX, digest
from agentry.domain.identity.sessions import LoginSession, RefreshToken


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"


@dataclass(frozen=True, slots=True)
class TokenMinter:
    """Issues the credentials of a session; shared by login and refresh."""

    sessions: SessionRepository
    tokens: AccessTokens
    secrets: SecretGenerator
    ids: IdGenerator
    settings: IdentitySettings

    async def start_session(self, user_id: UUID, now: datetime) -> TokenPair:
        session = LoginSession(self.ids.new_id(), user_id, now, now)
        await self.sessions.add(session)
        return await self.continue_session(session, now)

    async def continue_session(self, session: LoginSession, now: datetime) -> TokenPair:
        secret = REFRESH_TOKEN_PREFIX + self.secrets.new_secret()
        expires = now + timedelta(seconds=self.settings.refresh_token_ttl_s)
        refresh = RefreshToken(self.ids.new_id(), session.id, session.user_id, digest(secret), now, expires)
        await self.sessions.add_refresh_token(refresh)
        session.last_used_at = now
        access = self.tokens.issue(AccessClaims(session.user_id, session.id), now)
        return TokenPair(access.token, secret, access.expires_in)
