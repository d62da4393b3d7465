"""The ReadCache on Redis (production: every API process reads and fills the same entries, and the
relay of any process invalidates them for all).

One key per area holds its current generation (a random token); entries are `<prefix><area>:<generation>:<key>`
with a time to live. A lookup is one round trip (a Lua script reads the generation, making one if
there is none, and the entry); an invalidation sets a new token, and the old generation's entries are
never read again and expire. While Redis cannot be reached, lookups answer None (the reads compute,
nothing is stored) and a warning says so at most every 10 s; an invalidation raises, so the relay
offers the event again.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from agentry.application.ports.read_cache import Lookup

# KEYS[1]: the area's generation; ARGV: the entries' prefix for the area, the key, a token for a new
# generation should there be none (the first read, or Redis lost it).
_LOOKUP = """
local generation = redis.call('GET', KEYS[1])
if not generation then
  redis.call('SET', KEYS[1], ARGV[3], 'NX')
  generation = redis.call('GET', KEYS[1])
end
return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
"""

log = logging.getLogger("agentry.read_cache")
WARN_EVERY_S = 10.0


class RedisReadCache:
    def __init__(self, redis: Redis[bytes], prefix: str, ttl_s: float) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl_ms = max(1, round(ttl_s * 1000))
        self._lookup = redis.register_script(_LOOKUP)
        self._warned_at = float("-inf")

    def _generation_key(self, area: str) -> str:
        return f"{self._prefix}gen:{area}"

    async def lookup(self, area: str, key: str) -> Lookup | None:
        args = [f"{self._prefix}{area}:", key, secrets.token_hex(8)]
        try:
            reply: list[Any] = await self._lookup(keys=[self._generation_key(area)], args=args)
        except RedisError as error:
            self._unavailable(error)
            return None
        generation, value = reply
        return Lookup(_text(generation), None if value is None else _text(value))

    async def store(self, area: str, key: str, generation: str, value: str) -> None:
        try:
            await self._redis.set(f"{self._prefix}{area}:{generation}:{key}", value, px=self._ttl_ms)
        except RedisError as error:
            self._unavailable(error)

    async def invalidate(self, areas: Iterable[str]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for area in areas:
                pipe.set(self._generation_key(area), secrets.token_hex(8))
            await pipe.execute()

    def _unavailable(self, error: RedisError) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("the read cache is bypassed while Redis is unavailable: %s", error)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
