"""/api/v1/users: every account, managed by admins (anyone else gets a 403)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter
from msgspec import UNSET

from agentry.application.users.delete_account import DeleteAccount
from agentry.application.users.get_user import GetUser
from agentry.application.users.list_users import ListUsers, UserFilter
from agentry.application.users.update_user import UpdateUser, UserChanges
from agentry.domain.emails import EMAIL_MAX
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole
from agentry.entrypoints.http.identity.schemas import UserBody
from agentry.entrypoints.http.identity.user_schemas import UserDetailBody, UserPageBody, UserUpdate
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import refuse_nul

Actor = NamedDependency[Principal]
UserId = Annotated[UUID, PathParameter(description="The user's id")]
_WRITE = problem_responses(400, 401, 403, 404, 409, 422)


class UserController(Controller):
    security = REQUIRES_BEARER
    path = "/users"
    tags = ("users",)

    @get("/", summary="Every account, in email order (admins)", responses=problem_responses(400, 401, 403, 422))
    async def list_users(
        self,
        actor: Actor,
        list_users: FromDishka[ListUsers],
        after: Annotated[
            str | None, QueryParameter(description="next_after of the previous page", max_length=EMAIL_MAX)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
        role: Annotated[GlobalRole | None, QueryParameter(description="Only accounts with this role")] = None,
        active: Annotated[bool | None, QueryParameter(description="Only active (or only deactivated) accounts")] = None,
    ) -> UserPageBody:
        refuse_nul(after, "after")
        page = await list_users(actor, after=after, limit=limit, only=UserFilter(role, active))
        return UserPageBody([UserBody.from_domain(u) for u in page.items], page.next_after)

    @get(
        "/{user_id:uuid}",
        summary="An account and the projects it belongs to (admins)",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def get_user(self, user_id: UserId, actor: Actor, get_user: FromDishka[GetUser]) -> UserDetailBody:
        return UserDetailBody.from_detail(await get_user(actor, user_id))

    @patch(
        "/{user_id:uuid}",
        summary="Change an account's role, deactivate or reactivate it (admins)",
        description="Deactivating ends the user's login sessions and revokes their API tokens at once; "
        "reactivating brings none of them back. The last active admin can be neither demoted nor deactivated.",
        responses=_WRITE,
    )
    async def update(
        self, user_id: UserId, data: JSONBody[UserUpdate], actor: Actor, update: FromDishka[UpdateUser]
    ) -> UserBody:
        changes = UserChanges(
            role=data.role if data.role is not UNSET else None,
            active=data.active if data.active is not UNSET else None,
        )
        return UserBody.from_domain(await update(actor, user_id, changes))

    @delete(
        "/{user_id:uuid}",
        summary="Delete an account (admins)",
        description="Its memberships, sessions and API tokens go with it; so do its personal project and the "
        "shared projects it alone is in, with their tasks. Refused (409) while it alone owns a shared project "
        "others are in, while a task runs in a project that would go, and for the last active admin. "
        "Tasks it submitted in other projects stay. Your own account: DELETE /api/v1/auth/me.",
        responses=_WRITE,
    )
    async def destroy(self, user_id: UserId, actor: Actor, delete_account: FromDishka[DeleteAccount]) -> None:
        await delete_account(actor, user_id)
