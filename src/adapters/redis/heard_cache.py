"""What an API process keeps between requests (principals, task validators), and forgets in every
process at once when it may have changed.

A commit that may have changed what a cache holds (the unit of work tells, see
adapters/sqlalchemy/cached_writes.py) clears this process's caches and publishes one word on a Redis
channel before the use case returns, so before a logout, a deactivation or a task's edit answers; every
API process listens on that channel and clears its own caches when it hears it. A process that cannot
hear (not yet subscribed, Redis away, no answer to its pings) keeps nothing and reads everything from
the database, and starts afresh once it hears again. An entry read before a change but stored after it
is not kept (the cache's generation moved on in between), and every entry expires after `ttl_s`
whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("agentry.caches")
PING_EVERY_S = 1.0
DEAF_AFTER_S = 3.0  # no message (not even a pong) for this long: the channel is not heard
RETRY_MIN_S = 0.25
RETRY_MAX_S = 5.0
PUBLISH_TIMEOUT_S = 2.0
WARN_EVERY_S = 10.0  # a worker writes tasks often: one warning per outage's stretch, not per commit
K = TypeVar("K")
V = TypeVar("V")
PRINCIPALS = b"principals"  # the words on the channel: what may have changed
TASKS = b"tasks"


class HeardCache(Generic[K, V]):  # Python 3.11
    """Values by key, in this process, used only while `listening`."""

    def __init__(self, ttl_s: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._max = max_entries
        self._clock = clock
        self._entries: dict[K, tuple[V, float]] = {}
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
        """Changes may go unheard: every value comes from the database until `hear`."""
        self._listening = False
        self.forget_all()

    def forget_all(self) -> None:
        self._generation += 1
        self._entries.clear()

    def get(self, key: K) -> V | None:
        if not self._listening:
            return None
        found = self._entries.get(key)
        if found is None:
            return None
        value, expires = found
        if self._clock() >= expires:
            del self._entries[key]
            return None
        return value

    def put(self, key: K, value: V, generation: int) -> None:
        """Keep `value`, read when the cache was at `generation`, unless a change came since."""
        if not self._listening or generation != self._generation:
            return
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[key] = (value, self._clock() + self._ttl_s)


class CacheChanges:
    """Told after a commit that may have changed principals or tasks: clears this process's caches
    and tells every other process through Redis (`redis` None: one process, nothing to tell). A change
    of principals clears the task validators too: a deleted project takes its tasks without a
    statement on them."""

    def __init__(
        self, principals: HeardCache[Any, Any], tasks: HeardCache[Any, Any], redis: Redis[Any] | None, channel: str
    ) -> None:
        self._principals = principals
        self._tasks = tasks
        self._redis = redis
        self._channel = channel
        self._warned_at = -WARN_EVERY_S

    @property
    def channel(self) -> str:
        return self._channel

    async def principals_changed(self) -> None:
        await self._tell(PRINCIPALS)

    async def tasks_changed(self) -> None:
        await self._tell(TASKS)

    def _forget(self, word: bytes) -> None:
        self._tasks.forget_all()
        if word != TASKS:
            self._principals.forget_all()

    async def _tell(self, word: bytes) -> None:
        self._forget(word)
        if self._redis is None:
            return
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):  # (asyncio.wait_for made a task for each)
                await self._redis.publish(self._channel, word)
        except (RedisError, OSError, TimeoutError) as error:
            # Whoever cannot hear this cannot hear Redis either (it pings it): it reads the database.
            if time.monotonic() - self._warned_at >= WARN_EVERY_S:
                self._warned_at = time.monotonic()
                log.warning("could not tell other processes that %s changed: %s", word.decode(), error)

    def _hear(self, listening: bool) -> None:
        for cache in (self._principals, self._tasks):
            cache.hear() if listening else cache.deaf()

    async def listen(self, stop: asyncio.Event) -> None:
        """Hear the other processes' changes until `stop`; the caches are used only while they are heard."""
        if self._redis is None:
            return
        pause = RETRY_MIN_S
        while not stop.is_set():
            try:
                await self._listen_once(stop)
                pause = RETRY_MIN_S
            except (RedisError, OSError, TimeoutError) as error:
                if self._principals.listening or pause == RETRY_MIN_S:
                    log.warning("cache changes not heard (%s): reading everything from the database", error)
                self._hear(False)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
                pause = min(pause * 2, RETRY_MAX_S)
        self._hear(False)

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
                    self._hear(True)
                elif kind == "message":
                    self._forget(message.get("data", b""))
        finally:
            self._hear(False)
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5
