"""The event relay loop: hands the outbox's domain events to their subscribers. Every `serve` process
runs one (they take turns on the outbox), at once after a commit that wrote events (in this process;
a worker process's commits wake the API processes over Redis pub/sub, see entrypoints.relay.wakeup),
else every poll interval (for commits no one announced, and redeliveries after a failure). Workers run
none: delivering is the API processes' work, so a worker's event loop and database connections stay
with its runs. Between passes the relay does the outbox's housekeeping (see
entrypoints.relay.housekeeping)."""

from __future__ import annotations

import asyncio
import logging

from dishka import AsyncContainer
from litestar.channels.backends.redis import RedisChannelsPubSubBackend

from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.subscription import ChannelSubscription
from agentry.application.documents.run_ingestion import DispatchIngestion
from agentry.application.outbox.deliver_events import DeliverEvents
from agentry.application.webhooks.dispatch import DispatchDeliveries
from agentry.application.webhooks.record_deliveries import RecordWebhookDeliveries
from agentry.entrypoints.config import Settings
from agentry.entrypoints.pubsub import pubsub_redis
from agentry.entrypoints.relay.housekeeping import Housekeeping
from agentry.entrypoints.relay.jobs import run_relay
from agentry.entrypoints.relay.passes import keep_passing
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL

log = logging.getLogger("agentry.events")
# Passes start at least this far apart: under load the commits of that time go out in one pass (two
# short transactions) instead of one pass each; an event after a quiet spell goes out at once.
PASS_GAP_S = 0.04


async def run_event_relay(container: AsyncContainer, wakeup: RelayWakeup, poll_interval_s: float) -> None:
    """Deliver until asked to stop."""
    woken = wakeup.events.bind()
    chores = Housekeeping()
    one_pass = _EventPass(poll_interval_s)
    await keep_passing(
        container, wakeup, woken, one_pass, chores=chores, poll_interval_s=poll_interval_s, log=log, gap_s=PASS_GAP_S
    )


class _EventPass:
    """Hands out the events, then the work due on the workers. The webhook deliveries due: at once when
    the pass recorded some, else at most once a poll interval (retries, redeliveries and pings wait no
    longer than when all is quiet; a busy relay's passes do not each spend a transaction finding nothing
    due). The ingestion jobs due (new, backed off, or left by a dead worker): at most once a poll interval,
    at once again after a full batch (a document waits at most that long for its first step)."""

    def __init__(self, poll_interval_s: float) -> None:
        self._every_s = poll_interval_s
        self._last_dispatch = self._last_ingestion = -poll_interval_s
        self._ingestion_backlog = False

    async def __call__(self, container: AsyncContainer) -> bool:
        async with container() as request:
            deliver = await request.get(DeliverEvents)
            report = await deliver(SYSTEM_PRINCIPAL)
            recorded = (await request.get(RecordWebhookDeliveries)).recorded[0]  # the instance the pass used
        for failure in report.failures:
            log.warning("event not delivered, to be tried again: %s", failure)
        if report.given_up:
            log.error(
                "%d event(s) given up after too many failed deliveries (see domain_events.last_error)", report.given_up
            )
        full = report.full_batch
        now = asyncio.get_running_loop().time()
        if recorded or now - self._last_dispatch >= self._every_s:
            self._last_dispatch = now
            async with container() as request:  # the webhook deliveries due now (those just recorded too)
                sent = await (await request.get(DispatchDeliveries))(SYSTEM_PRINCIPAL)
            if sent.error:
                log.warning("webhook deliveries not handed to the workers, to be tried again: %s", sent.error)
            full = full or sent.full_batch
        if self._ingestion_backlog or now - self._last_ingestion >= self._every_s:
            self._last_ingestion = now
            async with container() as request:
                ingestion = await (await request.get(DispatchIngestion))(SYSTEM_PRINCIPAL)
            if ingestion.error:
                log.warning("ingestion jobs not handed to the workers, to be tried again: %s", ingestion.error)
            self._ingestion_backlog = ingestion.full_batch
            full = full or ingestion.full_batch
        return full


async def run_api_relays(container: AsyncContainer, wakeup: RelayWakeup, settings: Settings) -> None:
    """An API process's relays, side by side, until asked to stop: the job relay and the event relay,
    which, in production, also wakes when a worker process says it committed events."""
    redis = pubsub_redis(settings)
    listening = None
    if redis is not None:
        channel = ChannelNames(settings.redis_namespace).events_written()
        notify = wakeup.events.notify
        wakeups = ChannelSubscription(
            lambda: RedisChannelsPubSubBackend(redis=redis), channel, lambda _: notify(), "event wake-ups", notify
        )
        listening = asyncio.create_task(wakeups.run(), name="event-wakeups")
    try:
        await asyncio.gather(
            run_relay(container, wakeup, settings.relay_poll_interval_s),
            run_event_relay(container, wakeup, settings.relay_poll_interval_s),
        )
    finally:
        if listening is not None:
            listening.cancel()
            await asyncio.gather(listening, return_exceptions=True)
        if redis is not None:
            await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5
