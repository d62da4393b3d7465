"""InvitationRepository: the same assertions for the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from agentry.domain.projects.invitation import Invitation
from agentry.domain.roles import ProjectRole
from tests.contract.builders import OTHER_PROJECT, PROJECT, make_user, moment

DAY = timedelta(days=1)


def invitation(
    email: str,
    *,
    at: float = 0,
    role: ProjectRole = ProjectRole.MEMBER,
    project_id: UUID = PROJECT,
    invited_by: UUID | None = None,
) -> Invitation:
    """Sent at moment(at), for a day; `invited_by` a stored user, or None (the inviter is gone)."""
    sent = Invitation.send(uuid4(), project_id, email, role, uuid4(), moment(at), DAY)
    sent.invited_by = invited_by
    return sent


def fields_of(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


async def stored(storage, *invitations: Invitation) -> None:  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        for one in invitations:
            await p.invitations.add(one)
        await p.uow.commit()


async def test_an_invitation_comes_back_as_stored_and_is_found_by_project_and_address(storage) -> None:  # type: ignore[no-untyped-def]
    inviter = make_user()
    async with storage.scope() as p:
        await p.users.add(inviter)
        await p.uow.commit()
    sent = invitation("ada@example.com", role=ProjectRole.OWNER, invited_by=inviter.id)
    await stored(storage, sent)
    async with storage.scope() as p:
        loaded = await p.invitations.get(sent.id)
        assert loaded is not sent and fields_of(loaded) == fields_of(sent)
        assert (await p.invitations.of_project_to(PROJECT, "ada@example.com")).id == sent.id
        assert await p.invitations.of_project_to(PROJECT, "bob@example.com") is None
        assert await p.invitations.get(uuid4()) is None


async def test_pending_invitations_are_listed_newest_first_without_the_expired(storage) -> None:  # type: ignore[no-untyped-def]
    old, newer, other = (
        invitation("ada@example.com", at=0),
        invitation("bob@example.com", at=10),
        invitation("ada@example.com", at=5, project_id=OTHER_PROJECT),
    )
    await stored(storage, old, newer, other)
    async with storage.scope() as p:
        assert [i.id for i in await p.invitations.pending_of_project(PROJECT, moment(20))] == [newer.id, old.id]
        assert [i.id for i in await p.invitations.pending_to("ada@example.com", moment(20))] == [other.id, old.id]
        late = moment(0) + DAY  # the first one's expiry: no longer pending
        assert [i.id for i in await p.invitations.pending_of_project(PROJECT, late)] == [newer.id]
        assert [i.id for i in await p.invitations.pending_to("ada@example.com", late)] == [other.id]


async def test_a_project_invites_an_address_once(storage) -> None:  # type: ignore[no-untyped-def]
    await stored(storage, invitation("ada@example.com"))
    with pytest.raises(Exception):  # noqa: B017, PT011 - the use case renews instead: a race is all that remains
        await stored(storage, invitation("ada@example.com"))
    async with storage.scope() as p:
        assert len(await p.invitations.pending_of_project(PROJECT, moment(1))) == 1


async def test_a_renewed_invitation_is_saved_on_commit(storage) -> None:  # type: ignore[no-untyped-def]
    sent = invitation("ada@example.com")
    await stored(storage, sent)
    by = make_user()
    async with storage.scope() as p:
        await p.users.add(by)
        loaded = await p.invitations.get(sent.id)
        loaded.send_again(ProjectRole.VIEWER, by.id, moment(100), DAY)
        await p.uow.commit()
    async with storage.scope() as p:
        saved = await p.invitations.get(sent.id)
    assert (saved.role, saved.invited_by, saved.expires_at) == (ProjectRole.VIEWER, by.id, moment(100) + DAY)


async def test_invitations_to_an_address_are_listed_expired_or_not_and_removed(storage) -> None:  # type: ignore[no-untyped-def]
    ada, ada_too, bob = (
        invitation("ada@example.com"),
        invitation("ada@example.com", project_id=OTHER_PROJECT),
        invitation("bob@example.com"),
    )
    await stored(storage, ada, ada_too, bob)
    async with storage.scope() as p:
        await p.invitations.remove(await p.invitations.get(bob.id))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.invitations.get(bob.id) is None
        every = await p.invitations.all_to("ada@example.com")
        assert {i.id for i in every} == {ada.id, ada_too.id}
        assert await p.invitations.pending_to("ada@example.com", moment(0) + DAY) == []
        assert await p.invitations.all_to("bob@example.com") == []


async def test_an_invitation_goes_with_its_project_and_outlives_its_inviter(storage) -> None:  # type: ignore[no-untyped-def]
    inviter = make_user()
    async with storage.scope() as p:
        await p.users.add(inviter)
        await p.uow.commit()
    sent = invitation("ada@example.com", invited_by=inviter.id)
    await stored(storage, sent)
    async with storage.scope() as p:
        await p.users.delete(await p.users.get(inviter.id))
        await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.invitations.get(sent.id)).invited_by is None
        await p.projects.delete(await p.projects.get(PROJECT, for_update=True))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.invitations.get(sent.id) is None


async def test_expired_invitations_come_oldest_expiry_first_a_batch_at_a_time(storage) -> None:  # type: ignore[no-untyped-def]
    first, second, alive = (
        invitation("a@example.com", at=0),
        invitation("b@example.com", at=10),
        invitation("c@example.com", at=20),
    )
    await stored(storage, alive, second, first)
    async with storage.scope() as p:
        now = moment(15) + DAY  # the first two have expired
        assert [i.id for i in await p.invitations.expired(now, 10)] == [first.id, second.id]
        assert [i.id for i in await p.invitations.expired(now, 1)] == [first.id]
        assert await p.invitations.expired(moment(1), 10) == []
