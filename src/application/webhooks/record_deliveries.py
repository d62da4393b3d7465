"""Subscriber: each domain event a webhook carries becomes one delivery per subscribed endpoint.

It runs in the event relay's transaction, so the delivery rows are committed with the mark that the
event was handed out, or not at all (the relay then hands the event out again); a repeat is ignored by
the store (one delivery per endpoint, event and type). The body is made here, once: every attempt of
the delivery sends the same bytes under the same `webhook-id`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.webhooks.ports import EventPayloads, WebhookDeliveryRepository, WebhookEndpointRepository
from agentry.domain.webhooks.delivery import WebhookDelivery
from agentry.domain.webhooks.events import EVENT_TYPES, webhook_types_of


def body_of(event_id: UUID, event_type: str, at: datetime, data: Any) -> str:
    return json.dumps(
        {"id": str(event_id), "type": event_type, "timestamp": at.isoformat(), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )


@dataclass(frozen=True, slots=True)
class RecordWebhookDeliveries:
    endpoints: WebhookEndpointRepository
    deliveries: WebhookDeliveryRepository
    payloads: EventPayloads
    clock: Clock
    ids: IdGenerator
    # how many deliveries this instance (one relay pass) recorded: the relay hands them to the workers
    # at once, and otherwise looks for due ones (retries, redeliveries, pings) only now and then
    recorded: list[int] = field(default_factory=lambda: [0], init=False)

    @property
    def name(self) -> str:
        return "webhooks"

    def wants(self, event_type: str) -> bool:
        return event_type in EVENT_TYPES

    async def handle(self, stored: StoredEvent) -> None:
        event = stored.event
        types = webhook_types_of(event)
        project_id = event.data.get("project_id")
        if not types or not isinstance(project_id, str):
            return
        endpoints = await self.endpoints.subscribed(UUID(project_id), types)
        if not endpoints:
            return
        data = await self.payloads.data_of(event)
        now = self.clock.now()
        deliveries = [
            WebhookDelivery.new(
                self.ids.new_id(),
                endpoint.id,
                stored.id,
                kind,
                event.aggregate_id,
                stored.position,
                body_of(stored.id, kind, event.occurred_at, data),
                now,
            )
            for kind in types
            for endpoint in endpoints
            if endpoint.subscribes_to(kind)
        ]
        await self.deliveries.add_new(deliveries)
        self.recorded[0] += len(deliveries)
