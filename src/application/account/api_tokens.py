"""Personal API tokens: credentials for automation that act with their owner's rights.

The secret is known only when the token is created; the service keeps its digest and a short prefix to
tell tokens apart. Creating one needs a login session, so a leaked token cannot mint others; listing
and revoking one's own tokens does not (a script may retire its own credential).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from agentry.application.access import require, require_credentials_of
from agentry.application.errors import NotFound, TooManyApiTokens
from agentry.application.identity.ports.credentials import SecretGenerator
from agentry.application.identity.ports.sessions import ApiTokenRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.credentials import API_TOKEN_PREFIX, SHOWN_PREFIX_LENGTH, digest
from agentry.domain.identity.sessions import ApiToken
from agentry.domain.principal import Principal

USABLE_TOKENS_MAX = 50  # per user: plenty for automation, and a bound on what one account can accumulate
PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class NewApiToken:
    token: ApiToken
    secret: str  # the bearer credential itself, never stored and never shown again


@dataclass(frozen=True, slots=True)
class ApiTokenPage:
    items: list[ApiToken]
    next_after: UUID | None  # the id to continue after
    as_of: datetime  # the moment whether each token is usable is judged at


@dataclass(frozen=True, slots=True)
class CreateApiToken:
    tokens: ApiTokenRepository
    users: UserRepository
    secrets: SecretGenerator
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    async def __call__(self, actor: Principal, name: str, expires_in_days: int) -> NewApiToken:
        require_credentials_of(self.policy, actor, actor.id)
        now = self.clock.now()
        secret = API_TOKEN_PREFIX + self.secrets.new_secret()
        token = ApiToken.create(
            self.ids.new_id(), actor.id, name, digest(secret), secret[:SHOWN_PREFIX_LENGTH], now, expires_in_days
        )
        # Locking the user serializes their token creations, so two at once cannot both take the last place.
        if await self.users.get(actor.id, for_update=True) is None:
            raise NotFound("user", actor.id)
        if await self.tokens.count_usable(actor.id, now) >= USABLE_TOKENS_MAX:
            raise TooManyApiTokens(USABLE_TOKENS_MAX)
        await self.tokens.add(token)
        await self.uow.commit()
        return NewApiToken(token, secret)


@dataclass(frozen=True, slots=True)
class ListApiTokens:
    """The actor's own tokens, revoked and expired ones included, oldest first."""

    tokens: ApiTokenRepository
    policy: AccessPolicy
    clock: Clock

    async def __call__(self, actor: Principal, *, after: UUID | None = None, limit: int = 50) -> ApiTokenPage:
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be from 1 to {PAGE_MAX}")
        require(self.policy, actor, Action.MANAGE_ACCOUNT, Resource.of_account(actor.id))
        items, next_after = await fetch_page(
            lambda n: self.tokens.page_of_user(actor.id, after=after, limit=n), limit, lambda last: last.id
        )
        return ApiTokenPage(items, next_after, self.clock.now())


@dataclass(frozen=True, slots=True)
class RevokeApiToken:
    """The token stops working at once. Someone else's token does not exist for the actor (404, also for
    admins: this is self-service). Revoking a revoked token again changes nothing."""

    tokens: ApiTokenRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, token_id: UUID) -> None:
        require(self.policy, actor, Action.MANAGE_ACCOUNT, Resource.of_account(actor.id))
        token = await self.tokens.get(token_id)
        if token is None or token.user_id != actor.id:
            raise NotFound("API token", token_id)
        token.revoke(self.clock.now())
        await self.uow.commit()
