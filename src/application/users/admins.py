"""There is always an active admin: changes that could take the last one away are refused.

Two admins demoting each other at the same moment must not both succeed, so such a change locks every
active admin's row before the user it changes, and decides on what it sees once it holds them.
"""

from __future__ import annotations

from uuid import UUID

from agentry.application.errors import LastAdmin, NotFound
from agentry.application.identity.ports.users import UserRepository
from agentry.domain.identity.users import User


async def lock_for_change(users: UserRepository, user_id: UUID, *, may_remove_an_admin: bool) -> User:
    """The user, locked until the transaction ends.

    With `may_remove_an_admin` (a demotion, a deactivation, a deletion) the active admins are locked first,
    always before the user, so two such changes queue instead of deadlocking; if the user is an active admin
    and no other one remains, LastAdmin.
    """
    admins = await users.lock_active_admins() if may_remove_an_admin else frozenset[UUID]()
    user = await users.get(user_id, for_update=True)
    if user is None:
        raise NotFound("user", user_id)
    if may_remove_an_admin and user.is_admin and user.active and not admins - {user.id}:
        raise LastAdmin()
    return user
