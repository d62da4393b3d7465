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
from litestar.types import ASGIApp
from litestar.utils import ensure_async_callable

from agentry.entrypoints.config import Settings, quotas
from agentry.entrypoints.graphql.controller import graphql_controller
from agentry.entrypoints.http.chat.controller import ChatController
from agentry.entrypoints.http.chat.public import PublicChatController
from agentry.entrypoints.http.chat.tools import AgentToolsController
from agentry.entrypoints.http.documents.controller import DocumentController
from agentry.entrypoints.http.documents.search import SearchController
from agentry.entrypoints.http.export.controller import ExportController
from agentry.entrypoints.http.health import HealthController
from agentry.entrypoints.http.identity.routes import IDENTITY_ROUTES
from agentry.entrypoints.http.kit.admission import Admission, admission_middleware
from agentry.entrypoints.http.kit.admission_docs import document_overload
from agentry.entrypoints.http.kit.allow import allow_every_method
from agentry.entrypoints.http.kit.api_docs import docs_asset, render_plugins
from agentry.entrypoints.http.kit.authentication import SECURITY_COMPONENTS, authenticated_principal
from agentry.entrypoints.http.kit.caching import caching_middleware, document_validation
from agentry.entrypoints.http.kit.client_address import ClientAddresses
from agentry.entrypoints.http.kit.correlation import correlation_middleware
from agentry.entrypoints.http.kit.json_depth import depth_check
from agentry.entrypoints.http.kit.metrics import metrics_middleware
from agentry.entrypoints.http.kit.observe import observe_middleware
from agentry.entrypoints.http.kit.openapi_contract import complete_document
from agentry.entrypoints.http.kit.problems import handle_exception
from agentry.entrypoints.http.kit.rate_limit_docs import document_refusals
from agentry.entrypoints.http.kit.rate_limits import rate_limit_middleware
from agentry.entrypoints.http.kit.read_only import read_only_middleware
from agentry.entrypoints.http.kit.security_headers import add_security_headers
from agentry.entrypoints.http.kit.validators import strict_query_middleware
from agentry.entrypoints.http.knowledge.entities import EntityController
from agentry.entrypoints.http.knowledge.graph import GraphController
from agentry.entrypoints.http.knowledge.relationships import RelationshipController
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.http.live.routes import LIVE_ROUTES
from agentry.entrypoints.http.projects.controller import ProjectController
from agentry.entrypoints.http.projects.invitations import InvitationController, ProjectInvitationController
from agentry.entrypoints.http.publishing.controller import PublicationController
from agentry.entrypoints.http.publishing.public import PublicPublicationController
from agentry.entrypoints.http.reports.controller import ReportController
from agentry.entrypoints.http.tasks.controller import TaskController
from agentry.entrypoints.http.webhooks.controller import WebhookController

Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]


def create_app(
    settings: Settings, container: AsyncContainer, live: LiveChannels, lifespan: Sequence[Lifespan] = ()
) -> Litestar:
    """`live`: the channels of the live endpoints; the lifespan that runs them is the caller's."""
    api = DishkaRouter(
        "/api/v1",
        route_handlers=[
            *IDENTITY_ROUTES,
            ExportController,
            ProjectController,
            ProjectInvitationController,
            InvitationController,
            TaskController,
            ReportController,
            WebhookController,
            ChatController,
            PublicChatController,
            AgentToolsController,
            DocumentController,
            SearchController,
            PublicationController,
            PublicPublicationController,
            EntityController,
            RelationshipController,
            GraphController,
            *LIVE_ROUTES,
        ],
        dependencies={
            "actor": Provide(authenticated_principal),
            "live": Provide(lambda: live, use_cache=True, sync_to_thread=False),
        },
    )
    addresses = ClientAddresses(settings.trusted_proxies)
    admission = Admission(settings.http_concurrency, settings.http_queue, settings.http_queue_wait_ms / 1000)
    admitted = admission_middleware(admission, handle_exception)
    middleware: list[Callable[[ASGIApp], ASGIApp]] = [
        admitted,
        caching_middleware,
        read_only_middleware,
    ]
    if settings.metrics_enabled:
        middleware.insert(0, metrics_middleware)
    if settings.rate_limiting:
        middleware.append(rate_limit_middleware(quotas(settings), addresses, handle_exception))
    middleware.append(strict_query_middleware)  # last: where a guard would run
    health = DishkaRouter("/", route_handlers=[HealthController], include_in_schema=True)
    app = Litestar(
        route_handlers=[api, health, docs_asset, graphql_controller(settings, live)],
        exception_handlers={Exception: handle_exception},
        middleware=middleware,
        request_max_body_size=settings.max_request_bytes,
        before_request=depth_check(settings.max_json_depth),
        before_send=[add_security_headers],
        lifespan=list(lifespan),
        logging_config=None,  # the process's logging is entrypoints/logs.py's: one format everywhere
        openapi_config=OpenAPIConfig(
            title="Agentry",
            version=version("agentry"),
            description="Runs AI coding-agent tasks for teams. Errors are RFC 9457 problem documents.",
            path="/schema",
            components=SECURITY_COMPONENTS,
            render_plugins=render_plugins(),
        ),
    )
    app.state.client_addresses = addresses
    app.state.admission = admission
    app.state.max_json_depth = settings.max_json_depth  # for the routes that read their own body
    if settings.rate_limiting:
        document_refusals(app)
    document_overload(app)
    document_validation(app)
    complete_document(app)
    app.before_send.append(ensure_async_callable(allow_every_method(app)))
    setup_dishka(container, app)
    # Outermost, around the routing too: refusals made while routing (404, 405) get an id and a log line.
    app.asgi_handler = correlation_middleware(observe_middleware(app.asgi_handler))
    return app
