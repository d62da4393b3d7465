"""User administration (admins), and deleting one's own account."""

from __future__ import annotations

from dishka import Provider, Scope, provide_all

from agentry.application.users.delete_account import DeleteAccount
from agentry.application.users.get_user import GetUser
from agentry.application.users.list_users import ListUsers
from agentry.application.users.update_user import UpdateUser


class UsersProvider(Provider):
    scope = Scope.REQUEST

    use_cases = provide_all(ListUsers, GetUser, UpdateUser, DeleteAccount)
