from __future__ import annotations

import copy
import dataclasses
from typing import Any
from uuid import UUID, uuid4

import pytest

from agentry.application.errors import DuplicateSlug, Forbidden, NotFound, ProjectBusy, PublicSlugTaken
from agentry.application.identity.authenticate import Authenticate
from agentry.application.identity.log_in import LogIn
from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.projects.answer_invitation import AcceptInvitation
from agentry.application.projects.create_project import CreateProject, NewProject
from agentry.application.projects.delete_project import DeleteProject
from agentry.application.projects.get_project import GetProject
from agentry.application.projects.invitations import Invite
from agentry.application.projects.list_projects import ListProjects
from agentry.application.projects.members import ChangeMemberRole, ListMembers, RemoveMember
from agentry.application.projects.update_project import ProjectChanges, UpdateProject
from agentry.domain.errors import IllegalTransition, InvalidValue, LastOwner
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project, ProjectSettings, SettingsChanges
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ADMIN, ALICE, TEAM, FakeApp

ANONYMOUS = Principal.anonymous()
PASSWORD = "tulip-harbour-engine-42"
OWNER, MAINTAINER, MEMBER, VIEWER = ProjectRole.OWNER, ProjectRole.MAINTAINER, ProjectRole.MEMBER, ProjectRole.VIEWER


class People:
    """Registered users, by first name (the email is name@example.com). `who` authenticates afresh
    every time, so the principal carries the memberships as they are now."""

    def __init__(self, app: FakeApp) -> None:
        self.app = app
        self._tokens: dict[str, str] = {}
        self.ids: dict[str, UUID] = {}

    async def who(self, name: str) -> Principal:
        if name not in self._tokens:
            email = f"{name}@example.com"
            user = await self.app.use(RegisterUser)(ANONYMOUS, Registration(email, PASSWORD, name.title()))
            self.ids[name] = user.id
            self._tokens[name] = (await self.app.use(LogIn)(ANONYMOUS, email, PASSWORD)).access_token
        return await self.app.use(Authenticate)(self._tokens[name])

    async def id_of(self, name: str) -> UUID:
        return (await self.who(name)).id


async def join(people: People, project_id: UUID, inviter: str, name: str, role: ProjectRole) -> None:
    """`inviter` invites `name` at `role`, and `name` accepts."""
    invite = people.app.use(Invite)
    invitation = await invite(await people.who(inviter), project_id, f"{name}@example.com", role)
    await people.app.use(AcceptInvitation)(await people.who(name), invitation.id)


async def tools_project(people: People, owner: str = "olive", **members: ProjectRole) -> Project:
    """Project "tools", created by `owner`, who then invites each of `members` with the role given (they accept)."""
    app = people.app
    project = await app.use(CreateProject)(await people.who(owner), NewProject("Tools", "tools"))
    for name, role in members.items():
        await join(people, project.id, owner, name, role)
    return project


def project_tables(app: FakeApp) -> dict[str, Any]:
    """Projects and memberships as plain values, to tell whether anything was written."""
    return {
        name: {key: copy.deepcopy(dataclasses.asdict(row)) for key, row in app.db.table(name).items()}
        for name in ("projects", "memberships")
    }


def roles_in(app: FakeApp, project_id: UUID) -> dict[UUID, ProjectRole]:
    return {m.user_id: m.role for m in app.db.memberships.values() if m.project_id == project_id}


# --- creating ----------------------------------------------------------------------------------


async def test_the_creator_of_a_project_becomes_its_owner() -> None:
    people = People(FakeApp())
    project = await tools_project(people)
    olive = await people.who("olive")
    assert olive.memberships[project.id] is OWNER
    assert roles_in(people.app, project.id) == {olive.id: OWNER}
    assert not project.personal
    assert (await people.app.use(GetProject)(olive, project.id)).slug == "tools"


async def test_a_slug_taken_among_ones_own_projects_is_refused_and_nothing_is_written() -> None:
    people = People(FakeApp())
    await tools_project(people)
    olive = await people.who("olive")
    before = project_tables(people.app)
    with pytest.raises(DuplicateSlug):
        await people.app.use(CreateProject)(olive, NewProject("Other tools", "tools"))
    assert project_tables(people.app) == before


async def test_another_owners_slug_is_free_so_a_clash_tells_nobody_of_their_project() -> None:
    people = People(FakeApp())
    olives = await tools_project(people)
    otto = await people.who("otto")
    ottos = await people.app.use(CreateProject)(otto, NewProject("My tools", "tools"))
    assert (ottos.slug, ottos.owner_id, olives.owner_id) == ("tools", otto.id, await people.id_of("olive"))
    assert await slugs(people.app, await people.who("otto")) == sorted([f"personal-{otto.id.hex}", "tools"])
    assert [p.id for p in (await people.app.use(ListProjects)(ADMIN, limit=100)).items if p.slug == "tools"] == sorted(
        [olives.id, ottos.id]
    )


@pytest.mark.parametrize("slug", ["", "Tools", "-tools", "tools-", "to ols", "tools_2", "é", "a" * 65])
async def test_an_invalid_slug_is_refused_and_nothing_is_written(slug: str) -> None:
    people = People(FakeApp())
    olive = await people.who("olive")
    before = project_tables(people.app)
    with pytest.raises(InvalidValue) as refused:
        await people.app.use(CreateProject)(olive, NewProject("Tools", slug))
    assert refused.value.field == "slug"
    assert project_tables(people.app) == before


async def test_an_anonymous_caller_may_not_create_a_project() -> None:
    app = FakeApp()
    with pytest.raises(Forbidden):
        await app.use(CreateProject)(ANONYMOUS, NewProject("Tools", "tools"))


# --- listing and reading -----------------------------------------------------------------------


async def slugs(app: FakeApp, actor: Principal) -> list[str]:
    return [p.slug for p in (await app.use(ListProjects)(actor, limit=100)).items]


async def test_a_user_lists_only_the_projects_they_belong_to_and_an_admin_lists_all() -> None:
    people = People(FakeApp())
    app = people.app
    await tools_project(people, vic=VIEWER)
    await app.use(CreateProject)(await people.who("otto"), NewProject("Ops", "ops"))
    personal = {name: f"personal-{(await people.id_of(name)).hex}" for name in ("olive", "vic", "otto")}
    assert await slugs(app, await people.who("olive")) == sorted([personal["olive"], "tools"])
    assert await slugs(app, await people.who("vic")) == sorted([personal["vic"], "tools"])
    assert await slugs(app, await people.who("otto")) == sorted([personal["otto"], "ops"])
    assert await slugs(app, ADMIN) == sorted([*personal.values(), "tools", "ops", "team", "others"])


async def test_projects_come_in_slug_order_a_page_at_a_time() -> None:
    people = People(FakeApp())
    app = people.app
    olive = await people.who("olive")
    for slug in ["delta", "alpha", "echo", "charlie", "bravo"]:
        await app.use(CreateProject)(olive, NewProject(slug.title(), slug))
    olive = await people.who("olive")
    seen, after, pages = [], None, 0
    while True:
        page = await app.use(ListProjects)(olive, after=after, limit=2)
        assert len(page.items) <= 2
        seen += [p.slug for p in page.items]
        pages += 1
        if page.next_after is None:
            break
        assert page.next_after == f"{page.items[-1].slug}.{page.items[-1].id}"
        after = page.next_after
    assert seen == sorted(["alpha", "bravo", "charlie", "delta", "echo", f"personal-{olive.id.hex}"])
    assert pages == 3


@pytest.mark.parametrize("limit", [0, -1, 101])
async def test_a_page_size_out_of_range_is_refused(limit: int) -> None:
    app = FakeApp()
    with pytest.raises(InvalidValue):
        await app.use(ListProjects)(ALICE, limit=limit)


@pytest.mark.parametrize("after", ["tools", "tools.", "tools.not-a-uuid"])
async def test_a_page_cursor_that_no_page_gave_is_refused(after: str) -> None:
    with pytest.raises(InvalidValue, match="after"):
        await FakeApp().use(ListProjects)(ALICE, after=after)


async def test_a_project_the_caller_does_not_belong_to_does_not_exist_for_them() -> None:
    people = People(FakeApp())
    project = await tools_project(people, vic=VIEWER)
    get = people.app.use(GetProject)
    with pytest.raises(NotFound):
        await get(await people.who("otto"), project.id)
    with pytest.raises(NotFound):
        await get(await people.who("otto"), uuid4())
    assert (await get(await people.who("vic"), project.id)).id == project.id
    assert (await get(ADMIN, project.id)).id == project.id


# --- updating ----------------------------------------------------------------------------------


async def test_the_owner_renames_a_project_and_changes_its_slug() -> None:
    people = People(FakeApp())
    project = await tools_project(people)
    olive = await people.who("olive")
    await people.app.use(UpdateProject)(olive, project.id, ProjectChanges(name="Dev tools", slug="dev-tools"))
    stored = await people.app.use(GetProject)(olive, project.id)
    assert (stored.name, stored.slug) == ("Dev tools", "dev-tools")


@pytest.mark.parametrize("name", ["mona", "mel", "vic"])
async def test_only_the_owner_may_update_a_project(name: str) -> None:
    people = People(FakeApp())
    project = await tools_project(people, mona=MAINTAINER, mel=MEMBER, vic=VIEWER)
    before = project_tables(people.app)
    with pytest.raises(Forbidden):
        await people.app.use(UpdateProject)(await people.who(name), project.id, ProjectChanges(name="Mine now"))
    assert project_tables(people.app) == before


async def test_an_outsider_updating_a_project_is_told_it_does_not_exist() -> None:
    people = People(FakeApp())
    project = await tools_project(people)
    with pytest.raises(NotFound):
        await people.app.use(UpdateProject)(await people.who("otto"), project.id, ProjectChanges(name="Mine"))


async def test_renaming_a_project_to_a_slug_already_taken_is_refused_and_nothing_is_written() -> None:
    people = People(FakeApp())
    project = await tools_project(people)
    olive = await people.who("olive")
    await people.app.use(CreateProject)(olive, NewProject("Ops", "ops"))
    before = project_tables(people.app)
    with pytest.raises(DuplicateSlug):
        await people.app.use(UpdateProject)(await people.who("olive"), project.id, ProjectChanges(slug="ops"))
    assert project_tables(people.app) == before


async def test_publishing_publicly_under_a_slug_another_owners_project_publishes_under_is_refused() -> None:
    people = People(FakeApp())
    project = await tools_project(people)
    public = SettingsChanges(ProjectSettings(public_publications=True), frozenset({"public_publications"}))
    await people.app.use(UpdateProject)(await people.who("olive"), project.id, ProjectChanges(settings=public))
    otto = await people.who("otto")
    elsewhere = await people.app.use(CreateProject)(otto, NewProject("Elsewhere", "elsewhere"))
    otto = await people.who("otto")  # now its owner
    await people.app.use(UpdateProject)(otto, elsewhere.id, ProjectChanges(settings=public))
    with pytest.raises(PublicSlugTaken) as refused:  # by a rename
        await people.app.use(UpdateProject)(otto, elsewhere.id, ProjectChanges(slug="tools"))
    assert refused.value.slug == "tools"
    namesake = await people.app.use(CreateProject)(otto, NewProject("Tools too", "tools"))  # not public: allowed
    otto = await people.who("otto")
    before = project_tables(people.app)
    with pytest.raises(PublicSlugTaken) as refused:  # by the setting
        await people.app.use(UpdateProject)(otto, namesake.id, ProjectChanges(settings=public))
    assert refused.value.slug == "tools"
    assert project_tables(people.app) == before


# --- deleting ----------------------------------------------------------------------------------


async def test_the_owner_deletes_a_project_with_its_tasks_and_memberships() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mel=MEMBER)
    doomed = await app.submit(await people.who("mel"), project_id=project.id)
    kept = await app.submit(ALICE, project_id=TEAM)
    await app.use(DeleteProject)(await people.who("olive"), project.id)
    assert project.id not in app.db.projects
    assert roles_in(app, project.id) == {}
    assert set(app.db.tasks) == {kept.id}
    assert [row.job.order.task_id for row in app.db.jobs.values()] == [kept.id]
    assert doomed.id not in app.db.versions
    with pytest.raises(NotFound):
        await app.use(GetProject)(await people.who("olive"), project.id)


async def test_a_personal_project_cannot_be_deleted() -> None:
    people = People(FakeApp())
    olive = await people.who("olive")
    [personal] = olive.memberships
    before = project_tables(people.app)
    with pytest.raises(IllegalTransition):
        await people.app.use(DeleteProject)(olive, personal)
    with pytest.raises(IllegalTransition):
        await people.app.use(DeleteProject)(ADMIN, personal)
    assert project_tables(people.app) == before


@pytest.mark.parametrize("status", [TaskStatus.RUNNING, TaskStatus.CANCELLING])
async def test_a_project_with_a_task_running_is_not_deleted(status: TaskStatus) -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people)
    task = await app.submit(await people.who("olive"), project_id=project.id)
    running = app.db.tasks[task.id]
    running.start(1, uuid4(), "worker-1", app.clock.now())
    if status is TaskStatus.CANCELLING:
        running.cancel(app.clock.now())
    assert running.status is status
    before = project_tables(app)
    with pytest.raises(ProjectBusy):
        await app.use(DeleteProject)(await people.who("olive"), project.id)
    assert project_tables(app) == before
    assert task.id in app.db.tasks


async def test_only_the_owner_may_delete_a_project_and_an_outsider_does_not_see_it() -> None:
    people = People(FakeApp())
    project = await tools_project(people, mona=MAINTAINER)
    with pytest.raises(Forbidden):
        await people.app.use(DeleteProject)(await people.who("mona"), project.id)
    with pytest.raises(NotFound):
        await people.app.use(DeleteProject)(await people.who("otto"), project.id)
    assert project.id in people.app.db.projects


# --- members -----------------------------------------------------------------------------------


async def test_a_maintainer_manages_the_members_below_owner() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mona=MAINTAINER)
    await join(people, project.id, "mona", "vic", VIEWER)
    vic = await people.who("vic")
    for role in (MEMBER, MAINTAINER, VIEWER):
        changed = await app.use(ChangeMemberRole)(await people.who("mona"), project.id, vic.id, role)
        assert changed.membership.role is role
        assert roles_in(app, project.id)[vic.id] is role
    await app.use(RemoveMember)(await people.who("mona"), project.id, vic.id)
    assert vic.id not in roles_in(app, project.id)


async def test_a_maintainer_may_neither_make_an_owner_nor_touch_one() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mona=MAINTAINER, mel=MEMBER)
    mona, olive, mel = await people.who("mona"), await people.id_of("olive"), await people.id_of("mel")
    await people.who("vic")
    before = project_tables(app)
    with pytest.raises(Forbidden):
        await app.use(Invite)(mona, project.id, "vic@example.com", OWNER)
    with pytest.raises(Forbidden):
        await app.use(ChangeMemberRole)(mona, project.id, mel, OWNER)
    with pytest.raises(Forbidden):
        await app.use(ChangeMemberRole)(mona, project.id, olive, MAINTAINER)
    with pytest.raises(Forbidden):
        await app.use(RemoveMember)(mona, project.id, olive)
    assert project_tables(app) == before


@pytest.mark.parametrize("name", ["mel", "vic"])
async def test_members_and_viewers_may_not_manage_members(name: str) -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mel=MEMBER, vic=VIEWER)
    actor, other = await people.who(name), await people.id_of("vic" if name == "mel" else "mel")
    await people.who("newcomer")
    before = project_tables(app)
    with pytest.raises(Forbidden):
        await app.use(Invite)(actor, project.id, "newcomer@example.com", VIEWER)
    with pytest.raises(Forbidden):
        await app.use(ChangeMemberRole)(actor, project.id, other, VIEWER)
    with pytest.raises(Forbidden):
        await app.use(RemoveMember)(actor, project.id, other)
    with pytest.raises(Forbidden):
        await app.use(ChangeMemberRole)(actor, project.id, actor.id, MAINTAINER)
    assert project_tables(app) == before


async def test_an_outsider_managing_members_is_told_the_project_does_not_exist() -> None:
    people = People(FakeApp())
    project = await tools_project(people, mel=MEMBER)
    otto, mel = await people.who("otto"), await people.id_of("mel")
    with pytest.raises(NotFound):
        await people.app.use(ListMembers)(otto, project.id)
    with pytest.raises(NotFound):
        await people.app.use(Invite)(otto, project.id, "otto@example.com", VIEWER)
    with pytest.raises(NotFound):
        await people.app.use(RemoveMember)(otto, project.id, mel)


async def test_a_viewer_may_leave_and_then_no_longer_sees_the_project() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, vic=VIEWER)
    vic = await people.who("vic")
    await app.use(RemoveMember)(vic, project.id, vic.id)
    assert vic.id not in roles_in(app, project.id)
    vic = await people.who("vic")
    assert project.id not in vic.memberships
    with pytest.raises(NotFound):
        await app.use(GetProject)(vic, project.id)


async def test_changing_or_removing_someone_who_is_not_a_member_is_refused() -> None:
    people = People(FakeApp())
    project = await tools_project(people)
    olive, otto = await people.who("olive"), await people.id_of("otto")
    with pytest.raises(NotFound):
        await people.app.use(ChangeMemberRole)(olive, project.id, otto, MEMBER)
    with pytest.raises(NotFound):
        await people.app.use(RemoveMember)(olive, project.id, otto)


async def test_the_last_owner_can_neither_leave_nor_step_down() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mona=MAINTAINER)
    olive = await people.who("olive")
    before = project_tables(app)
    with pytest.raises(LastOwner):
        await app.use(RemoveMember)(olive, project.id, olive.id)
    for role in (MAINTAINER, MEMBER, VIEWER):
        with pytest.raises(LastOwner):
            await app.use(ChangeMemberRole)(olive, project.id, olive.id, role)
    with pytest.raises(LastOwner):
        await app.use(ChangeMemberRole)(ADMIN, project.id, olive.id, MAINTAINER)
    assert project_tables(app) == before


async def test_with_a_second_owner_an_owner_may_step_down_and_then_leave() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mona=MAINTAINER)
    olive, mona = await people.who("olive"), await people.id_of("mona")
    await app.use(ChangeMemberRole)(olive, project.id, mona, OWNER)
    await app.use(ChangeMemberRole)(olive, project.id, olive.id, MAINTAINER)
    olive = await people.who("olive")
    await app.use(RemoveMember)(olive, project.id, olive.id)
    assert roles_in(app, project.id) == {mona: OWNER}
    with pytest.raises(LastOwner):
        await app.use(RemoveMember)(await people.who("mona"), project.id, mona)


async def test_members_are_listed_by_role_from_owner_down_then_by_email() -> None:
    people = People(FakeApp())
    project = await tools_project(people, zoe=MEMBER, amy=VIEWER, max=MAINTAINER, bea=MEMBER, ann=MAINTAINER)
    members = await people.app.use(ListMembers)(await people.who("amy"), project.id)
    assert [(m.membership.role, m.user.email) for m in members] == [
        (OWNER, "olive@example.com"),
        (MAINTAINER, "ann@example.com"),
        (MAINTAINER, "max@example.com"),
        (MEMBER, "bea@example.com"),
        (MEMBER, "zoe@example.com"),
        (VIEWER, "amy@example.com"),
    ]
