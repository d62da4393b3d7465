"""The acting principal, kept in each API process between requests, and forgotten in every process at
once when it may have changed.

A commit that wrote a user, a membership, a login session, an API token or a project (the unit of work
tells, see adapters/sqlalchemy/principal_writes.py) clears this process's cache and publishes one word
on a Redis channel before the use case returns, so before a logout or a deactivation answers; every
API process listens on that channel and clears its own cache when it hears it. A process that cannot
hear (not yet subscribed, Redis away, no answer to its pings) reads every principal from the database,
as if there were no cache, and starts afresh once it hears again. An entry read before a change but
stored after it is not kept (the cache's generation moved on in between), and every entry expires
after `ttl_s` whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from agentry.application.identity.ports.sessions import PrincipalStore
from agentry.domain.principal import Principal

log = logging.getLogger("agentry.principals")
PING_EVERY_S = 1.0
DEAF_AFTER_S = 3.0  # no message (not even a pong) for this long: the channel is not heard
RETRY_MIN_S = 0.25
RETRY_MAX_S = 5.0
PUBLISH_TIMEOUT_S = 2.0


class PrincipalCache:
    """Principals by (user, login session), in this process, used only while `listening`."""

    def __init__(self, ttl_s: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._max = max_entries
        self._clock = clock
        self._entries: dict[tuple[UUID, UUID], tuple[Principal, float]] = {}
        self._generation = 0
        self._listening = False

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def listening(self) -> bool:
        return self._listening

    def hear(self) -> None:
        """Changes are heard from now on (what was kept before may be stale: forgotten)."""
        self.forget_all()
        self._listening = True

    def deaf(self) -> None:
        """Changes may go unheard: every principal comes from the database until `hear`."""
        self._listening = False
        self.forget_all()

    def forget_all(self) -> None:
        self._generation += 1
        self._entries.clear()

    def get(self, key: tuple[UUID, UUID]) -> Principal | None:
        if not self._listening:
            return None
        found = self._entries.get(key)
        if found is None:
            return None
        principal, expires = found
        if self._clock() >= expires:
            del self._entries[key]
            return None
        return principal

    def put(self, key: tuple[UUID, UUID], principal: Principal, generation: int) -> None:
        """Keep `principal`, read when the cache was at `generation`, unless a change came since."""
        if not self._listening or generation != self._generation:
            return
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[key] = (principal, self._clock() + self._ttl_s)


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


class PrincipalChanges:
    """Told after a commit that may have changed principals: clears this process's cache and tells
    every other process through Redis (`redis` None: one process, nothing to tell)."""

    def __init__(self, cache: PrincipalCache, redis: Redis[Any] | None, channel: str) -> None:
        self._cache = cache
        self._redis = redis
        self._channel = channel

    @property
    def channel(self) -> str:
        return self._channel

    async def changed(self) -> None:
        self._cache.forget_all()
        if self._redis is None:
            return
        try:
            await asyncio.wait_for(self._redis.publish(self._channel, b"changed"), PUBLISH_TIMEOUT_S)
        except (RedisError, OSError, TimeoutError) as error:
            # Whoever cannot hear this cannot hear Redis either (it pings it): it reads the database.
            log.warning("could not tell other processes that principals changed: %s", error)

    async def listen(self, stop: asyncio.Event) -> None:
        """Hear the other processes' changes until `stop`; the cache is used only while they are heard."""
        if self._redis is None:
            return
        pause = RETRY_MIN_S
        while not stop.is_set():
            try:
                await self._listen_once(stop)
                pause = RETRY_MIN_S
            except (RedisError, OSError, TimeoutError) as error:
                if self._cache.listening or pause == RETRY_MIN_S:
                    log.warning("principal changes not heard (%s): reading every principal from the database", error)
                self._cache.deaf()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
                pause = min(pause * 2, RETRY_MAX_S)
        self._cache.deaf()

    async def _listen_once(self, stop: asyncio.Event) -> None:
        assert self._redis is not None
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(self._channel)
            heard = time.monotonic()
            pinged = 0.0
            while not stop.is_set():
                now = time.monotonic()
                if now - heard > DEAF_AFTER_S:
                    raise TimeoutError("Redis did not answer the pings")
                if now - pinged >= PING_EVERY_S:
                    await pubsub.ping()
                    pinged = now
                message = await pubsub.get_message(timeout=PING_EVERY_S / 2)
                if message is None:
                    continue
                heard = time.monotonic()
                kind = message.get("type")
                if kind == "subscribe":
                    self._cache.hear()
                elif kind == "message":
                    self._cache.forget_all()
        finally:
            self._cache.deaf()
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5
