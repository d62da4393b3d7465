"""The ReadCache in this process (the embedded profile: one process, so every read and every
invalidation meet here), or none (the cache off). Bounded: at most `max_entries`, the oldest stored first out, each kept
`ttl_s` at most."""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from agentry.application.ports.read_cache import ALL, Lookup


class MemoryReadCache:
    def __init__(self, ttl_s: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._max = max_entries
        self._clock = clock
        self._tokens = itertools.count(1)
        self._generations: dict[tuple[str, str], str] = {}
        self._entries: OrderedDict[tuple[str, str], tuple[str, str, float]] = OrderedDict()

    def _generation(self, area: str, part: str) -> str:
        generation = self._generations.get((area, part))
        if generation is None:
            generation = self._generations[area, part] = str(next(self._tokens))
        return generation

    async def lookup(self, area: str, key: str, parts: Sequence[str]) -> Lookup:
        generation = ",".join(self._generation(area, part) for part in parts)
        entry = self._entries.get((area, key))
        if entry is None:
            return Lookup(generation, None)
        stored_in, value, expires = entry
        if stored_in != generation or expires <= self._clock():
            del self._entries[area, key]
            return Lookup(generation, None)
        return Lookup(generation, value)

    async def store(self, area: str, key: str, generation: str, value: str) -> None:
        self._entries[area, key] = (generation, value, self._clock() + self._ttl_s)
        self._entries.move_to_end((area, key))
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    async def invalidate(self, areas: Iterable[str], parts: Iterable[str]) -> None:
        changed = {*parts, ALL}
        for area in areas:
            for part in changed:
                self._generations[area, part] = str(next(self._tokens))


class NoReadCache:
    """The cache off (AGENTRY_READ_CACHE=false, or production without Redis): nothing is kept, and
    invalidations are taken and dropped."""

    async def lookup(self, area: str, key: str, parts: Sequence[str]) -> Lookup | None:
        return None

    async def store(self, area: str, key: str, generation: str, value: str) -> None: ...

    async def invalidate(self, areas: Iterable[str], parts: Iterable[str]) -> None: ...
