"""What every resolver gets: the caller (authenticated on first use, as REST authenticates), the request's
dishka container, and the loaders that batch reads of a page's related objects.

The request's use cases share one database session, which allows one statement at a time; GraphQL
resolves sibling fields concurrently, so every use case call here takes the request's lock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from dishka import AsyncContainer
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from agentry.application.errors import Unauthenticated
from agentry.application.identity.authenticate import Authenticate
from agentry.application.knowledge.read import RelationshipsOf
from agentry.application.projects.get_projects import GetProjects
from agentry.application.tasks.latest_executions import LatestExecutions
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project
from agentry.domain.tasks.executions import TaskExecution
from agentry.entrypoints.http.kit.observe import note_user
from agentry.entrypoints.http.live.channels import LiveChannels

T = TypeVar("T")


def bearer_credential(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` value, refused as REST refuses it."""
    if not authorization:
        raise Unauthenticated("this endpoint needs an 'Authorization: Bearer <token>' header")
    scheme, _, credential = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return credential.strip()


@dataclass
class AgentryContext:
    container: AsyncContainer
    authorization: str | None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _principal: Principal | None = None
    # A WebSocket's container is its session's: each use case then runs in a request scope of its own,
    # so a long subscription holds no database session.
    scope_per_call: bool = False
    live: LiveChannels | None = None  # the channels of the live endpoints, for subscriptions
    projects: DataLoader[UUID, Project | None] = field(init=False)
    latest_executions: DataLoader[UUID, TaskExecution | None] = field(init=False)
    relationships_of: DataLoader[tuple[UUID, UUID], list[Relationship]] = field(init=False)  # (project, entity)

    def __post_init__(self) -> None:
        self.projects = DataLoader(load_fn=self._load_projects)
        self.latest_executions = DataLoader(load_fn=self._load_latest_executions)
        self.relationships_of = DataLoader(load_fn=self._load_relationships_of)

    async def principal(self) -> Principal:
        async with self.lock:
            return await self._principal_locked()

    async def authenticate_again(self) -> Principal:
        """The caller as the credential shows them now (a long subscription re-checks it)."""
        async with self.lock:
            self._principal = None
            return await self._principal_locked()

    async def _principal_locked(self) -> Principal:
        if self._principal is None:
            credential = bearer_credential(self.authorization)
            authenticate: Authenticate
            if self.scope_per_call:
                async with self.container() as scoped:
                    authenticate = await scoped.get(Authenticate)
                    self._principal = await authenticate(credential)
            else:
                authenticate = await self.container.get(Authenticate)
                self._principal = await authenticate(credential)
            note_user(str(self._principal.id))  # for the access log
        return self._principal

    async def call(self, kind: type[T], run: Callable[[T, Principal], Awaitable[Any]]) -> Any:
        """Resolve the use case `kind` and run it as the caller, one use case at a time."""
        async with self.lock:
            actor = await self._principal_locked()
            if self.scope_per_call:
                async with self.container() as scoped:
                    return await run(await scoped.get(kind), actor)
            return await run(await self.container.get(kind), actor)

    async def _load_projects(self, ids: list[UUID]) -> list[Project | None]:
        found: dict[UUID, Project] = await self.call(GetProjects, lambda use, actor: use(actor, ids))
        return [found.get(i) for i in ids]

    async def _load_latest_executions(self, ids: list[UUID]) -> list[TaskExecution | None]:
        found: dict[UUID, TaskExecution] = await self.call(LatestExecutions, lambda use, actor: use(actor, ids))
        return [found.get(i) for i in ids]

    async def _load_relationships_of(self, keys: list[tuple[UUID, UUID]]) -> list[list[Relationship]]:
        """One use case call per project among the keys (a page of entities is one project's)."""
        found: dict[tuple[UUID, UUID], list[Relationship]] = {}
        for project_id in dict.fromkeys(p for p, _ in keys):
            ids = [e for p, e in keys if p == project_id]
            of: dict[UUID, list[Relationship]] = await self.call(RelationshipsOf, _relationships_of(project_id, ids))
            found.update({(project_id, e): rs for e, rs in of.items()})
        return [found.get(k, []) for k in keys]


def _relationships_of(
    project_id: UUID, ids: list[UUID]
) -> Callable[[RelationshipsOf, Principal], Awaitable[dict[UUID, list[Relationship]]]]:
    async def run(use: RelationshipsOf, actor: Principal) -> dict[UUID, list[Relationship]]:
        return await use(actor, project_id, ids)

    return run


def context_of(info: Info[Any, Any]) -> AgentryContext:
    context: AgentryContext = info.context["agentry"]
    return context
