"""/api/v1/auth: accounts and sessions."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from agentry.application.identity.get_me import GetMe
from agentry.application.identity.log_out import LogOut
from agentry.application.identity.refresh_session import RefreshSession
from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.identity.throttled_log_in import ThrottledLogIn
from agentry.application.users.delete_account import DeleteAccount
from agentry.domain.principal import Principal
from agentry.entrypoints.http.identity.schemas import (
    LoginBody,
    LogoutBody,
    RefreshBody,
    RegisterBody,
    TokenPairBody,
    UserBody,
)
from agentry.entrypoints.http.identity.user_schemas import AccountDeletion
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER, anonymous_principal, optional_principal
from agentry.entrypoints.http.kit.client_address import client_address
from agentry.entrypoints.http.kit.problems import MEDIA_TYPE, Problem, problem_responses
from agentry.entrypoints.http.kit.security_headers import NO_STORE

Actor = NamedDependency[Principal]


class AuthController(Controller):
    path = "/auth"
    tags = ("auth",)

    @post(
        "/register",
        status_code=201,
        summary="Create an account (with a personal project)",
        description="Open to anyone unless registration is turned off; admins (with their token) may always "
        "register users, including admins.",
        dependencies={"actor": Provide(optional_principal)},
        responses=problem_responses(400, 401, 403, 409, 422),
    )
    async def register(
        self, data: JSONBody[RegisterBody], actor: Actor, register: FromDishka[RegisterUser]
    ) -> UserBody:
        registration = Registration(data.email, data.password, data.display_name, data.role)
        return UserBody.from_domain(await register(actor, registration))

    @post(
        "/login",
        status_code=200,
        summary="Log in with email and password",
        description="After 5 failed logins to an account from one address, each further failure doubles the "
        "wait before the next attempt from there is looked at (1 s, 2 s, 4 s ... at most 15 min); a 429 with "
        "Retry-After says how long. A success clears the count.",
        cache_control=NO_STORE,
        dependencies={"actor": Provide(anonymous_principal)},
        responses=problem_responses(400, 401, 422),
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginBody],
        actor: Actor,
        log_in: FromDishka[ThrottledLogIn],
    ) -> TokenPairBody:
        return TokenPairBody.from_domain(await log_in(actor, data.email, data.password, client_address(request)))

    @post(
        "/refresh",
        status_code=200,
        summary="Exchange a refresh token for a new pair (the old one is spent)",
        cache_control=NO_STORE,
        description="Presenting a spent refresh token again ends its whole session.",
        dependencies={"actor": Provide(anonymous_principal)},
        responses=problem_responses(400, 401, 422),
    )
    async def refresh(
        self, data: JSONBody[RefreshBody], actor: Actor, refresh_session: FromDishka[RefreshSession]
    ) -> TokenPairBody:
        return TokenPairBody.from_domain(await refresh_session(actor, data.refresh_token))

    @post(
        "/logout",
        status_code=204,
        summary="End this session (its access and refresh tokens stop working)",
        description="A personal API token is no session: 400 /problems/not-a-session (revoke it with "
        "`DELETE /api/v1/auth/tokens/{token_id}` instead).",
        security=REQUIRES_BEARER,
        responses={
            **problem_responses(401, 403, 422),
            400: ResponseSpec(
                Problem,
                description="400 when the bearer is a personal API token (/problems/not-a-session: API tokens are "
                "revoked with DELETE /api/v1/auth/tokens/{token_id}), or the request is malformed",
                media_type=MEDIA_TYPE,
                generate_examples=False,
            ),
        },
    )
    async def logout(self, actor: Actor, log_out: FromDishka[LogOut], data: JSONBody[LogoutBody | None] = None) -> None:
        await log_out(actor, data.refresh_token if data else None)

    @get("/me", summary="Who am I", security=REQUIRES_BEARER, responses=problem_responses(401))
    async def me(self, actor: Actor, get_me: FromDishka[GetMe]) -> UserBody:
        return UserBody.from_domain(await get_me(actor))

    @delete(
        "/me",
        summary="Delete your account",
        description="Needs a login session (not an API token) and your password again; a wrong password is a "
        "403. Your personal project and the shared projects you alone are in go with you, with their tasks; "
        "refused (409) while you alone own a shared project others are in (hand it over or delete it first), "
        "while a task runs in a project that would go, and for the last active admin.",
        security=REQUIRES_BEARER,
        responses=problem_responses(400, 401, 403, 409, 422),
    )
    async def delete_me(
        self, data: JSONBody[AccountDeletion], actor: Actor, delete_account: FromDishka[DeleteAccount]
    ) -> None:
        await delete_account(actor, actor.id, password=data.password)
