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
from agentry.application.projects.get_projects import GetProjects
from agentry.application.tasks.latest_executions import LatestExecutions
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

    def __post_init__(self) -> None:
        self.projects = DataLoader(load_fn=self._load_projects)
        self.latest_executions = DataLoader(load_fn=self._load_latest_executions)

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


def context_of(info: Info[Any, Any]) -> AgentryContext:
    context: AgentryContext = info.context["agentry"]
    return context
