"""The job relay loop: hands due queue jobs to the broker; run by `serve` and by each `worker` process."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from dishka import AsyncContainer

from agentry.application.tasks.dispatch.relay_outbox import RelayOutbox
from agentry.application.tasks.run.recover_lost_executions import RecoverySettings
from agentry.entrypoints.relay.recovery import RecoveryRounds
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL

log = logging.getLogger("agentry.relay")


async def run_relay(container: AsyncContainer, wakeup: RelayWakeup, poll_interval_s: float) -> None:
    """Dispatch due work until asked to stop: at once after a commit that wrote jobs, else every
    poll interval. Stopping lets the current pass finish, so no transaction is cut off. Between
    passes it recovers lost work (see entrypoints.recovery), before sending, so what it re-queues
    goes out in the same pass."""
    woken = wakeup.jobs.bind()
    failures = 0
    recovery = RecoveryRounds(await container.get(RecoverySettings))
    while not wakeup.stopping:
        woken.clear()
        await recovery.run_due(container)
        try:
            async with container() as request:
                relay = await request.get(RelayOutbox)
                report = await relay(SYSTEM_PRINCIPAL)
            failures = 0
        except Exception:
            failures += 1
            log.exception("outbox relay pass failed (%d in a row); retrying", failures)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), min(30.0, poll_interval_s * 2**failures))
            continue
        if report.failed:
            log.warning("broker unavailable: %d job(s) wait in the outbox", report.failed)
        if report.full_batch:
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(woken.wait(), min(poll_interval_s, recovery.due_in()))
