"""The actor that makes one attempt of one webhook delivery (on the webhooks queue, beside the runs)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import dramatiq
from dishka import FromDishka

from agentry.adapters.dramatiq.brokers import DELIVER_WEBHOOK_ACTOR, WEBHOOKS_QUEUE
from agentry.application.webhooks.deliver import DeliverWebhook
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL
from agentry.entrypoints.worker.dishka_dramatiq import DishkaMiddleware

# The sender's own time-out ends an attempt; this is a backstop. A message that raises (the database
# was down) is tried a few times; after that the delivery's lease runs out and it is dispatched again.
ACTOR_TIME_LIMIT_MS = 10 * 60 * 1000
ACTOR_MAX_RETRIES = 3
# Lower is sooner: a worker thread that frees up takes a waiting delivery (a short attempt) before the
# next run, so a backlog of runs does not hold back the news of the runs that ended.
ACTOR_PRIORITY = -1


def declare_webhook_actor(broker: dramatiq.Broker, dishka: DishkaMiddleware) -> dramatiq.Actor[Any, Any]:
    @dishka.inject
    async def deliver_webhook(delivery_id: str, token: str, use_case: FromDishka[DeliverWebhook]) -> None:
        await use_case(SYSTEM_PRINCIPAL, UUID(delivery_id), UUID(token))

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
