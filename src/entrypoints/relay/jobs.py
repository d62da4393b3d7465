"""The job relay loop: hands due queue jobs to the broker; run by `serve` and by each `worker` process."""

from __future__ import annotations

import logging

from dishka import AsyncContainer

from agentry.application.tasks.dispatch.relay_outbox import RelayOutbox
from agentry.application.tasks.run.recover_lost_executions import RecoverySettings
from agentry.entrypoints.relay.passes import keep_passing
from agentry.entrypoints.relay.recovery import RecoveryRounds
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL

log = logging.getLogger("agentry.relay")


async def run_relay(container: AsyncContainer, wakeup: RelayWakeup, poll_interval_s: float) -> None:
    """Dispatch due work until asked to stop: at once after a commit that wrote jobs, else every poll
    interval. Between passes it recovers lost work (see entrypoints.relay.recovery), before sending,
    so what it re-queues goes out in the same pass."""
    recovery = RecoveryRounds(await container.get(RecoverySettings))
    await keep_passing(
        container, wakeup, wakeup.jobs.bind(), _one_pass, chores=recovery, poll_interval_s=poll_interval_s, log=log
    )


async def _one_pass(container: AsyncContainer) -> bool:
    async with container() as request:
        relay = await request.get(RelayOutbox)
        report = await relay(SYSTEM_PRINCIPAL)
    if report.failed:
        log.warning("broker unavailable: %d job(s) wait in the outbox", report.failed)
    return report.full_batch
