from __future__ import annotations

from dataclasses import dataclass

from agentry.application.errors import Unauthenticated
from agentry.application.identity.ports.sessions import SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.tokens import TokenMinter, TokenPair
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.identity.credentials import REFRESH_TOKEN_PREFIX, digest
from agentry.domain.identity.sessions import RevokeReason
from agentry.domain.principal import Principal

INVALID = "the refresh token is not valid; log in again"
REUSED = "the refresh token was already used, so the session has been ended for safety; log in again"


@dataclass(frozen=True, slots=True)
class RefreshSession:
    """Spend a refresh token for a new pair. A spent token presented again was copied: the whole
    session (every token of its family) is revoked."""

    sessions: SessionRepository
    users: UserRepository
    minter: TokenMinter
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, refresh_token: str) -> TokenPair:
        if not refresh_token.startswith(REFRESH_TOKEN_PREFIX):
            raise Unauthenticated(INVALID)
        token = await self.sessions.refresh_token(digest(refresh_token))
        if token is None:
            raise Unauthenticated(INVALID)
        session = await self.sessions.get(token.session_id, for_update=True)
        if session is None or session.revoked:
            raise Unauthenticated(INVALID)
        now = self.clock.now()
        if token.spent_at is not None:
            session.revoke(now, RevokeReason.REUSE)
            await self.uow.commit()
            raise Unauthenticated(REUSED)
        user = await self.users.get(token.user_id)
        if token.expired(now) or user is None or not user.active:
            raise Unauthenticated(INVALID)
        token.spend(now)
        pair = await self.minter.continue_session(session, now)
        await self.uow.commit()
        return pair
