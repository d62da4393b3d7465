"""A cache of computed reads (task stats, usage reports), shared by every API process, emptied by the
domain events.

Entries live in generations, one current generation per area (`tasks`, `usage`): a read takes the
area's generation with its lookup, computes on a miss and stores the value under that generation. An
event that changes what an area's reads compute starts a new generation (a token never used before, so
a generation lost with its store cannot come back and revive old entries), which puts every entry of
the old one out at once. A value computed while the generation changed is stored under the old one and
never served: no read after the change sees anything older than it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Lookup:
    """The area's generation when the lookup was made, and the value stored under it for the key
    (None: a miss)."""

    generation: str
    value: str | None


class ReadCache(Protocol):
    async def lookup(self, area: str, key: str) -> Lookup | None:
        """The area's generation and the key's value in it; None when the cache cannot answer now
        (unreachable): the caller computes and stores nothing."""
        ...

    async def store(self, area: str, key: str, generation: str, value: str) -> None:
        """Keep `value` for `key` in that generation of the area (for a bounded time). A failure is
        swallowed: the next read computes again."""
        ...

    async def invalidate(self, areas: Iterable[str]) -> None:
        """Start a new generation of each area. Raises when that cannot be done (the event that asked
        for it is then offered again)."""
        ...


class ReadCacheMetrics(Protocol):
    def hit(self, area: str) -> None: ...

    def miss(self, area: str) -> None: ...
