"""/api/v1/auth/tokens: personal API tokens, for automation."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from agentry.application.account.api_tokens import CreateApiToken, ListApiTokens, RevokeApiToken
from agentry.domain.principal import Principal
from agentry.entrypoints.http.identity.account_schemas import (
    ApiTokenBody,
    ApiTokenCreate,
    ApiTokenPageBody,
    NewApiTokenBody,
)
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.security_headers import NO_STORE
from agentry.entrypoints.http.kit.validators import refuse_nul

Actor = NamedDependency[Principal]
TokenId = Annotated[UUID, PathParameter(description="The API token's id")]


class ApiTokenController(Controller):
    security = REQUIRES_BEARER
    path = "/auth/tokens"
    tags = ("account",)

    @post(
        "/",
        status_code=201,
        summary="Create a personal API token",
        cache_control=NO_STORE,
        description="The answer holds the secret (`token`), the only time it is shown. The token acts with your "
        "rights until it expires or is revoked. Needs a login session (an API token cannot create another); "
        "at most 50 usable tokens at once (a 409 beyond).",
        responses=problem_responses(400, 401, 403, 409, 422),
    )
    async def create(
        self, data: JSONBody[ApiTokenCreate], actor: Actor, create_token: FromDishka[CreateApiToken]
    ) -> NewApiTokenBody:
        refuse_nul(data.name, "name")
        return NewApiTokenBody.from_domain(await create_token(actor, data.name, data.expires_in_days))

    @get(
        "/",
        summary="Your personal API tokens, oldest first (revoked and expired ones too)",
        responses=problem_responses(400, 401, 403),
    )
    async def list_tokens(
        self,
        actor: Actor,
        list_tokens: FromDishka[ListApiTokens],
        after: Annotated[UUID | None, QueryParameter(description="next_after of the previous page")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
    ) -> ApiTokenPageBody:
        page = await list_tokens(actor, after=after, limit=limit)
        return ApiTokenPageBody([ApiTokenBody.from_domain(t, page.as_of) for t in page.items], page.next_after)

    @delete(
        "/{token_id:uuid}",
        summary="Revoke one of your API tokens (it stops working at once)",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def revoke(self, token_id: TokenId, actor: Actor, revoke_token: FromDishka[RevokeApiToken]) -> None:
        await revoke_token(actor, token_id)
