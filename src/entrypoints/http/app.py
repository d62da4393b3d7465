"""The Litestar application."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from importlib.metadata import version

from dishka import AsyncContainer
from dishka.integrations.litestar import DishkaRouter, setup_dishka
from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

from entrypoints.config import Settings
from entrypoints.http.account import AccountController
from entrypoints.http.api_tokens import ApiTokenController
from entrypoints.http.auth import AuthController
from entrypoints.http.authentication import SECURITY_COMPONENTS, authenticated_principal
from entrypoints.http.correlation import correlation_middleware
from entrypoints.http.health import HealthController
from entrypoints.http.live_channels import LiveChannels
from entrypoints.http.live_socket import live_socket
from entrypoints.http.problems import handle_exception
from entrypoints.http.projects import ProjectController
from entrypoints.http.read_only import read_only_middleware
from entrypoints.http.task_events import TaskEventsController
from entrypoints.http.tasks import TaskController
from entrypoints.http.users import UserController

Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]


def create_app(
    settings: Settings, container: AsyncContainer, live: LiveChannels, lifespan: Sequence[Lifespan] = ()
) -> Litestar:
    """`live`: the channels of the live endpoints; the lifespan that runs them is the caller's."""
    api = DishkaRouter(
        "/api/v1",
        route_handlers=[
            AuthController,
            AccountController,
            ApiTokenController,
            ProjectController,
            TaskController,
            UserController,
            TaskEventsController,
            live_socket,
        ],
        dependencies={
            "actor": Provide(authenticated_principal),
            "live": Provide(lambda: live, use_cache=True, sync_to_thread=False),
        },
    )
    health = DishkaRouter("/", route_handlers=[HealthController], include_in_schema=True)
    app = Litestar(
        route_handlers=[api, health],
        exception_handlers={Exception: handle_exception},
        middleware=[correlation_middleware, read_only_middleware],
        request_max_body_size=settings.max_request_bytes,
        lifespan=list(lifespan),
        openapi_config=OpenAPIConfig(
            title="Agentry",
            version=version("agentry"),
            description="Runs AI coding-agent tasks for teams. Errors are RFC 9457 problem documents.",
            path="/schema",
            components=SECURITY_COMPONENTS,
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
    )
    setup_dishka(container, app)
    return app
