"""Registering a project's webhook endpoints: owners and maintainers (and admins) manage them; the
policy decides. A project the actor may not read does not exist for them (404); one they may read but
not manage is a 403. The secret is shown once, when made (created or rotated)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require, require_existing_project, require_project_reader
from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.webhooks.ports import SecretSource, WebhookEndpointRepository, WebhookSettings
from agentry.domain.principal import Principal
from agentry.domain.webhooks.endpoint import (
    ROTATION_GRACE,
    WebhookEndpoint,
    checked_description,
    checked_event_types,
    checked_url,
)


@dataclass(frozen=True, slots=True)
class EndpointPorts:
    endpoints: WebhookEndpointRepository
    projects: ProjectRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    secrets: SecretSource
    settings: WebhookSettings


@dataclass(frozen=True, slots=True)
class NewEndpoint:
    url: str
    event_types: frozenset[str]
    description: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class EndpointChanges:
    url: str | None = None
    event_types: frozenset[str] | None = None
    description: str | None = None
    active: bool | None = None


def allowed_url(settings: WebhookSettings, url: str) -> str:
    return checked_url(url, allow_http=settings.allow_http, allow_private=settings.allow_private)


async def managed_project(ports: EndpointPorts, actor: Principal, project_id: UUID) -> None:
    require_project_reader(ports.policy, actor, project_id)
    await require_existing_project(ports.projects, project_id)
    require(ports.policy, actor, Action.MANAGE_WEBHOOKS, Resource.of_project(project_id))


async def managed_endpoint(
    ports: EndpointPorts, actor: Principal, project_id: UUID, endpoint_id: UUID, *, for_update: bool = False
) -> WebhookEndpoint:
    await managed_project(ports, actor, project_id)
    endpoint = await ports.endpoints.get(endpoint_id, for_update=for_update)
    if endpoint is None or endpoint.project_id != project_id:
        raise NotFound("webhook", endpoint_id)
    return endpoint


@dataclass(frozen=True, slots=True)
class CreateEndpoint:
    ports: EndpointPorts

    async def __call__(self, actor: Principal, project_id: UUID, new: NewEndpoint) -> WebhookEndpoint:
        ports = self.ports
        await managed_project(ports, actor, project_id)
        now = ports.clock.now()
        endpoint = WebhookEndpoint(
            id=ports.ids.new_id(),
            project_id=project_id,
            url=allowed_url(ports.settings, new.url),
            event_types=checked_event_types(new.event_types),
            description=checked_description(new.description),
            active=new.active,
            secret=ports.secrets.new_secret(),
            created_at=now,
            updated_at=now,
        )
        await ports.endpoints.add(endpoint)
        await ports.uow.commit()
        return endpoint


@dataclass(frozen=True, slots=True)
class ListEndpoints:
    ports: EndpointPorts

    async def __call__(self, actor: Principal, project_id: UUID) -> list[WebhookEndpoint]:
        await managed_project(self.ports, actor, project_id)
        return await self.ports.endpoints.of_project(project_id)


@dataclass(frozen=True, slots=True)
class GetEndpoint:
    ports: EndpointPorts

    async def __call__(self, actor: Principal, project_id: UUID, endpoint_id: UUID) -> WebhookEndpoint:
        return await managed_endpoint(self.ports, actor, project_id, endpoint_id)


@dataclass(frozen=True, slots=True)
class UpdateEndpoint:
    ports: EndpointPorts

    async def __call__(
        self, actor: Principal, project_id: UUID, endpoint_id: UUID, changes: EndpointChanges
    ) -> WebhookEndpoint:
        ports = self.ports
        endpoint = await managed_endpoint(ports, actor, project_id, endpoint_id, for_update=True)
        url = allowed_url(ports.settings, changes.url) if changes.url is not None else None
        endpoint.change(
            ports.clock.now(),
            url=url,
            event_types=changes.event_types,
            description=changes.description,
            active=changes.active,
        )
        await ports.endpoints.save(endpoint)
        await ports.uow.commit()
        return endpoint


@dataclass(frozen=True, slots=True)
class DeleteEndpoint:
    ports: EndpointPorts

    async def __call__(self, actor: Principal, project_id: UUID, endpoint_id: UUID) -> None:
        endpoint = await managed_endpoint(self.ports, actor, project_id, endpoint_id, for_update=True)
        await self.ports.endpoints.remove(endpoint.id)
        await self.ports.uow.commit()


@dataclass(frozen=True, slots=True)
class RotateSecret:
    """A new secret (shown once); the previous one keeps signing alongside it for 24 hours."""

    ports: EndpointPorts

    async def __call__(self, actor: Principal, project_id: UUID, endpoint_id: UUID) -> WebhookEndpoint:
        ports = self.ports
        endpoint = await managed_endpoint(ports, actor, project_id, endpoint_id, for_update=True)
        endpoint.rotate(ports.secrets.new_secret(), ports.clock.now(), ROTATION_GRACE)
        await ports.endpoints.save(endpoint)
        await ports.uow.commit()
        return endpoint
