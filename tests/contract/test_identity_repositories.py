"""UserRepository, ProjectRepository, MembershipRepository, SessionRepository, ApiTokenRepository and
PrincipalStore: the same assertions for the in-memory fakes, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import fields
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from agentry.application.errors import DuplicateEmail, DuplicateMember, DuplicateSlug
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.projects.ports import ProjectPosition
from agentry.application.tasks.ports.task_repository import TaskFilter, TaskQuery
from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken, RevokeReason
from agentry.domain.identity.users import User
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, Project, ProjectSettings
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage
from tests.contract.builders import (
    make_api_token,
    make_job,
    make_line,
    make_login_session,
    make_membership,
    make_project,
    make_refresh_token,
    make_task,
    make_user,
    moment,
    rich_settings,
    start,
)


@pytest.fixture
def storage(empty_storage):  # type: ignore[no-untyped-def]
    """Nothing stored beforehand: these tests count and order every user and project."""
    return empty_storage


async def save(storage, *objects: Any) -> None:  # type: ignore[no-untyped-def]
    """Store the objects in one unit of work, each through its own port."""
    async with storage.scope() as p:
        for obj in objects:
            adders = {
                User: p.users.add,
                Project: p.projects.add,
                Membership: p.members.add,
                LoginSession: p.sessions.add,
                RefreshToken: p.sessions.add_refresh_token,
                ApiToken: p.api_tokens.add,
                AgentTask: p.tasks.add,
            }
            await adders[type(obj)](obj)
        await p.uow.commit()


def fields_of(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


# --- users -------------------------------------------------------------------------------------


async def test_a_user_comes_back_exactly_as_it_was_stored(storage) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(role=GlobalRole.ADMIN, display_name="Ada Lovelace")
    retired = make_user(active=False, password_changed_at=None)
    await save(storage, admin, retired)
    async with storage.scope() as p:
        for user in (admin, retired):
            loaded = await p.users.get(user.id)
            assert loaded is not user
            assert fields_of(loaded) == fields_of(user)
            assert fields_of(await p.users.get_by_email(user.email)) == fields_of(user)
        assert loaded.created_at.utcoffset() == timedelta(0)
        assert (await p.users.get(admin.id)).role is GlobalRole.ADMIN


async def test_an_unknown_user_is_none_and_uncommitted_users_are_not_visible(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    async with storage.scope() as p:
        await p.users.add(user)
        assert (await p.users.get_by_email(user.email)) is user, "a unit of work sees what it added"
        await p.uow.rollback()
    async with storage.scope() as p:
        assert await p.users.get(user.id) is None
        assert await p.users.get_by_email(user.email) is None
        assert await p.users.get_many([user.id]) == []


async def test_a_changed_user_is_saved_on_commit(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    await save(storage, user)
    async with storage.scope() as p:
        loaded = await p.users.get(user.id, for_update=True)
        loaded.update_profile(moment(900), display_name="Grace Hopper", email="Grace@Example.org")
        loaded.set_password_hash("new-hash", moment(901))
        loaded.change_role(GlobalRole.ADMIN, moment(902))
        loaded.deactivate(moment(903))
        await p.uow.commit()
    async with storage.scope() as p:
        saved = await p.users.get(user.id)
        assert (saved.display_name, saved.email, saved.password_hash) == (
            "Grace Hopper",
            "grace@example.org",
            "new-hash",
        )
        assert (saved.role, saved.active, saved.updated_at) == (GlobalRole.ADMIN, False, moment(903))
        assert saved.password_changed_at == moment(901)
        assert await p.users.get_by_email(user.email) is None


async def test_an_email_belongs_to_one_user(storage) -> None:  # type: ignore[no-untyped-def]
    first = make_user()
    await save(storage, first)
    with pytest.raises(DuplicateEmail):
        async with storage.scope() as p:
            await p.users.add(make_user(email=first.email))
            await p.uow.commit()
    second = make_user()
    await save(storage, second)
    with pytest.raises(DuplicateEmail):
        async with storage.scope() as p:
            loaded = await p.users.get(second.id)
            loaded.update_profile(moment(5), email=first.email)
            await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.users.get_by_email(first.email)).id == first.id
        assert (await p.users.get(second.id)).email == second.email


async def test_concurrent_registrations_with_one_email_store_one_user(storage) -> None:  # type: ignore[no-untyped-def]
    async def register() -> str:
        try:
            async with storage.scope() as p:
                await p.users.add(make_user(email="race@example.com"))
                await p.uow.commit()
            return "stored"
        except DuplicateEmail:
            return "duplicate"

    outcomes = await asyncio.gather(*(register() for _ in range(4)))
    assert sorted(outcomes) == ["duplicate"] * 3 + ["stored"]


async def test_get_many_returns_the_existing_users_in_id_order(storage) -> None:  # type: ignore[no-untyped-def]
    users = [make_user() for _ in range(3)]
    await save(storage, *users)
    async with storage.scope() as p:
        found = await p.users.get_many([users[2].id, users[0].id, uuid4(), users[2].id])
        assert await p.users.get_many([]) == []
    assert [u.id for u in found] == sorted([users[0].id, users[2].id])


async def test_users_are_paged_in_email_order_strictly_after_the_last_email(storage) -> None:  # type: ignore[no-untyped-def]
    emails = ["carol@example.com", "alice@example.com", "bob@example.com", "dave@example.com", "alice2@example.com"]
    await save(storage, *[make_user(email=e) for e in emails])
    pages, after = [], None
    while True:
        async with storage.scope() as p:
            page = await p.users.page(after_email=after, limit=2)
        if not page:
            break
        pages.append([u.email for u in page])
        after = page[-1].email
    assert pages == [
        ["alice2@example.com", "alice@example.com"],
        ["bob@example.com", "carol@example.com"],
        ["dave@example.com"],
    ]
    async with storage.scope() as p:
        assert [u.email for u in await p.users.page(after_email="b", limit=10)][:1] == ["bob@example.com"]


async def test_only_active_admins_are_counted(storage) -> None:  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        assert await p.users.count_active_admins() == 0
    await save(
        storage,
        make_user(role=GlobalRole.ADMIN),
        make_user(role=GlobalRole.ADMIN),
        make_user(role=GlobalRole.ADMIN, active=False),
        make_user(),
    )
    async with storage.scope() as p:
        assert await p.users.count_active_admins() == 2


async def test_users_are_paged_with_only_the_role_and_activity_asked_for(storage) -> None:  # type: ignore[no-untyped-def]
    await save(
        storage,
        make_user(email="a@example.com", role=GlobalRole.ADMIN),
        make_user(email="b@example.com", role=GlobalRole.ADMIN, active=False),
        make_user(email="c@example.com"),
        make_user(email="d@example.com", active=False),
        make_user(email="e@example.com"),
    )

    async def emails(**only: Any) -> list[str]:
        async with storage.scope() as p:
            return [u.email[0] for u in await p.users.page(limit=10, **only)]

    assert await emails(after_email=None) == ["a", "b", "c", "d", "e"]
    assert await emails(after_email=None, role=GlobalRole.ADMIN) == ["a", "b"]
    assert await emails(after_email=None, active=False) == ["b", "d"]
    assert await emails(after_email="c@example.com", role=GlobalRole.USER, active=True) == ["e"]
    assert await emails(after_email=None, role=GlobalRole.ADMIN, active=True) == ["a"]


async def test_the_active_admins_stay_locked_until_the_transaction_ends_and_a_waiter_sees_the_change(storage) -> None:  # type: ignore[no-untyped-def]
    first, second = make_user(role=GlobalRole.ADMIN), make_user(role=GlobalRole.ADMIN)
    await save(storage, first, second, make_user(role=GlobalRole.ADMIN, active=False), make_user())
    async with storage.scope() as holder:
        assert await holder.users.lock_active_admins() == {first.id, second.id}

        async def lock_them_too() -> frozenset[UUID]:
            async with storage.scope() as p:
                found: frozenset[UUID] = await p.users.lock_active_admins()
                await p.uow.commit()
                return found

        waiting = asyncio.create_task(lock_them_too())
        await asyncio.sleep(0.3)
        assert not waiting.done(), "the second transaction must wait for the first"
        (await holder.users.get(second.id, for_update=True)).change_role(GlobalRole.USER, moment(10))
        await holder.uow.commit()
        assert await asyncio.wait_for(waiting, 10) == {first.id}, "and then leaves out the admin demoted meanwhile"


async def test_deleting_a_user_deletes_their_memberships_sessions_and_tokens_but_not_their_tasks(storage) -> None:  # type: ignore[no-untyped-def]
    user, other = make_user(), make_user()
    project = make_project(owner_id=user.id)
    session, others_session = make_login_session(user), make_login_session(other)
    refresh, others_refresh = make_refresh_token(session), make_refresh_token(others_session)
    token, others_token = make_api_token(user), make_api_token(other)
    task = make_task(owner_id=user.id, project_id=project.id)
    await save(
        storage,
        user,
        other,
        project,
        make_membership(project, user, ProjectRole.OWNER),
        make_membership(project, other),
        session,
        others_session,
        refresh,
        others_refresh,
        token,
        others_token,
        task,
    )
    async with storage.scope() as p:
        await p.users.delete(await p.users.get(user.id, for_update=True))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.users.get(user.id) is None
        assert await p.users.get_by_email(user.email) is None
        assert await p.members.of_user(user.id) == []
        assert [m.user_id for m in await p.members.of_project(project.id)] == [other.id]
        assert await p.sessions.get(session.id) is None
        assert await p.sessions.refresh_token(refresh.token_hash) is None
        assert await p.api_tokens.get(token.id) is None
        assert await p.api_tokens.of_user(user.id) == []
        assert (await p.tasks.get(task.id)).owner_id == user.id, "the task stays in its project"
        assert (await p.projects.get(project.id)).owner_id is None, "the project they created stays, owned by nobody"
        assert await p.sessions.get(others_session.id) is not None
        assert await p.sessions.refresh_token(others_refresh.token_hash) is not None
        assert await p.api_tokens.get(others_token.id) is not None
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.principals.for_session(user.id, session.id) is None
        assert await p.principals.for_session(other.id, others_session.id) is not None


# --- projects ----------------------------------------------------------------------------------


async def test_a_project_comes_back_exactly_as_it_was_stored_with_its_settings(storage) -> None:  # type: ignore[no-untyped-def]
    rich = make_project(settings=rich_settings())
    allows_nothing = make_project(settings=ProjectSettings(frozenset(), frozenset()), personal=True)
    allows_anything = make_project()
    await save(storage, rich, allows_nothing, allows_anything)
    async with storage.scope() as p:
        for project in (rich, allows_nothing, allows_anything):
            loaded = await p.projects.get(project.id)
            assert loaded is not project
            assert fields_of(loaded) == fields_of(project)
    assert allows_anything.settings == ProjectSettings(None, None)


async def test_changed_project_settings_are_saved_on_commit(storage) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    await save(storage, project)
    async with storage.scope() as p:
        loaded = await p.projects.get(project.id, for_update=True)
        loaded.update(moment(700), name="Renamed", slug="renamed", settings=rich_settings())
        await p.uow.commit()
    async with storage.scope() as p:
        saved = await p.projects.get(project.id)
    assert (saved.name, saved.slug, saved.settings, saved.updated_at) == (
        "Renamed",
        "renamed",
        rich_settings(),
        moment(700),
    )
    assert saved.settings.refusal("scripted", PermissionMode.PLAN) is None
    assert saved.settings.refusal("scripted", PermissionMode.BYPASS_PERMISSIONS) is not None


async def test_a_slug_belongs_to_one_project_of_its_owner(storage) -> None:  # type: ignore[no-untyped-def]
    olive, otto = make_user(), make_user()
    first, second = make_project(slug="tools", owner_id=olive.id), make_project(owner_id=olive.id)
    others = [make_project(slug="tools", owner_id=otto.id), make_project(slug="tools"), make_project(slug="tools")]
    await save(storage, olive, otto, first, second, *others)  # another owner's slug, or no owner's, is free
    with pytest.raises(DuplicateSlug) as added:
        async with storage.scope() as p:
            await p.projects.add(make_project(slug="tools", owner_id=olive.id))
            await p.uow.commit()
    assert added.value.slug == "tools"
    with pytest.raises(DuplicateSlug) as renamed:
        async with storage.scope() as p:
            loaded = await p.projects.get(second.id, for_update=True)
            loaded.update(moment(9), slug="tools")
            await p.uow.commit()
    assert renamed.value.slug == "tools"
    async with storage.scope() as p:
        assert (await p.projects.get(second.id)).slug == second.slug


async def test_projects_are_paged_in_slug_order_within_the_scope(storage) -> None:  # type: ignore[no-untyped-def]
    projects = {slug: make_project(slug=slug) for slug in ["delta", "alpha", "charlie", "bravo", "echo"]}
    await save(storage, *projects.values())

    async def slugs(scope: ProjectScope, after: str | None = None, limit: int = 10) -> list[str]:
        position = ProjectPosition.of(next(p for p in projects.values() if p.slug == after)) if after else None
        async with storage.scope() as p:
            return [x.slug for x in await p.projects.page(scope, after=position, limit=limit)]

    assert await slugs(ProjectScope.all()) == ["alpha", "bravo", "charlie", "delta", "echo"]
    assert await slugs(ProjectScope.all(), limit=2) == ["alpha", "bravo"]
    assert await slugs(ProjectScope.all(), after="bravo", limit=2) == ["charlie", "delta"]
    assert await slugs(ProjectScope.all(), after="echo") == []
    some = ProjectScope.only(frozenset({projects["echo"].id, projects["bravo"].id, uuid4()}))
    assert await slugs(some) == ["bravo", "echo"]
    assert await slugs(some, after="bravo") == ["echo"]
    assert await slugs(ProjectScope.only(frozenset())) == [], "an empty scope sees nothing"


async def test_projects_sharing_a_slug_are_paged_in_id_order_none_skipped(storage) -> None:  # type: ignore[no-untyped-def]
    owners = [make_user() for _ in range(3)]
    same = sorted((make_project(slug="same", owner_id=owner.id) for owner in owners), key=lambda p: p.id)
    await save(storage, *owners, *same, make_project(slug="zulu"))
    seen, after = [], None
    while True:
        async with storage.scope() as p:
            page = await p.projects.page(ProjectScope.all(), after=after, limit=2)
        seen += [x.id for x in page]
        if len(page) < 2:
            break
        after = ProjectPosition.of(page[-1])
    assert seen[:3] == [p.id for p in same] and len(seen) == 4


async def test_projects_are_read_many_at_a_time_in_id_order(storage) -> None:  # type: ignore[no-untyped-def]
    projects = [make_project() for _ in range(3)]
    await save(storage, *projects)
    wanted = [projects[2].id, projects[0].id, uuid4(), projects[2].id]
    async with storage.scope() as p:
        for for_update in (False, True):
            found = await p.projects.get_many(wanted, for_update=for_update)
            assert [fields_of(x) for x in found] == [fields_of(x) for x in sorted(projects[::2], key=lambda x: x.id)]
        assert await p.projects.get_many([]) == []


async def test_a_users_personal_project_is_the_personal_one_they_own(storage) -> None:  # type: ignore[no-untyped-def]
    user, friend = make_user(), make_user()
    shared = make_project()
    personal = Project.personal_for(uuid4(), user.id, user.display_name, moment(50))
    friends = Project.personal_for(uuid4(), friend.id, friend.display_name, moment(51))
    await save(
        storage,
        user,
        friend,
        shared,
        personal,
        friends,
        make_membership(shared, user, ProjectRole.OWNER),
        make_membership(personal, user, ProjectRole.OWNER),
        make_membership(friends, friend, ProjectRole.OWNER),
        make_membership(friends, user, ProjectRole.MAINTAINER),
    )
    async with storage.scope() as p:
        assert (await p.projects.personal_project_of(user.id)).id == personal.id
        assert (await p.projects.personal_project_of(friend.id)).id == friends.id
        assert await p.projects.personal_project_of(uuid4()) is None
        assert (await p.projects.get(personal.id)).personal is True


async def test_a_project_is_busy_while_a_task_of_it_runs_or_is_being_cancelled(storage) -> None:  # type: ignore[no-untyped-def]
    busy, cancelling, idle, empty = make_project(), make_project(), make_project(), make_project()
    running = make_task(project_id=busy.id)
    start(running)
    stopping = make_task(project_id=cancelling.id)
    start(stopping)
    stopping.cancel(moment(10_000))
    finished = make_task(project_id=idle.id)
    finished.end_execution(start(finished), ExecutionStatus.SUCCEEDED, moment(10_000))
    await save(storage, busy, cancelling, idle, empty, running, stopping, finished, make_task(project_id=idle.id))
    assert stopping.status is TaskStatus.CANCELLING
    async with storage.scope() as p:
        assert await p.projects.has_unfinished_tasks(busy.id) is True
        assert await p.projects.has_unfinished_tasks(cancelling.id) is True
        assert await p.projects.has_unfinished_tasks(idle.id) is False
        assert await p.projects.has_unfinished_tasks(empty.id) is False


async def test_deleting_a_project_deletes_its_memberships_and_tasks_with_all_they_own(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    doomed, kept = make_project(), make_project()
    task, survivor = make_task(project_id=doomed.id, tags=("gone",)), make_task(project_id=kept.id, tags=("gone",))
    await save(storage, user, doomed, kept, make_membership(doomed, user), make_membership(kept, user), task, survivor)
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        execution = start(loaded)
        await p.executions.add(execution)
        await p.outbox.enqueue(make_job(loaded, 2))
        await p.logs.append([make_line(execution, 1)])
        loaded.end_execution(execution, ExecutionStatus.SUCCEEDED, moment(9))
        await p.results.add(
            TaskResult(task.id, execution.id, "done", "output", moment(9), [{"path": "a.py"}], Usage(1, 2, 0.5))
        )
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.projects.has_unfinished_tasks(doomed.id) is False
        await p.projects.delete(await p.projects.get(doomed.id, for_update=True))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.projects.get(doomed.id) is None
        assert await p.members.of_project(doomed.id) == []
        assert [m.project_id for m in await p.members.of_user(user.id)] == [kept.id]
        assert await p.tasks.get(task.id) is None
        assert await p.executions.for_task(task.id) == []
        assert await p.logs.read(task.id, 1, 0, 10) == []
        assert await p.results.get(task.id) is None
        assert await p.relay.claim_due(moment(10_000), moment(10_030), 10) == []
        assert await p.tasks.get(survivor.id) is not None
        page = await p.tasks.page(TaskQuery(ProjectScope.all(), TaskFilter(tags=frozenset({"gone"}))))
        assert [t.id for t in page] == [survivor.id]
        await p.uow.commit()


async def test_a_project_read_for_update_is_held_until_its_transaction_ends(storage) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    await save(storage, project)
    async with storage.scope() as holder:
        held = await holder.projects.get(project.id, for_update=True)

        async def second_writer() -> str:
            async with storage.scope() as p:
                loaded = await p.projects.get(project.id, for_update=True)
                name = loaded.name
                await p.uow.commit()
                return name

        waiting = asyncio.create_task(second_writer())
        await asyncio.sleep(0.3)
        assert not waiting.done(), "the second writer must wait for the lock"
        held.update(moment(10), name="First")
        await holder.uow.commit()
        assert await asyncio.wait_for(waiting, 10) == "First"


# --- memberships -------------------------------------------------------------------------------


async def test_memberships_are_listed_by_project_and_by_user_in_the_order_they_began(storage) -> None:  # type: ignore[no-untyped-def]
    ann, ben, cat = make_user(), make_user(), make_user()
    one, two = make_project(), make_project()
    memberships = [
        make_membership(one, ben, ProjectRole.OWNER, created_at=moment(30)),
        make_membership(one, ann, ProjectRole.VIEWER, created_at=moment(10)),
        make_membership(two, ann, ProjectRole.OWNER, created_at=moment(20)),
        make_membership(one, cat, ProjectRole.OWNER, created_at=moment(40)),
    ]
    await save(storage, ann, ben, cat, one, two, *memberships)
    async with storage.scope() as p:
        in_one = await p.members.of_project(one.id)
        of_ann = await p.members.of_user(ann.id)
        assert [(m.user_id, m.role) for m in in_one] == [
            (ann.id, ProjectRole.VIEWER),
            (ben.id, ProjectRole.OWNER),
            (cat.id, ProjectRole.OWNER),
        ]
        assert [(m.project_id, m.role) for m in of_ann] == [(one.id, ProjectRole.VIEWER), (two.id, ProjectRole.OWNER)]
        assert fields_of(await p.members.get(one.id, ann.id)) == fields_of(memberships[1])
        assert await p.members.get(two.id, ben.id) is None
        assert await p.members.count_owners(one.id) == 2
        assert await p.members.count_owners(two.id) == 1
        assert await p.members.count_owners(uuid4()) == 0
        assert await p.members.of_project(uuid4()) == []


async def test_a_user_is_a_member_of_a_project_once(storage) -> None:  # type: ignore[no-untyped-def]
    user, project = make_user(), make_project()
    await save(storage, user, project, make_membership(project, user))
    with pytest.raises(DuplicateMember):
        async with storage.scope() as p:
            await p.members.add(make_membership(project, user, ProjectRole.OWNER))
            await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.members.get(project.id, user.id)).role is ProjectRole.MEMBER


async def test_a_membership_changes_role_and_is_removed(storage) -> None:  # type: ignore[no-untyped-def]
    user, project = make_user(), make_project()
    await save(storage, user, project, make_membership(project, user))
    async with storage.scope() as p:
        membership = await p.members.get(project.id, user.id)
        membership.role, membership.updated_at = ProjectRole.MAINTAINER, moment(77)
        await p.uow.commit()
    async with storage.scope() as p:
        membership = await p.members.get(project.id, user.id)
        assert (membership.role, membership.updated_at) == (ProjectRole.MAINTAINER, moment(77))
        await p.members.remove(membership)
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.members.get(project.id, user.id) is None
        assert await p.members.of_user(user.id) == []


async def test_a_new_user_their_personal_project_and_membership_are_written_in_one_unit_of_work(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    project = Project.personal_for(uuid4(), user.id, user.display_name, moment(1))
    async with storage.scope() as p:
        await p.users.add(user)
        await p.projects.add(project)
        await p.members.add(make_membership(project, user, ProjectRole.OWNER))
        session = make_login_session(user)
        await p.sessions.add(session)
        await p.sessions.add_refresh_token(make_refresh_token(session))
        assert (await p.projects.personal_project_of(user.id)).id == project.id, "visible before the commit"
        await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.projects.personal_project_of(user.id)).id == project.id
        assert (await p.principals.for_session(user.id, session.id)).memberships == {project.id: ProjectRole.OWNER}


# --- login sessions and refresh tokens ---------------------------------------------------------


async def test_a_login_session_and_its_refresh_token_come_back_as_stored(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session = make_login_session(user)
    revoked = make_login_session(user, revoked_at=moment(99), revoke_reason=RevokeReason.LOGOUT)
    token = make_refresh_token(session, spent_at=moment(60))
    await save(storage, user, session, revoked, token)
    async with storage.scope() as p:
        assert fields_of(await p.sessions.get(session.id)) == fields_of(session)
        assert fields_of(await p.sessions.get(revoked.id)) == fields_of(revoked)
        assert fields_of(await p.sessions.refresh_token(token.token_hash)) == fields_of(token)
        assert await p.sessions.get(uuid4()) is None
        assert await p.sessions.refresh_token("0" * 64) is None


async def test_a_refresh_spends_the_token_and_issues_its_successor(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session = make_login_session(user)
    first = make_refresh_token(session)
    await save(storage, user, session, first)
    second = make_refresh_token(session)
    async with storage.scope() as p:
        presented = await p.sessions.refresh_token(first.token_hash)
        presented.spend(moment(500))
        await p.sessions.add_refresh_token(second)
        login = await p.sessions.get(session.id, for_update=True)
        login.last_used_at = moment(500)
        await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.sessions.refresh_token(first.token_hash)).spent_at == moment(500)
        assert (await p.sessions.refresh_token(second.token_hash)).spent_at is None
        assert (await p.sessions.get(session.id)).last_used_at == moment(500)


async def test_a_refresh_token_is_locked_until_its_transaction_ends(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session = make_login_session(user)
    token = make_refresh_token(session)
    await save(storage, user, session, token)
    async with storage.scope() as holder:
        held = await holder.sessions.refresh_token(token.token_hash)

        async def second_refresh() -> object:
            async with storage.scope() as p:
                found = await p.sessions.refresh_token(token.token_hash)
                await p.uow.commit()
                return found.spent_at

        waiting = asyncio.create_task(second_refresh())
        await asyncio.sleep(0.3)
        assert not waiting.done(), "the second refresh must wait for the first"
        held.spend(moment(20))
        await holder.uow.commit()
        assert await asyncio.wait_for(waiting, 10) == moment(20), "and then sees the token spent"


async def test_revoking_all_sessions_of_a_user_keeps_the_one_asked_for_and_earlier_revocations(storage) -> None:  # type: ignore[no-untyped-def]
    user, other = make_user(), make_user()
    current, second, third = make_login_session(user), make_login_session(user), make_login_session(user)
    old = make_login_session(user, revoked_at=moment(5), revoke_reason=RevokeReason.LOGOUT)
    others = make_login_session(other)
    await save(storage, user, other, current, second, third, old, others)
    async with storage.scope() as p:
        loaded = await p.sessions.get(second.id)
        await p.sessions.revoke_all_of(user.id, moment(800), RevokeReason.PASSWORD_CHANGED, keep=current.id)
        assert loaded.revoked, "a session this unit of work holds sees the revocation"
        assert (await p.sessions.get(third.id)).revoked, "and so does one it reads afterwards"
        await p.uow.commit()
    async with storage.scope() as p:
        assert not (await p.sessions.get(current.id)).revoked
        for revoked in (second, third):
            found = await p.sessions.get(revoked.id)
            assert (found.revoked_at, found.revoke_reason) == (moment(800), RevokeReason.PASSWORD_CHANGED)
        found = await p.sessions.get(old.id)
        assert (found.revoked_at, found.revoke_reason) == (moment(5), RevokeReason.LOGOUT)
        assert not (await p.sessions.get(others.id)).revoked
        await p.sessions.revoke_all_of(user.id, moment(900), RevokeReason.USER_DEACTIVATED)
        await p.uow.commit()
    async with storage.scope() as p:
        found = await p.sessions.get(current.id)
        assert (found.revoked_at, found.revoke_reason) == (moment(900), RevokeReason.USER_DEACTIVATED)
        assert (await p.sessions.get(second.id)).revoke_reason is RevokeReason.PASSWORD_CHANGED


async def test_a_revoked_session_is_saved_on_commit(storage) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session = make_login_session(user)
    await save(storage, user, session)
    async with storage.scope() as p:
        loaded = await p.sessions.get(session.id, for_update=True)
        loaded.revoke(moment(40), RevokeReason.REUSE)
        await p.uow.commit()
    async with storage.scope() as p:
        found = await p.sessions.get(session.id)
        assert (found.revoked_at, found.revoke_reason) == (moment(40), RevokeReason.REUSE)


async def test_a_users_sessions_are_paged_in_id_order_strictly_after_the_last_id(storage) -> None:  # type: ignore[no-untyped-def]
    user, other = make_user(), make_user()
    sessions = [make_login_session(user) for _ in range(5)]
    sessions[1].revoke(moment(50), RevokeReason.LOGOUT)
    await save(storage, user, other, *sessions, make_login_session(other))
    ordered = sorted(sessions, key=lambda s: s.id)
    async with storage.scope() as p:
        first = await p.sessions.page_of_user(user.id, after=None, limit=3)
        rest = await p.sessions.page_of_user(user.id, after=first[-1].id, limit=3)
        assert [fields_of(s) for s in first + rest] == [fields_of(s) for s in ordered]
        assert len(first) == 3
        assert await p.sessions.page_of_user(user.id, after=ordered[-1].id, limit=3) == []
        assert await p.sessions.page_of_user(uuid4(), after=None, limit=3) == []


# --- API tokens --------------------------------------------------------------------------------


async def test_api_tokens_come_back_as_stored_oldest_first_and_are_revoked(storage) -> None:  # type: ignore[no-untyped-def]
    user, other = make_user(), make_user()
    newer = make_api_token(user, created_at=moment(300))
    older = make_api_token(user, created_at=moment(100), revoked_at=moment(200))
    await save(storage, user, other, newer, older, make_api_token(other))
    async with storage.scope() as p:
        assert [fields_of(t) for t in await p.api_tokens.of_user(user.id)] == [fields_of(older), fields_of(newer)]
        assert fields_of(await p.api_tokens.get(newer.id)) == fields_of(newer)
        assert await p.api_tokens.get(uuid4()) is None
        assert await p.api_tokens.of_user(uuid4()) == []
        (await p.api_tokens.get(newer.id)).revoke(moment(400))
        await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.api_tokens.get(newer.id)).revoked_at == moment(400)


async def test_a_users_api_tokens_are_paged_in_id_order_strictly_after_the_last_id(storage) -> None:  # type: ignore[no-untyped-def]
    user, other = make_user(), make_user()
    tokens = [make_api_token(user) for _ in range(5)]
    await save(storage, user, other, *tokens, make_api_token(other))
    ordered = sorted(tokens, key=lambda t: t.id)
    async with storage.scope() as p:
        first = await p.api_tokens.page_of_user(user.id, after=None, limit=2)
        rest = await p.api_tokens.page_of_user(user.id, after=first[-1].id, limit=10)
        assert [fields_of(t) for t in first + rest] == [fields_of(t) for t in ordered]
        assert len(first) == 2
        assert await p.api_tokens.page_of_user(uuid4(), after=None, limit=10) == []


async def test_only_tokens_neither_revoked_nor_expired_count_as_usable(storage) -> None:  # type: ignore[no-untyped-def]
    user, other = make_user(), make_user()
    live = make_api_token(user, expires_at=moment(1_000))
    revoked = make_api_token(user, expires_at=moment(1_000), revoked_at=moment(10))
    expiring = make_api_token(user, expires_at=moment(500))
    await save(storage, user, other, live, revoked, expiring, make_api_token(other, expires_at=moment(1_000)))
    async with storage.scope() as p:
        assert await p.api_tokens.count_usable(user.id, moment(499)) == 2
        assert await p.api_tokens.count_usable(user.id, moment(500)) == 1, "a token is dead at its expiry"
        assert await p.api_tokens.count_usable(user.id, moment(1_000)) == 0
        assert await p.api_tokens.count_usable(uuid4(), moment(0)) == 0
        await p.api_tokens.add(make_api_token(user, expires_at=moment(1_000)))
        assert await p.api_tokens.count_usable(user.id, moment(499)) == 3, "a unit of work counts what it added"


async def test_revoking_all_api_tokens_of_a_user_keeps_earlier_revocations_and_others_tokens(storage) -> None:  # type: ignore[no-untyped-def]
    user, other = make_user(), make_user()
    live, expired = make_api_token(user, expires_at=moment(10_000)), make_api_token(user, expires_at=moment(1))
    old = make_api_token(user, revoked_at=moment(5))
    others = make_api_token(other, expires_at=moment(10_000))
    await save(storage, user, other, live, expired, old, others)
    async with storage.scope() as p:
        loaded = await p.api_tokens.get(live.id)
        await p.api_tokens.revoke_all_of(user.id, moment(800))
        assert loaded.revoked_at == moment(800), "a token this unit of work holds sees the revocation"
        await p.uow.commit()
    async with storage.scope() as p:
        assert {t.id: t.revoked_at for t in await p.api_tokens.of_user(user.id)} == {
            live.id: moment(800),
            expired.id: moment(800),
            old.id: moment(5),
        }
        assert (await p.api_tokens.get(others.id)).revoked_at is None
        assert await p.principals.for_api_token(live.token_hash, moment(900)) is None
        assert await p.principals.for_api_token(others.token_hash, moment(900)) is not None


# --- the principal store -----------------------------------------------------------------------


async def principal_scene(storage):  # type: ignore[no-untyped-def]
    user = make_user(role=GlobalRole.ADMIN, display_name="Ada")
    other = make_user()
    projects = [make_project() for _ in range(3)]
    session = make_login_session(user)
    token = make_api_token(user, expires_at=moment(10_000))
    roles = [ProjectRole.OWNER, ProjectRole.VIEWER, ProjectRole.MAINTAINER]
    await save(
        storage,
        user,
        other,
        *projects,
        *[make_membership(project, user, role) for project, role in zip(projects, roles, strict=True)],
        make_membership(projects[0], other, ProjectRole.MEMBER),
        session,
        token,
    )
    return user, other, projects, roles, session, token


async def test_a_session_principal_carries_the_user_role_every_membership_and_the_session(storage) -> None:  # type: ignore[no-untyped-def]
    user, _, projects, roles, session, _ = await principal_scene(storage)
    async with storage.scope() as p:
        principal = await p.principals.for_session(user.id, session.id)
    assert principal == Principal(
        user.id,
        "Ada",
        role=GlobalRole.ADMIN,
        memberships={project.id: role for project, role in zip(projects, roles, strict=True)},
        session_id=session.id,
    )
    assert principal.is_admin


async def test_an_api_token_principal_carries_the_user_without_a_session(storage) -> None:  # type: ignore[no-untyped-def]
    user, _, projects, roles, _, token = await principal_scene(storage)
    async with storage.scope() as p:
        principal = await p.principals.for_api_token(token.token_hash, moment(9_999))
    assert (principal.id, principal.name, principal.role, principal.session_id) == (user.id, "Ada", user.role, None)
    assert dict(principal.memberships) == {project.id: role for project, role in zip(projects, roles, strict=True)}


async def test_a_user_in_no_project_is_a_principal_with_no_memberships(storage) -> None:  # type: ignore[no-untyped-def]
    loner = make_user()
    session = make_login_session(loner)
    await save(storage, loner, session)
    async with storage.scope() as p:
        principal = await p.principals.for_session(loner.id, session.id)
    assert (principal.id, principal.role, dict(principal.memberships)) == (loner.id, GlobalRole.USER, {})


async def test_no_principal_for_a_missing_or_inactive_user_or_a_dead_or_foreign_session(storage) -> None:  # type: ignore[no-untyped-def]
    user, other, _, _, session, _ = await principal_scene(storage)
    others_session = make_login_session(other)
    revoked = make_login_session(user, revoked_at=moment(1), revoke_reason=RevokeReason.LOGOUT)
    await save(storage, others_session, revoked)
    async with storage.scope() as p:
        assert await p.principals.for_session(user.id, revoked.id) is None, "revoked session"
        assert await p.principals.for_session(user.id, others_session.id) is None, "another user's session"
        assert await p.principals.for_session(other.id, session.id) is None, "another user's session"
        assert await p.principals.for_session(user.id, uuid4()) is None, "unknown session"
        assert await p.principals.for_session(uuid4(), session.id) is None, "unknown user"
        assert await p.principals.for_session(other.id, others_session.id) is not None
        (await p.users.get(user.id)).deactivate(moment(2))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.principals.for_session(user.id, session.id) is None, "inactive user"


async def test_no_principal_for_an_unknown_revoked_or_expired_api_token_or_an_inactive_user(storage) -> None:  # type: ignore[no-untyped-def]
    user, other, _, _, _, token = await principal_scene(storage)
    revoked = make_api_token(other, revoked_at=moment(1))
    await save(storage, revoked)
    async with storage.scope() as p:
        assert await p.principals.for_api_token(token.token_hash, moment(9_999)) is not None
        assert await p.principals.for_api_token(token.token_hash, moment(10_000)) is None, "expired"
        assert await p.principals.for_api_token(revoked.token_hash, moment(2)) is None, "revoked"
        assert await p.principals.for_api_token("f" * 64, moment(2)) is None, "unknown"
        (await p.users.get(user.id)).deactivate(moment(3))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.principals.for_api_token(token.token_hash, moment(9_999)) is None, "inactive user"


def test_builders_give_each_object_its_own_identity() -> None:
    a, b = make_user(), make_user()
    assert (a.id, a.email) != (b.id, b.email)
    assert make_project().slug != make_project().slug
    assert make_refresh_token(make_login_session(a)).token_hash != make_refresh_token(make_login_session(a)).token_hash


async def test_signing_keys_are_added_listed_until_retired_and_retired_once(storage) -> None:  # type: ignore[no-untyped-def]
    if storage.name == "memory":
        return  # signing keys are kept by the SQL adapter only
    from agentry.adapters.sqlalchemy.identity.signing_keys import (
        StoredSigningKey,
        add_signing_key,
        load_signing_keys,
        retire_signing_key,
    )

    older = StoredSigningKey(
        "kid-1", "EdDSA", "-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n", moment(1)
    )
    newer = StoredSigningKey("kid-2", "ES256", "-----BEGIN PRIVATE KEY-----\nBBB\n", moment(2))
    assert await load_signing_keys(storage.engine) == []
    await add_signing_key(storage.engine, newer)
    await add_signing_key(storage.engine, older)
    assert await load_signing_keys(storage.engine) == [older, newer], "oldest first: the last one signs"
    await retire_signing_key(storage.engine, "kid-1", moment(3))
    await retire_signing_key(storage.engine, "kid-1", moment(4))
    await retire_signing_key(storage.engine, "unknown", moment(4))
    assert await load_signing_keys(storage.engine) == [newer]
    everything = await load_signing_keys(storage.engine, retired=True)
    assert [(k.kid, k.retired_at) for k in everything] == [("kid-1", moment(3)), ("kid-2", None)]


async def test_a_stored_private_key_is_replaced_only_while_it_holds_what_the_caller_read(storage) -> None:  # type: ignore[no-untyped-def]
    if storage.name == "memory":
        return  # signing keys are kept by the SQL adapter only
    from agentry.adapters.sqlalchemy.identity.signing_keys import (
        StoredSigningKey,
        add_signing_key,
        load_signing_keys,
        replace_private_key,
    )

    await add_signing_key(storage.engine, StoredSigningKey("kid-1", "EdDSA", "clear", moment(1)))
    assert await replace_private_key(storage.engine, "kid-1", "clear", "sealed") is True
    assert await replace_private_key(storage.engine, "kid-1", "clear", "sealed again") is False  # someone was first
    assert await replace_private_key(storage.engine, "kid-2", "clear", "sealed") is False
    assert [k.private_key_pem for k in await load_signing_keys(storage.engine)] == ["sealed"]
