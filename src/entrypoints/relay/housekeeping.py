"""Housekeeping the event relay loop runs between its passes, every ten minutes: delivered events and
sent queue jobs past their retention are deleted, Idempotency-Keys past their time let go of,
invitations nobody answered in time deleted, expired visitors of public chats deleted with their
chats and workspaces, and what public chats spent on days their cost cap no longer counts deleted,
each a batch at a time (at most MAX_BATCHES per round, so a backlog cannot hold up deliveries)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from dishka import AsyncContainer

from agentry.application.chat.purge_spend import PurgeOldChatSpend
from agentry.application.chat.purge_visitors import PurgeExpiredVisitors
from agentry.application.outbox.purge_events import PurgeDeliveredEvents
from agentry.application.projects.purge_invitations import PurgeExpiredInvitations
from agentry.application.tasks.dispatch.purge_dispatched import PurgeDispatchedJobs
from agentry.application.tasks.expire_idempotency_keys import ExpireIdempotencyKeys
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL

log = logging.getLogger("agentry.housekeeping")
EVERY_S = 600.0
MAX_BATCHES = 20
CHORES: tuple[tuple[str, type[Any]], ...] = (
    ("delivered events deleted", PurgeDeliveredEvents),
    ("sent queue jobs deleted", PurgeDispatchedJobs),
    ("expired Idempotency-Keys let go of", ExpireIdempotencyKeys),
    ("expired invitations deleted", PurgeExpiredInvitations),
    ("expired public chat visitors deleted, with their chats and workspaces", PurgeExpiredVisitors),
    ("public chat spend rows of past days deleted", PurgeOldChatSpend),
)


class Housekeeping:
    def __init__(self, every_s: float = EVERY_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._every_s = every_s
        self._next = clock()

    def due_in(self) -> float:
        return max(0.0, self._next - self._clock())

    async def run_due(self, container: AsyncContainer) -> None:
        """Run the chores if they are due; one that fails (the database is down) waits for the next round."""
        if self._clock() < self._next:
            return
        self._next = self._clock() + self._every_s
        for what, use_case in CHORES:
            try:
                done = await _in_batches(container, use_case)
            except Exception as error:
                log.warning(
                    "housekeeping: %s failed (%s: %s); next round in %gs",
                    what,
                    type(error).__name__,
                    error,
                    self._every_s,
                )
                continue
            if done:
                log.info("housekeeping: %d %s", done, what)


async def _in_batches(container: AsyncContainer, use_case: type[Any]) -> int:
    total = 0
    for _ in range(MAX_BATCHES):
        async with container() as request:
            chore: Callable[[Any], Awaitable[int]] = await request.get(use_case)
            done = await chore(SYSTEM_PRINCIPAL)
        total += done
        if done == 0:
            break
    return total
