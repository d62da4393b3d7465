"""An endpoint's delivery log, redelivering one delivery by hand, and the ping that tests an endpoint.
Who manages the endpoint may do these (see endpoints.py)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.errors import NotFound
from agentry.application.webhooks.endpoints import EndpointPorts, managed_endpoint
from agentry.application.webhooks.ports import WebhookDeliveryRepository
from agentry.application.webhooks.record_deliveries import body_of
from agentry.domain.errors import IllegalTransition
from agentry.domain.principal import Principal
from agentry.domain.webhooks.delivery import Attempt, DeliveryStatus, WebhookDelivery
from agentry.domain.webhooks.events import PING

LOG_LIMIT_MAX = 100


@dataclass(frozen=True, slots=True)
class LoggedDelivery:
    delivery: WebhookDelivery
    attempts: list[Attempt]


@dataclass(frozen=True, slots=True)
class ListDeliveries:
    ports: EndpointPorts
    deliveries: WebhookDeliveryRepository

    async def __call__(self, actor: Principal, project_id: UUID, endpoint_id: UUID, limit: int) -> list[LoggedDelivery]:
        await managed_endpoint(self.ports, actor, project_id, endpoint_id)
        found = await self.deliveries.of_endpoint(endpoint_id, min(max(limit, 1), LOG_LIMIT_MAX))
        attempts = await self.deliveries.attempts_of([d.id for d in found])
        return [LoggedDelivery(d, attempts.get(d.id, [])) for d in found]


@dataclass(frozen=True, slots=True)
class Redeliver:
    """Send a delivery again (it keeps its webhook-id and body), from now, with a fresh retry schedule."""

    ports: EndpointPorts
    deliveries: WebhookDeliveryRepository

    async def __call__(
        self, actor: Principal, project_id: UUID, endpoint_id: UUID, delivery_id: UUID
    ) -> WebhookDelivery:
        endpoint = await managed_endpoint(self.ports, actor, project_id, endpoint_id)
        delivery = await self.deliveries.get(delivery_id, for_update=True)
        if delivery is None or delivery.endpoint_id != endpoint.id:
            raise NotFound("delivery", delivery_id)
        if not endpoint.active:
            raise IllegalTransition("webhook", endpoint.id, "inactive", "redelivering (activate it first)")
        if delivery.status is DeliveryStatus.PENDING and delivery.leased_until is not None:
            raise IllegalTransition("delivery", delivery.id, "being sent", "redelivered")
        delivery.redeliver(self.ports.clock.now())
        await self.deliveries.save(delivery)
        await self.ports.uow.commit()
        return delivery


@dataclass(frozen=True, slots=True)
class Ping:
    """A `webhook.ping` delivery to the endpoint, sent by the workers like any other."""

    ports: EndpointPorts
    deliveries: WebhookDeliveryRepository

    async def __call__(self, actor: Principal, project_id: UUID, endpoint_id: UUID) -> WebhookDelivery:
        ports = self.ports
        endpoint = await managed_endpoint(ports, actor, project_id, endpoint_id)
        if not endpoint.active:
            raise IllegalTransition("webhook", endpoint.id, "inactive", "pinged (activate it first)")
        now = ports.clock.now()
        event_id = ports.ids.new_id()
        data = {"project_id": str(project_id), "webhook_id": str(endpoint.id)}
        body = body_of(event_id, PING, now, data)
        delivery = WebhookDelivery.new(ports.ids.new_id(), endpoint.id, event_id, PING, endpoint.id, 0, body, now)
        await self.deliveries.add_new([delivery])
        await ports.uow.commit()
        return delivery
