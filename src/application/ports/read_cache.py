"""A cache of computed reads (task stats, usage reports), shared by every API process, emptied by the
domain events.

Entries live in generations. Each area (`tasks`, `usage`) has a generation per part of the data (a
project, a user's own tasks) and one for all of it; a read names the parts it covers (or all), and its
lookup returns the generation of those together with the value stored under it. A miss computes and
stores the value under that generation. An event starts a new generation of the parts it changed and of
all (a token never used before, so a generation lost with its store cannot come back and revive old
entries): every entry covering one of them is out at once; entries covering other projects stay. A
value computed while a generation changed is stored under the old one and never served: no read after
the change sees anything older than it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

ALL = "*"  # the part a read of everything covers; every invalidation starts a new generation of it


@dataclass(frozen=True, slots=True)
class Lookup:
    """The generation of the parts the read covers, when the lookup was made, and the value stored under
    it for the key (None: a miss)."""

    generation: str
    value: str | None


class ReadCache(Protocol):
    async def lookup(self, area: str, key: str, parts: Sequence[str]) -> Lookup | None:
        """The generation of `parts` (`[ALL]` for a read of everything) and the key's value in it; None
        when the cache cannot answer now (unreachable): the caller computes and stores nothing."""
        ...

    async def store(self, area: str, key: str, generation: str, value: str) -> None:
        """Keep `value` for `key` in that generation (for a bounded time). A failure is swallowed: the
        next read computes again."""
        ...

    async def invalidate(self, areas: Iterable[str], parts: Iterable[str]) -> None:
        """Start a new generation of each of `parts` and of ALL, in each area. Raises when that cannot be
        done (the event that asked for it is then offered again)."""
        ...


class ReadCacheMetrics(Protocol):
    def hit(self, area: str) -> None: ...

    def miss(self, area: str) -> None: ...
