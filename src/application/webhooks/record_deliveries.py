"""Subscriber: each domain event a webhook carries becomes one delivery per subscribed endpoint.

It runs in the event relay's transaction, so the delivery rows are committed with the mark that the
event was handed out, or not at all (the relay then hands the event out again); a repeat is ignored by
the store (one delivery per endpoint, event and type). The body is made here, once: every attempt of
the delivery sends the same bytes under the same `webhook-id`.

A relay pass reads the active endpoints of all the projects its batch's events belong to at once, as it
starts (`prepare`: one statement a pass, however many projects), not a project at a time as it goes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.webhooks.ports import EventPayloads, WebhookDeliveryRepository, WebhookEndpointRepository
from agentry.domain.webhooks.delivery import WebhookDelivery
from agentry.domain.webhooks.endpoint import WebhookEndpoint
from agentry.domain.webhooks.events import EVENT_TYPES, webhook_types_of


def body_of(event_id: UUID, event_type: str, at: datetime, data: Any) -> str:
    return json.dumps(
        {"id": str(event_id), "type": event_type, "timestamp": at.isoformat(), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )


@dataclass(slots=True)
class RecordWebhookDeliveries:
    endpoints: WebhookEndpointRepository
    deliveries: WebhookDeliveryRepository
    payloads: EventPayloads
    clock: Clock
    ids: IdGenerator
    # how many deliveries this instance (one relay pass) recorded: the relay hands them to the workers
    # at once, and otherwise looks for due ones (retries, redeliveries, pings) only now and then
    recorded: list[int] = field(default_factory=lambda: [0], init=False)
    _active: dict[UUID, list[WebhookEndpoint]] = field(default_factory=dict, init=False)  # by project, this pass

    @property
    def name(self) -> str:
        return "webhooks"

    def wants(self, event_type: str) -> bool:
        return event_type in EVENT_TYPES

    async def prepare(self, batch: Sequence[StoredEvent]) -> None:
        await self._read_endpoints({project for stored in batch if (project := _project_of(stored)) is not None})

    async def handle(self, stored: StoredEvent) -> None:
        event = stored.event
        types = webhook_types_of(event)
        project_id = _project_of(stored)
        if not types or project_id is None:
            return
        if project_id not in self._active:  # not prepared with the batch
            await self._read_endpoints({project_id})
        endpoints = [endpoint for endpoint in self._active[project_id] if any(map(endpoint.subscribes_to, types))]
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

    async def _read_endpoints(self, project_ids: set[UUID]) -> None:
        if missing := project_ids - self._active.keys():
            self._active.update(await self.endpoints.active_in(missing))


def _project_of(stored: StoredEvent) -> UUID | None:
    """The project of an event webhooks carry."""
    project_id = stored.event.data.get("project_id")
    if stored.event.type not in EVENT_TYPES or not isinstance(project_id, str):
        return None
    return UUID(project_id)
