"""Two admins demoting or deactivating each other at the same moment leave one active admin, not none.

The UpdateUser use case over every storage adapter (the in-memory fake, SQLite, PostgreSQL), each request in
its own transaction, the two interleaved step by step."""

from __future__ import annotations

import asyncio
from uuid import UUID, uuid4

import pytest

from agentry.application.errors import LastAdmin
from agentry.application.users.update_user import UpdateUser, UserChanges
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole
from tests.contract.builders import make_user
from tests.contract.pausing import Pausing
from tests.contract.storage import Storage
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock


async def change(storage: Storage, admin_id: UUID, user_id: UUID, changes: UserChanges) -> str:
    actor = Principal(admin_id, "admin", role=GlobalRole.ADMIN, session_id=uuid4())
    async with storage.scope() as p:
        ports = [Pausing(port) for port in (p.users, p.sessions, p.api_tokens)]
        update = UpdateUser(*ports, TablePolicy(), Pausing(p.uow), FakeClock())
        try:
            await update(actor, user_id, changes)
        except LastAdmin:
            return "refused"
        return "changed"


@pytest.mark.parametrize("changes", [UserChanges(role=GlobalRole.USER), UserChanges(active=False)])
async def test_two_admins_taking_each_other_away_at_once_leave_one_active_admin(
    empty_storage: Storage, changes: UserChanges
) -> None:
    adele, alan = make_user(role=GlobalRole.ADMIN), make_user(role=GlobalRole.ADMIN)
    async with empty_storage.scope() as p:
        await p.users.add(adele)
        await p.users.add(alan)
        await p.uow.commit()
    both = asyncio.gather(
        change(empty_storage, adele.id, alan.id, changes), change(empty_storage, alan.id, adele.id, changes)
    )
    outcomes = await asyncio.wait_for(both, 30)  # they queue one behind the other; they never deadlock
    assert sorted(outcomes) == ["changed", "refused"]
    async with empty_storage.scope() as p:
        assert await p.users.count_active_admins() == 1
