"""Reads served from the ReadCache (see its port for the generations), and the outbox subscriber that
empties it when the events say the data changed.

How fresh: a read made after the relay handed an event to `read_cache` computes from the database (so it
sees that change and everything committed before it). The subscriber comes first among the subscribers,
so a client that heard a change on the live channels or a webhook reads it in the stats. Between the
commit and that hand-out (the relay is woken by the commit: milliseconds; at worst one relay poll
interval) a read may be served the value from before the change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.read_cache import ALL, ReadCache, ReadCacheMetrics

T = TypeVar("T")

TASKS = "tasks"  # task stats and backlog: any task's change of status, a task or project deleted
USAGE = "usage"  # usage reports: an execution ended (the daily roll-up grew), a project deleted


@dataclass(frozen=True, slots=True)
class ReadThrough:
    """`enabled` False: every read computes (AGENTRY_READ_CACHE=false)."""

    cache: ReadCache
    metrics: ReadCacheMetrics
    enabled: bool = True

    async def __call__(
        self,
        area: str,
        key: str,
        parts: Sequence[str],
        compute: Callable[[], Awaitable[T]],
        encode: Callable[[T], str],
        decode: Callable[[str], T],
    ) -> T:
        """The value for `key` (which must name everything the value depends on, the reader's visible
        scope included), computed from the `parts` of the data (see `project_part`, `user_part`, ALL):
        from the cache, or computed and stored."""
        if not self.enabled:
            return await compute()
        found = await self.cache.lookup(area, key, parts)
        if found is not None and found.value is not None:
            self.metrics.hit(area)
            return decode(found.value)
        self.metrics.miss(area)
        value = await compute()
        if found is not None:
            await self.cache.store(area, key, found.generation, encode(value))
        return value


def project_part(project_id: object) -> str:
    return f"p:{project_id}"


def user_part(user_id: object) -> str:
    """The usage of the tasks a user submitted, in any project."""
    return f"u:{user_id}"


def project_parts(everything: bool, project_ids: Collection[object]) -> list[str]:
    """The parts a read over these projects (or all of them) covers, in one order."""
    return [ALL] if everything else sorted(project_part(p) for p in project_ids)


def scope_key(*parts: object) -> str:
    """A short key for a read: the parts (scope, filters) as text, hashed when long (a member of many
    projects). Sets must be passed sorted, so one scope always makes one key."""
    text = "|".join("" if p is None else str(p) for p in parts)
    if len(text) <= 120:
        return text
    return "h:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass(slots=True)
class InvalidateReadCache:
    """Subscriber: a task event empties the stats of its project (every task event changes a count, a
    duration or a backlog, except an edit); one that ended an execution (it carries a `run`) the usage
    reports of its project and its submitter too; a project deleted takes its tasks and usage with it.
    Reads of everything are emptied by every one of them.

    A relay pass empties what its whole batch changed as it starts (`prepare`: one call an area, before
    the live announcements, which come next), and then nothing more: the batch's events were all
    committed before the pass claimed them, so a read after the emptying sees what each one changed. If
    that fails (Redis down), each event empties its own, and fails alone, as without a pass."""

    cache: ReadCache
    _emptied: bool = field(default=False, init=False)  # this pass's batch, at once

    @property
    def name(self) -> str:
        return "read_cache"

    def wants(self, event_type: str) -> bool:
        return (event_type.startswith("task.") and event_type != "task.updated") or event_type == "project.deleted"

    async def prepare(self, batch: Sequence[StoredEvent]) -> None:
        self._emptied = False
        parts: dict[str, set[str]] = {TASKS: set(), USAGE: set()}
        for stored in batch:
            if self.wants(stored.event.type):
                areas, changed = _changed(stored)
                for area in areas:
                    parts[area].update(changed)
        try:
            for area, in_area in parts.items():
                if in_area:
                    await self.cache.invalidate((area,), sorted(in_area))
        except Exception:  # left to each event, which is tried again alone if it fails too
            return
        self._emptied = True

    async def handle(self, stored: StoredEvent) -> None:
        if self._emptied:
            return
        await self.cache.invalidate(*_changed(stored))


def _changed(stored: StoredEvent) -> tuple[tuple[str, ...], list[str]]:
    """The areas an event changed, and in them the parts."""
    event = stored.event
    if event.type == "project.deleted":
        return (TASKS, USAGE), [project_part(event.aggregate_id)]
    parts = [project_part(event.data["project_id"])]
    if event.data.get("run") is not None:
        return (TASKS, USAGE), [*parts, user_part(event.data["owner_id"])]
    return (TASKS,), parts
