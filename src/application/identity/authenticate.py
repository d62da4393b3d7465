from __future__ import annotations

from dataclasses import dataclass

from agentry.application.errors import Unauthenticated
from agentry.application.identity.ports.credentials import AccessTokens, InvalidToken
from agentry.application.identity.ports.sessions import PrincipalStore
from agentry.application.ports.clock import Clock
from agentry.domain.identity.credentials import API_TOKEN_PREFIX, digest
from agentry.domain.principal import Principal

REVOKED = "the token's user is inactive or its session has ended; log in again"


@dataclass(frozen=True, slots=True)
class Authenticate:
    """A bearer credential (an access token or a personal API token) to the principal it acts for.

    The user and the session are read fresh every time, so deactivation and logout take effect at once.
    """

    principals: PrincipalStore
    tokens: AccessTokens
    clock: Clock

    async def __call__(self, credential: str) -> Principal:
        now = self.clock.now()
        if credential.startswith(API_TOKEN_PREFIX):
            principal = await self.principals.for_api_token(digest(credential), now)
            if principal is None:
                raise Unauthenticated("the API token is not valid, expired or revoked")
            return principal
        try:
            claims = self.tokens.verify(credential, now)
        except InvalidToken as error:
            raise Unauthenticated(error.reason) from None
        principal = await self.principals.for_session(claims.user_id, claims.session_id)
        if principal is None:
            raise Unauthenticated(REVOKED)
        return principal
