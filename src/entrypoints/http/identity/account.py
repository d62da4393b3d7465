"""/api/v1/auth/me: the caller's own profile and password.

GET and DELETE /auth/me are in auth.py, GET /auth/me/export in http/export; Litestar merges the path.
"""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Controller, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from msgspec import UNSET

from agentry.application.account.throttled_change_password import ThrottledChangePassword
from agentry.application.account.update_profile import ProfileChanges, UpdateProfile
from agentry.domain.principal import Principal
from agentry.entrypoints.http.identity.account_schemas import PasswordChange, ProfileUpdate
from agentry.entrypoints.http.identity.schemas import UserBody
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import refuse_nul

Actor = NamedDependency[Principal]


class AccountController(Controller):
    security = REQUIRES_BEARER
    path = "/auth/me"
    tags = ("account",)

    @patch(
        "/",
        summary="Change your display name or email address",
        description="Changing the email address (what you log in with) needs `current_password`, and a login "
        "session: a personal API token may change the display name only. A wrong password is a 403, "
        "a taken address a 409.",
        responses=problem_responses(400, 401, 403, 409, 422),
    )
    async def update_profile(
        self, data: JSONBody[ProfileUpdate], actor: Actor, update_profile: FromDishka[UpdateProfile]
    ) -> UserBody:
        refuse_nul(data.display_name, "display_name")
        refuse_nul(data.email, "email")
        changes = ProfileChanges(
            display_name=data.display_name if data.display_name is not UNSET else None,
            email=data.email if data.email is not UNSET else None,
            current_password=data.current_password if data.current_password is not UNSET else None,
        )
        return UserBody.from_domain(await update_profile(actor, changes))

    @post(
        "/password",
        status_code=204,
        summary="Change your password",
        description="Needs the current password (a wrong one is a 403, not a 401) and a login session. "
        "The new one follows the registration rules. Every other login session ends; this one goes on, and "
        "personal API tokens keep working. After 5 attempts with a wrong current password, each further one "
        "doubles the wait (a 429 with Retry-After) before the next is looked at; a success clears the count.",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def change_password(
        self, data: JSONBody[PasswordChange], actor: Actor, change_password: FromDishka[ThrottledChangePassword]
    ) -> None:
        await change_password(actor, data.current_password, data.new_password)
