"""POST /graphql (and GET for queries; GraphiQL for a browser), with strawberry's Litestar integration.
Kept out of the OpenAPI document: its contract is schema.graphql."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from strawberry.litestar import make_graphql_controller

from agentry.entrypoints.config import Settings
from agentry.entrypoints.graphql.context import AgentryContext
from agentry.entrypoints.graphql.schema_builder import build_schema
from agentry.entrypoints.http.kit.api_docs import graphiql_page
from agentry.entrypoints.http.kit.problems import problem_response
from agentry.entrypoints.http.live.channels import LiveChannels

PATH = "/graphql"


def graphql_controller(settings: Settings, live: LiveChannels | None = None) -> type:
    """`live`: the channels the subscriptions listen on (those of the REST WebSocket)."""

    async def context(request: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        websocket = request.scope["type"] == ScopeType.WEBSOCKET
        agentry = AgentryContext(
            request.state.dishka_container, request.headers.get("authorization"), scope_per_call=websocket, live=live
        )
        return {"agentry": agentry}

    introspection = settings.graphql_introspection_enabled
    schema = build_schema(settings.graphql_max_depth, settings.graphql_max_cost, introspection)
    controller = make_graphql_controller(
        schema,
        path=PATH,
        context_getter=context,
        graphql_ide="graphiql" if introspection else None,
        allow_queries_via_get=True,
    )

    class AgentryGraphQLController(controller):  # type: ignore[misc,valid-type]
        include_in_schema = False

        @property
        def graphql_ide_html(self) -> str:
            """Our copy of strawberry's GraphiQL page, whose scripts and styles the service serves
            itself (/schema/assets/) rather than unpkg.com, so it works offline as /schema does."""
            return graphiql_page()

        async def execute_request(
            self, request: Request[Any, Any, Any], context: Any, root_value: Any
        ) -> Response[Any]:
            """A request GraphQL cannot take (not JSON, no query, a mutation over GET) is a problem
            document, as REST's bad requests are, rather than strawberry's plain text."""
            try:
                response: Response[Any] = await self.run(request, context=context, root_value=root_value)
            except HTTPException as refused:
                code = "method_not_allowed" if refused.status_code == 405 else "invalid_graphql_request"
                return problem_response(refused.status_code, code, refused.reason, request)
            return response

    return AgentryGraphQLController
