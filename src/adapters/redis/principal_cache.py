"""The acting principal, kept in each API process between requests while changes are heard (see
heard_cache.py): a logout, a deactivation or a change of role or membership clears it everywhere."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from agentry.adapters.redis.heard_cache import HeardCache
from agentry.application.identity.ports.sessions import PrincipalStore
from agentry.domain.principal import Principal


class PrincipalCache(HeardCache[tuple[UUID, UUID], Principal]):
    """Principals by (user, login session)."""


class CachedPrincipalStore:
    """A PrincipalStore that asks `store` only for what the cache does not hold (login sessions;
    personal API tokens, which expire by the clock, always go to `store`)."""

    def __init__(self, store: PrincipalStore, cache: PrincipalCache) -> None:
        self._store = store
        self._cache = cache

    async def for_session(self, user_id: UUID, session_id: UUID) -> Principal | None:
        key = (user_id, session_id)
        principal = self._cache.get(key)
        if principal is not None:
            return principal
        generation = self._cache.generation
        principal = await self._store.for_session(user_id, session_id)
        if principal is not None:
            self._cache.put(key, principal, generation)
        return principal

    async def for_api_token(self, token_hash: str, now: datetime) -> Principal | None:
        return await self._store.for_api_token(token_hash, now)
