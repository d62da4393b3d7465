"""What both relay loops do: a pass at once when woken, else every poll interval; the rounds of chores
that are due before each pass; back-off after a failed pass; another pass at once after a full batch;
and stopping after the pass in progress, so no transaction is cut off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from dishka import AsyncContainer

from agentry.entrypoints.relay.wakeup import RelayWakeup

LONGEST_BACK_OFF_S = 30.0


class Chores(Protocol):
    """Rounds of work between passes, each on its own timetable."""

    async def run_due(self, container: AsyncContainer) -> None: ...

    def due_in(self) -> float: ...


async def keep_passing(
    container: AsyncContainer,
    wakeup: RelayWakeup,
    woken: asyncio.Event,
    one_pass: Callable[[AsyncContainer], Awaitable[bool]],
    *,
    chores: Chores,
    poll_interval_s: float,
    log: logging.Logger,
    gap_s: float = 0.0,
) -> None:
    """Run `one_pass` (True: it had a full batch, go again) until `wakeup` says stop. Passes start at
    least `gap_s` apart, so the commits of a busy moment are taken in one pass."""
    loop = asyncio.get_running_loop()
    failures = 0
    last_pass = -gap_s
    while not wakeup.stopping:
        if (gap := last_pass + gap_s - loop.time()) > 0:
            await asyncio.sleep(gap)
        woken.clear()
        last_pass = loop.time()
        await chores.run_due(container)
        try:
            full = await one_pass(container)
            failures = 0
        except Exception:
            failures += 1
            log.exception("relay pass failed (%d in a row); retrying", failures)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), min(LONGEST_BACK_OFF_S, poll_interval_s * 2**failures))
            continue
        if full:
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(woken.wait(), min(poll_interval_s, chores.due_in()))
