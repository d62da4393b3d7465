"""/api/v1/projects/{id}/webhooks: a project's webhook endpoints (owners and maintainers), their
delivery logs, redelivery, secret rotation and ping."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter
from msgspec import UNSET

from agentry.application.webhooks.delivery_log import LOG_LIMIT_MAX, ListDeliveries, Ping, Redeliver
from agentry.application.webhooks.endpoints import (
    CreateEndpoint,
    DeleteEndpoint,
    EndpointChanges,
    GetEndpoint,
    ListEndpoints,
    NewEndpoint,
    RotateSecret,
    UpdateEndpoint,
)
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.webhooks.schemas import DeliveryBody, WebhookBody, WebhookCreate, WebhookUpdate

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]
WebhookId = Annotated[UUID, PathParameter(description="The webhook endpoint's id")]
DeliveryId = Annotated[UUID, PathParameter(description="The delivery's id")]
_READ = problem_responses(400, 401, 403, 404)
_WRITE = problem_responses(400, 401, 403, 404, 409, 422)
_ONE = "/{project_id:uuid}/webhooks/{webhook_id:uuid}"


class WebhookController(Controller):
    security = REQUIRES_BEARER
    path = "/projects"
    tags = ("webhooks",)

    @post(
        "/{project_id:uuid}/webhooks",
        status_code=201,
        summary="Register a webhook endpoint (its secret is in this answer only)",
        responses=_WRITE,
    )
    async def create(
        self, project_id: ProjectId, data: JSONBody[WebhookCreate], actor: Actor, create: FromDishka[CreateEndpoint]
    ) -> WebhookBody:
        new = NewEndpoint(data.url, frozenset(data.event_types), data.description, data.active)
        return WebhookBody.from_domain(await create(actor, project_id, new), with_secret=True)

    @get("/{project_id:uuid}/webhooks", summary="The project's webhook endpoints", responses=_READ)
    async def list_webhooks(
        self, project_id: ProjectId, actor: Actor, list_endpoints: FromDishka[ListEndpoints]
    ) -> list[WebhookBody]:
        return [WebhookBody.from_domain(e) for e in await list_endpoints(actor, project_id)]

    @get(_ONE, summary="Get a webhook endpoint", responses=_READ)
    async def get_webhook(
        self, project_id: ProjectId, webhook_id: WebhookId, actor: Actor, get_endpoint: FromDishka[GetEndpoint]
    ) -> WebhookBody:
        return WebhookBody.from_domain(await get_endpoint(actor, project_id, webhook_id))

    @patch(_ONE, summary="Change a webhook endpoint (active: true switches a disabled one on again)", responses=_WRITE)
    async def update(
        self,
        project_id: ProjectId,
        webhook_id: WebhookId,
        data: JSONBody[WebhookUpdate],
        actor: Actor,
        update: FromDishka[UpdateEndpoint],
    ) -> WebhookBody:
        changes = EndpointChanges(
            url=data.url if data.url is not UNSET else None,
            event_types=frozenset(data.event_types) if data.event_types is not UNSET else None,
            description=data.description if data.description is not UNSET else None,
            active=data.active if data.active is not UNSET else None,
        )
        return WebhookBody.from_domain(await update(actor, project_id, webhook_id, changes))

    @delete(_ONE, summary="Delete a webhook endpoint and its deliveries", responses=_WRITE)
    async def destroy(
        self, project_id: ProjectId, webhook_id: WebhookId, actor: Actor, delete_endpoint: FromDishka[DeleteEndpoint]
    ) -> None:
        await delete_endpoint(actor, project_id, webhook_id)

    @post(
        _ONE + "/rotate-secret",
        status_code=200,
        summary="A new secret (in this answer only); the previous one also signs for 24 hours",
        responses=_WRITE,
    )
    async def rotate(
        self, project_id: ProjectId, webhook_id: WebhookId, actor: Actor, rotate: FromDishka[RotateSecret]
    ) -> WebhookBody:
        return WebhookBody.from_domain(await rotate(actor, project_id, webhook_id), with_secret=True)

    @post(_ONE + "/ping", status_code=202, summary="Send a webhook.ping event to the endpoint", responses=_WRITE)
    async def ping(
        self, project_id: ProjectId, webhook_id: WebhookId, actor: Actor, ping: FromDishka[Ping]
    ) -> DeliveryBody:
        return DeliveryBody.from_domain(await ping(actor, project_id, webhook_id))

    @get(
        _ONE + "/deliveries",
        summary="The endpoint's latest deliveries, newest first, with their attempts",
        responses=_READ,
    )
    async def deliveries(
        self,
        project_id: ProjectId,
        webhook_id: WebhookId,
        actor: Actor,
        list_deliveries: FromDishka[ListDeliveries],
        limit: Annotated[int, QueryParameter(ge=1, le=LOG_LIMIT_MAX)] = 50,
    ) -> list[DeliveryBody]:
        return [DeliveryBody.from_log(d) for d in await list_deliveries(actor, project_id, webhook_id, limit)]

    @post(
        _ONE + "/deliveries/{delivery_id:uuid}/redeliver",
        status_code=202,
        summary="Send a delivery again (same webhook-id and body)",
        responses=_WRITE,
    )
    async def redeliver(
        self,
        project_id: ProjectId,
        webhook_id: WebhookId,
        delivery_id: DeliveryId,
        actor: Actor,
        redeliver: FromDishka[Redeliver],
    ) -> DeliveryBody:
        return DeliveryBody.from_domain(await redeliver(actor, project_id, webhook_id, delivery_id))
