"""The actor that makes one attempt of one webhook delivery (on the webhooks queue, beside the runs).

The attempt runs as a task on the worker's event loop, and the actor returns at once: no worker thread
waits on a receiver, so slow receivers hold no threads from runs or from other endpoints' deliveries
(how many attempts are in flight per endpoint is bounded by the dispatcher's leases,
AGENTRY_WEBHOOK_MAX_IN_FLIGHT). An attempt cut short (the worker stopped or died) is offered again
when its lease runs out, under the same webhook-id.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from uuid import UUID

import dramatiq

from agentry.adapters.dramatiq.brokers import DELIVER_WEBHOOK_ACTOR, WEBHOOKS_QUEUE
from agentry.application.webhooks.deliver import DeliverWebhook
from agentry.application.webhooks.dispatch import DispatchDeliveries
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL
from agentry.entrypoints.worker.dishka_dramatiq import DishkaMiddleware

log = logging.getLogger("agentry.webhooks")
ACTOR_TIME_LIMIT_MS = 60 * 1000
ACTOR_MAX_RETRIES = 3
# Lower is sooner: a worker thread that frees up takes a waiting delivery (it only starts the attempt)
# before the next run.
ACTOR_PRIORITY = -1
_in_flight: set[asyncio.Task[None]] = set()  # kept referenced until done


def declare_webhook_actor(broker: dramatiq.Broker, dishka: DishkaMiddleware) -> dramatiq.Actor[Any, Any]:
    async def attempt(delivery_id: UUID, token: UUID) -> None:
        try:
            async with dishka.container() as request:
                deliver = await request.get(DeliverWebhook)
                await deliver(SYSTEM_PRINCIPAL, delivery_id, token)
            # The attempt freed a place of its endpoint: what waited behind it goes out now, not at the
            # API's next relay pass.
            async with dishka.container() as request:
                dispatch = await request.get(DispatchDeliveries)
                sent = await dispatch(SYSTEM_PRINCIPAL)
            if sent.error:
                log.warning("webhook deliveries not handed on (the relay offers them again): %s", sent.error)
        except Exception:  # the lease runs out and the delivery is offered again
            log.exception(
                "webhook delivery %s: the attempt failed; it is offered again when its lease ends", delivery_id
            )

    async def deliver_webhook(delivery_id: str, token: str) -> None:
        task = asyncio.get_running_loop().create_task(attempt(UUID(delivery_id), UUID(token)))
        _in_flight.add(task)
        task.add_done_callback(_in_flight.discard)

    declare = dramatiq.actor(
        broker=broker,
        actor_name=DELIVER_WEBHOOK_ACTOR,
        queue_name=WEBHOOKS_QUEUE,
        time_limit=ACTOR_TIME_LIMIT_MS,
        max_retries=ACTOR_MAX_RETRIES,
        min_backoff=1_000,
        max_backoff=10_000,
        priority=ACTOR_PRIORITY,
    )
    return declare(deliver_webhook)
