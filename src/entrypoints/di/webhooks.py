"""Webhooks: endpoints and deliveries on SQLAlchemy (secrets sealed), the signed HTTP sender, the
queue to the workers, and the use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from dishka import Provider, Scope, provide, provide_all
from dramatiq import Broker
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.dramatiq.webhook_queue import DramatiqDeliveryQueue
from agentry.adapters.http_client.signed_sender import HttpxWebhookSender
from agentry.adapters.sqlalchemy.webhooks.repository import (
    Sealer,
    SqlAlchemyWebhookDeliveries,
    SqlAlchemyWebhookEndpoints,
)
from agentry.adapters.system.webhook_secrets import RandomSpread, RandomWebhookSecrets
from agentry.application.webhooks.deliver import DeliverWebhook
from agentry.application.webhooks.delivery_log import ListDeliveries, Ping, Redeliver
from agentry.application.webhooks.dispatch import DispatchDeliveries
from agentry.application.webhooks.endpoints import (
    CreateEndpoint,
    DeleteEndpoint,
    EndpointPorts,
    GetEndpoint,
    ListEndpoints,
    RotateSecret,
    UpdateEndpoint,
)
from agentry.application.webhooks.ports import (
    DeliveryQueue,
    EventPayloads,
    SecretSource,
    Spread,
    WebhookDeliveryRepository,
    WebhookEndpointRepository,
    WebhookSender,
    WebhookSettings,
)
from agentry.application.webhooks.record_deliveries import RecordWebhookDeliveries
from agentry.domain.events import DomainEvent
from agentry.domain.webhooks.delivery import RetrySchedule
from agentry.domain.webhooks.endpoint import DisablePolicy
from agentry.entrypoints.config import Settings
from agentry.entrypoints.http.documents.webhook_payloads import DocumentPayloads
from agentry.entrypoints.http.knowledge.webhook_payloads import KnowledgePayloads
from agentry.entrypoints.http.tasks.webhook_payloads import TaskPayloads
from agentry.entrypoints.secret_key import load_sealer

SEALING_PURPOSE = b"agentry webhook signing secrets at rest, v1"


def webhook_settings(settings: Settings) -> WebhookSettings:
    delays = tuple(float(part) for part in settings.webhook_retry_schedule.split(","))
    return WebhookSettings(
        schedule=RetrySchedule(delays),
        disable=DisablePolicy(settings.webhook_disable_after_failures, settings.webhook_disable_after_s),
        timeout_s=settings.webhook_timeout_s,
        allow_http=settings.webhook_allow_http,
        allow_private=settings.webhook_allow_private,
        max_in_flight_per_endpoint=settings.webhook_max_in_flight,
    )


class ApiPayloads:
    """A document's events carry the document as the API shows it, an entity's or relationship's that
    fact; every other event goes to the tasks' payloads (the task as the API shows it, or the event's own
    data)."""

    def __init__(self, tasks: TaskPayloads, documents: DocumentPayloads, knowledge: KnowledgePayloads) -> None:
        self._tasks = tasks
        self._documents = documents
        self._knowledge = knowledge

    async def data_of(self, event: DomainEvent) -> Any:
        if event.aggregate_type == DocumentPayloads.aggregate:
            return await self._documents.data_of(event)
        if event.aggregate_type in KnowledgePayloads.aggregates:
            return await self._knowledge.data_of(event)
        return await self._tasks.data_of(event)


class WebhooksProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def settings(self, settings: Settings) -> WebhookSettings:
        return webhook_settings(settings)

    @provide(scope=Scope.APP)
    def sealer(self, settings: Settings) -> Sealer:
        return load_sealer(settings, SEALING_PURPOSE)

    @provide(scope=Scope.APP)
    async def sender(self, settings: Settings) -> AsyncIterator[WebhookSender]:
        sender = HttpxWebhookSender(
            timeout_s=settings.webhook_timeout_s,
            allow_private=settings.webhook_allow_private,
            allow_http=settings.webhook_allow_http,
            max_body_bytes=settings.webhook_response_max_bytes,
        )
        yield sender
        await sender.aclose()

    @provide(scope=Scope.APP)
    def queue(self, broker: Broker) -> DeliveryQueue:
        return DramatiqDeliveryQueue(broker)

    @provide
    def endpoints(self, session: AsyncSession, sealer: Sealer) -> WebhookEndpointRepository:
        return SqlAlchemyWebhookEndpoints(session, sealer)

    deliveries = provide(SqlAlchemyWebhookDeliveries, provides=WebhookDeliveryRepository)
    payloads = provide(ApiPayloads, provides=EventPayloads)
    task_payloads = provide(TaskPayloads)
    document_payloads = provide(DocumentPayloads)
    knowledge_payloads = provide(KnowledgePayloads)
    secrets = provide(RandomWebhookSecrets, provides=SecretSource, scope=Scope.APP)
    spread = provide(RandomSpread, provides=Spread, scope=Scope.APP)

    use_cases = provide_all(
        EndpointPorts,
        CreateEndpoint,
        ListEndpoints,
        GetEndpoint,
        UpdateEndpoint,
        DeleteEndpoint,
        RotateSecret,
        ListDeliveries,
        Redeliver,
        Ping,
        RecordWebhookDeliveries,
        DispatchDeliveries,
        DeliverWebhook,
    )
