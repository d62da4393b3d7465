"""The ReadCache on Redis (production: every API process reads and fills the same entries, and the
relay of any process invalidates them for all).

One key per area and part holds that part's current generation (a random token); an entry is
`<prefix><area>:<generation>:<key>`, where its generation is the SHA-1 of its parts' tokens, with a time
to live. A lookup is one round trip (a Lua script reads the parts' tokens, making one for a part that
has none, and the entry); an invalidation sets new tokens, and the old generations' entries are never
read again and expire. While Redis cannot be reached, lookups answer None (the reads compute, nothing
is stored) and a warning says so at most every 10 s; an invalidation raises, so the relay offers the
event again.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable, Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from agentry.application.ports.read_cache import ALL, Lookup

# KEYS: the parts' generations; ARGV: the entries' prefix for the area, the key, a token for the parts
# that have no generation (the first read, a day without a change, or Redis lost it), how long it lasts.
_LOOKUP = """
local tokens = {}
for i, part in ipairs(KEYS) do
  local token = redis.call('GET', part)
  if not token then
    redis.call('SET', part, ARGV[3] .. ':' .. i, 'NX', 'PX', ARGV[4])
    token = redis.call('GET', part)
  end
  tokens[i] = token
end
local generation = redis.sha1hex(table.concat(tokens, ','))
return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
"""

log = logging.getLogger("agentry.read_cache")
WARN_EVERY_S = 10.0
GENERATION_TTL_MS = 86_400_000  # the generations of projects and users long gone leave Redis after a day


class RedisReadCache:
    def __init__(self, redis: Redis[bytes], prefix: str, ttl_s: float) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl_ms = max(1, round(ttl_s * 1000))
        # A part's generation outlives its entries; one that expired only costs a miss (a new token).
        self._generation_ttl_ms = max(2 * self._ttl_ms, GENERATION_TTL_MS)
        self._lookup = redis.register_script(_LOOKUP)
        self._warned_at = float("-inf")

    def _generation_key(self, area: str, part: str) -> str:
        return f"{self._prefix}gen:{area}:{part}"

    async def lookup(self, area: str, key: str, parts: Sequence[str]) -> Lookup | None:
        args: list[str | int] = [f"{self._prefix}{area}:", key, secrets.token_hex(8), self._generation_ttl_ms]
        keys = [self._generation_key(area, part) for part in parts]
        try:
            reply: list[Any] = await self._lookup(keys=keys, args=args)
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

    async def invalidate(self, areas: Iterable[str], parts: Iterable[str]) -> None:
        changed = {*parts, ALL}
        async with self._redis.pipeline(transaction=False) as pipe:
            for area in areas:
                for part in changed:
                    pipe.set(self._generation_key(area, part), secrets.token_hex(8), px=self._generation_ttl_ms)
            await pipe.execute()

    def _unavailable(self, error: RedisError) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("the read cache is bypassed while Redis is unavailable: %s", error)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
