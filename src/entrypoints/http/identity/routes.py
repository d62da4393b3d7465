"""The identity slice's route handlers, as the app registers them: auth, the caller's account, API tokens, users."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.types import ControllerRouterHandler

from agentry.entrypoints.http.identity.account import AccountController
from agentry.entrypoints.http.identity.api_tokens import ApiTokenController
from agentry.entrypoints.http.identity.auth import AuthController
from agentry.entrypoints.http.identity.users import UserController

IDENTITY_ROUTES: Sequence[ControllerRouterHandler] = (
    AuthController,
    AccountController,
    ApiTokenController,
    UserController,
)
