"""The recovery rounds the relay loop runs between its passes: executions whose worker is lost, every
heartbeat interval; messages the broker lost, every quarter of `redispatch_after_s` (at least every
heartbeat interval, at most every minute)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from dishka import AsyncContainer

from agentry.application.tasks.dispatch.redispatch_lost_messages import RedispatchLostMessages
from agentry.application.tasks.run.recover_lost_executions import RecoverLostExecutions, RecoverySettings
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL

log = logging.getLogger("agentry.recovery")
LONGEST_REDISPATCH_CHECK_S = 60.0


class RecoveryRounds:
    def __init__(self, settings: RecoverySettings, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lost_every = settings.check_interval_s
        self._redispatch_every = min(
            max(settings.redispatch_after_s / 4, settings.check_interval_s), LONGEST_REDISPATCH_CHECK_S
        )
        self._next_lost = self._next_redispatch = clock()
        self._failing = False

    def due_in(self) -> float:
        """Seconds until the next round is due (0 if one is)."""
        return max(0.0, min(self._next_lost, self._next_redispatch) - self._clock())

    async def run_due(self, container: AsyncContainer) -> None:
        """Run the rounds that are due; a failure (the database is down) is logged and tried next time."""
        now = self._clock()
        if now >= self._next_lost:
            self._next_lost = now + self._lost_every
            await self._guarded(self._recover_lost(container))
        if now >= self._next_redispatch:
            self._next_redispatch = now + self._redispatch_every
            await self._guarded(self._redispatch(container))

    async def _guarded(self, round_: Coroutine[Any, Any, None]) -> None:
        try:
            await round_
        except Exception as error:
            if not self._failing:  # once per outage, not once per round
                log.warning("recovery round failed (%s: %s); trying again", type(error).__name__, error)
            self._failing = True
            return
        self._failing = False

    async def _recover_lost(self, container: AsyncContainer) -> None:
        async with container() as request:
            report = await (await request.get(RecoverLostExecutions))(SYSTEM_PRINCIPAL)
        if report.recovered:
            log.warning(
                "recovered %d execution(s) whose worker was lost: %d task(s) queued again, %d ended",
                report.recovered,
                report.requeued,
                report.ended,
            )

    async def _redispatch(self, container: AsyncContainer) -> None:
        async with container() as request:
            resent = await (await request.get(RedispatchLostMessages))(SYSTEM_PRINCIPAL)
        if resent:
            log.warning("%d queued task(s) never started after their message was sent: sending again", resent)
