"""The unit of work tells, after the commit and before it returns, when the commit may have changed an
acting principal (what the API processes' principal caches hear, see adapters/redis/principal_cache.py),
whether the ORM's flush or a Core statement wrote it; SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from agentry.domain.identity.sessions import RevokeReason
from tests.contract.builders import make_login_session, make_membership, make_project, make_task, make_user, moment


@pytest.fixture
def storage(empty_storage):  # type: ignore[no-untyped-def]
    if not hasattr(empty_storage, "principal_commits"):
        pytest.skip("the in-memory fakes have no principal caches to tell")
    return empty_storage


async def test_commits_that_write_principals_are_told_and_others_are_not(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    project = make_project(owner_id=user.id)
    session = make_login_session(user)
    async with storage.scope() as p:
        await p.users.add(user)
        await p.projects.add(project)
        await p.sessions.add(session)
        await p.uow.commit()
    assert storage.principal_commits == 1

    async with storage.scope() as p:
        await p.tasks.add(make_task(owner_id=user.id, project_id=project.id))
        await p.uow.commit()
        assert await p.principals.for_session(user.id, session.id) is not None
    assert storage.principal_commits == 1, "a task and a read change no principal"

    async with storage.scope() as p:  # a Core UPDATE: a logout everywhere
        await p.sessions.revoke_all_of(user.id, moment(800), RevokeReason.LOGOUT)
        await p.uow.commit()
    assert storage.principal_commits == 2

    other = make_user()
    async with storage.scope() as p:
        await p.users.add(other)
        await p.uow.commit()
    async with storage.scope() as p:  # the ORM's flush: a membership, then a deactivation
        await p.members.add(make_membership(project, other))
        await p.uow.commit()
    assert storage.principal_commits == 4
    async with storage.scope() as p:
        loaded = await p.users.get(other.id)
        loaded.deactivate(moment(900))
        await p.uow.commit()
    assert storage.principal_commits == 5
