"""One attempt of one delivery, on a worker: take it (the message must carry its latest token, so a
duplicate or outdated message does nothing), sign and send it outside any transaction, then record
the attempt and what follows: done, failed, or the time of the next attempt. An endpoint whose
deliveries keep failing is disabled (see domain.webhooks.endpoint)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.webhooks.ports import (
    Spread,
    WebhookDeliveryRepository,
    WebhookEndpointRepository,
    WebhookSender,
    WebhookSettings,
)
from agentry.domain.principal import Principal
from agentry.domain.webhooks.delivery import AttemptOutcome, DeliveryStatus, WebhookDelivery
from agentry.domain.webhooks.signing import headers


@dataclass(frozen=True, slots=True)
class DeliverWebhook:
    deliveries: WebhookDeliveryRepository
    endpoints: WebhookEndpointRepository
    sender: WebhookSender
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    spread: Spread
    settings: WebhookSettings

    async def __call__(self, actor: Principal, delivery_id: UUID, token: UUID) -> DeliveryStatus | None:
        """The delivery's status after this attempt; None if the message was not the latest for it."""
        require(self.policy, actor, Action.DISPATCH_WORK)
        settings = self.settings
        delivery = await self.deliveries.get(delivery_id)
        if delivery is None or delivery.status is not DeliveryStatus.PENDING or delivery.lease_token != token:
            await self.uow.rollback()
            return None
        endpoint = await self.endpoints.get(delivery.endpoint_id)
        now = self.clock.now()
        if endpoint is None or not endpoint.active:
            return await self._refused(delivery_id, token, now)
        attempt_ends = now + timedelta(seconds=settings.timeout_s + 5.0)
        if delivery.leased_until is None or delivery.leased_until < attempt_ends:  # waited long in the queue
            delivery.leased_until = now + timedelta(seconds=settings.timeout_s + settings.lease_margin_s)
            await self.deliveries.save(delivery)
            await self.uow.commit()
        else:
            await self.uow.rollback()  # only read: the dispatcher's lease covers the attempt
        url, secrets, body = endpoint.url, endpoint.signing_secrets(now), delivery.body.encode()

        started = self.clock.now()
        began = time.monotonic()
        outcome = await self.sender.send(
            url, headers(secrets, delivery.message_id, int(started.timestamp()), body), body
        )
        if outcome.duration_ms == 0:
            outcome = AttemptOutcome(
                outcome.status_code,
                outcome.error,
                outcome.excerpt,
                round((time.monotonic() - began) * 1000),
                outcome.retry_after_s,
                outcome.refused,
            )

        delivery = await self.deliveries.get(delivery_id, for_update=True)
        if delivery is None or delivery.lease_token != token or delivery.status is not DeliveryStatus.PENDING:
            await self.uow.rollback()  # deleted, or redelivered by hand meanwhile: that attempt counts
            return None
        now = self.clock.now()
        attempt = delivery.record(outcome, started, now, settings.schedule, self.spread())
        await self.deliveries.add_attempt(attempt)
        await self.deliveries.save(delivery)
        healthy = endpoint.consecutive_failures == 0
        status = _status_of(delivery)  # record() moved it on
        if status is DeliveryStatus.FAILED or (status is DeliveryStatus.SUCCEEDED and not healthy):
            endpoint = await self.endpoints.get(delivery.endpoint_id, for_update=True)
            if endpoint is not None:
                if status is DeliveryStatus.SUCCEEDED:
                    endpoint.delivered()
                else:
                    endpoint.failed(now, settings.disable)
                await self.endpoints.save(endpoint)
        await self.uow.commit()
        return status

    async def _refused(self, delivery_id: UUID, token: UUID, now: datetime) -> DeliveryStatus | None:
        """The endpoint was disabled (or deleted) since: the delivery ends failed, unsent."""
        delivery = await self.deliveries.get(delivery_id, for_update=True)
        if delivery is None or delivery.status is not DeliveryStatus.PENDING or delivery.lease_token != token:
            await self.uow.rollback()
            return None
        outcome = AttemptOutcome(None, "the endpoint is disabled", "", 0, refused=True)
        attempt = delivery.record(outcome, now, now, self.settings.schedule, self.spread())
        await self.deliveries.add_attempt(attempt)
        await self.deliveries.save(delivery)
        await self.uow.commit()
        return _status_of(delivery)


def _status_of(delivery: WebhookDelivery) -> DeliveryStatus:
    return delivery.status
