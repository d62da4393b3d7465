from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.errors import NotASession
from agentry.application.identity.ports.sessions import SessionRepository
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.identity.credentials import REFRESH_TOKEN_PREFIX, digest
from agentry.domain.identity.sessions import RevokeReason
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class LogOut:
    """End the actor's session: its refresh tokens and its access tokens stop working at once.

    A refresh token may be given too (a client that lost its access token); its session ends if it is the actor's.
    A personal API token is no session: logging out with one is refused (it is revoked instead), and nothing changes.
    """

    sessions: SessionRepository
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, refresh_token: str | None = None) -> None:
        if not actor.signed_in:
            raise NotASession()
        ended: set[UUID] = {actor.session_id} if actor.session_id is not None else set()
        if refresh_token and refresh_token.startswith(REFRESH_TOKEN_PREFIX):
            token = await self.sessions.refresh_token(digest(refresh_token))
            if token is not None and token.user_id == actor.id:
                ended.add(token.session_id)
        now = self.clock.now()
        for session_id in ended:
            session = await self.sessions.get(session_id, for_update=True)
            if session is not None and session.user_id == actor.id:
                session.revoke(now, RevokeReason.LOGOUT)
        await self.uow.commit()
