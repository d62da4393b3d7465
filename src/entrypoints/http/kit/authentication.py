"""Who is calling: the bearer credential of the request, turned into a principal by the Authenticate use case."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme

from agentry.application.errors import Unauthenticated
from agentry.application.identity.authenticate import Authenticate
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.observe import note_user

BEARER = "bearer"
SECURITY_COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(
            type="http",
            scheme="bearer",
            description="An access token from /api/v1/auth/login, or a personal API token (agt_…)",
        )
    }
)
REQUIRES_BEARER: list[SecurityRequirement] = [{BEARER: []}]


async def authenticated_principal(request: Request[Any, Any, Any]) -> Principal:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthenticated("this endpoint needs an 'Authorization: Bearer <token>' header")
    scheme, _, credential = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    authenticate = await request.state.dishka_container.get(Authenticate)
    principal: Principal = await authenticate(credential.strip())
    note_user(str(principal.id))  # for the access log
    return principal


async def anonymous_principal() -> Principal:
    return Principal.anonymous()


async def optional_principal(request: Request[Any, Any, Any]) -> Principal:
    """The caller if they sent a credential (which must then be valid), else the anonymous principal."""
    if "authorization" not in request.headers:
        return Principal.anonymous()
    return await authenticated_principal(request)
