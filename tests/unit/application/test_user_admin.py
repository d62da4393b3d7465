"""Admins list, read, change and delete accounts; users delete their own. On the in-memory fakes."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from typing import Any
from uuid import UUID, uuid4

import pytest

from agentry.application.errors import (
    Forbidden,
    LastAdmin,
    NotFound,
    ProjectBusy,
    SoleOwner,
    Unauthenticated,
    WrongPassword,
)
from agentry.application.identity.authenticate import Authenticate
from agentry.application.identity.log_in import LogIn
from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.projects.answer_invitation import AcceptInvitation
from agentry.application.projects.create_project import CreateProject, NewProject
from agentry.application.projects.invitations import Invite
from agentry.application.projects.members import ChangeMemberRole
from agentry.application.users.delete_account import DeleteAccount
from agentry.application.users.get_user import GetUser
from agentry.application.users.list_users import ListUsers, UserFilter
from agentry.application.users.update_user import UpdateUser, UserChanges
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.credentials import API_TOKEN_PREFIX, digest
from agentry.domain.identity.sessions import ApiToken, RevokeReason
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Project
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ADMIN, FakeApp
from tests.fakes.memory_identity import MemorySessionRepository

ANONYMOUS = Principal.anonymous()
PASSWORD = "tulip-harbour-engine-42"
USER, ADMIN_ROLE = GlobalRole.USER, GlobalRole.ADMIN
OWNER, MEMBER = ProjectRole.OWNER, ProjectRole.MEMBER
TABLES = ("users", "projects", "memberships", "login_sessions", "refresh_tokens", "api_tokens", "tasks")


class Accounts:
    """Registered users by first name (name@example.com), each signed in with a login session; `who`
    authenticates afresh every time, so the principal is the account as it is now."""

    def __init__(self, app: FakeApp) -> None:
        self.app = app
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, UUID] = {}

    async def who(self, name: str) -> Principal:
        if name not in self.tokens:
            await self.add(name)
        return await self.app.use(Authenticate)(self.tokens[name])

    async def add(self, name: str, role: GlobalRole = USER) -> UUID:
        email = f"{name}@example.com"
        registrar = ADMIN if role is ADMIN_ROLE else ANONYMOUS
        user = await self.app.use(RegisterUser)(registrar, Registration(email, PASSWORD, name.title(), role))
        self.ids[name] = user.id
        self.tokens[name] = (await self.app.use(LogIn)(ANONYMOUS, email, PASSWORD)).access_token
        return user.id

    def api_token(self, name: str) -> str:
        """A personal API token of the user, stored as the token endpoints would store it."""
        secret = f"{API_TOKEN_PREFIX}{uuid4().hex}"
        token = ApiToken.create(uuid4(), self.ids[name], "ci", digest(secret), secret[:12], self.app.clock.now(), 30)
        self.app.db.api_tokens[token.id] = token
        return secret

    def personal_project(self, name: str) -> Project:
        [project] = [
            p for p in self.app.db.projects.values() if p.personal and (p.id, self.ids[name]) in self.app.db.memberships
        ]
        return project


def tables(app: FakeApp) -> dict[str, Any]:
    """Everything these use cases may write, as plain values, to tell whether anything was."""
    return {
        name: {key: copy.deepcopy(dataclasses.asdict(row)) for key, row in app.db.table(name).items()}
        for name in TABLES
    }


async def refused(app: FakeApp, credential: str) -> bool:
    try:
        await app.use(Authenticate)(credential)
    except Unauthenticated:
        return True
    return False


async def shared_project(accounts: Accounts, slug: str, owner: str, **members: ProjectRole) -> Project:
    app = accounts.app
    project = await app.use(CreateProject)(await accounts.who(owner), NewProject(slug.title(), slug))
    for name, role in members.items():
        await join(accounts, project.id, owner, name, role)
    return project


async def join(accounts: Accounts, project_id: UUID, inviter: str, name: str, role: ProjectRole) -> None:
    """`inviter` invites `name` at `role`, and `name` accepts."""
    invitation = await accounts.app.use(Invite)(await accounts.who(inviter), project_id, f"{name}@example.com", role)
    await accounts.app.use(AcceptInvitation)(await accounts.who(name), invitation.id)


# --- listing and reading -----------------------------------------------------------------------


async def test_an_admin_pages_through_every_account_in_email_order() -> None:
    accounts = Accounts(FakeApp())
    for name in ("dora", "bea", "carl", "amy", "ed"):
        await accounts.who(name)
    await accounts.add("adele", ADMIN_ROLE)
    admin = await accounts.who("adele")
    pages, after = [], None
    while True:
        page = await accounts.app.use(ListUsers)(admin, after=after, limit=2)
        pages.append([u.email.split("@")[0] for u in page.items])
        if page.next_after is None:
            break
        after = page.next_after
    assert pages == [["adele", "amy"], ["bea", "carl"], ["dora", "ed"]]


async def test_accounts_are_filtered_by_role_and_by_being_active() -> None:
    accounts = Accounts(FakeApp())
    await accounts.add("adele", ADMIN_ROLE)
    await accounts.add("alan", ADMIN_ROLE)
    for name in ("bea", "carl"):
        await accounts.who(name)
    admin = await accounts.who("adele")
    list_users = accounts.app.use(ListUsers)
    await accounts.app.use(UpdateUser)(admin, accounts.ids["carl"], UserChanges(active=False))
    await accounts.app.use(UpdateUser)(admin, accounts.ids["alan"], UserChanges(active=False))

    async def names(only: UserFilter) -> list[str]:
        return [u.display_name for u in (await list_users(admin, only=only)).items]

    assert await names(UserFilter(role=ADMIN_ROLE)) == ["Adele", "Alan"]
    assert await names(UserFilter(active=False)) == ["Alan", "Carl"]
    assert await names(UserFilter(role=USER, active=True)) == ["Bea"]
    assert await names(UserFilter()) == ["Adele", "Alan", "Bea", "Carl"]


@pytest.mark.parametrize("limit", [0, 101])
async def test_a_page_size_out_of_range_is_refused(limit: int) -> None:
    with pytest.raises(InvalidValue):
        await FakeApp().use(ListUsers)(ADMIN, limit=limit)


async def test_an_admin_reads_an_account_with_the_projects_it_belongs_to_in_the_order_it_joined() -> None:
    accounts = Accounts(FakeApp())
    tools = await shared_project(accounts, "tools", "olive", bea=MEMBER)
    docs = await shared_project(accounts, "docs", "bea")
    detail = await accounts.app.use(GetUser)(ADMIN, accounts.ids["bea"])
    assert detail.user.email == "bea@example.com"
    assert [(j.project.slug, j.membership.role) for j in detail.memberships] == [
        (accounts.personal_project("bea").slug, OWNER),
        (tools.slug, MEMBER),
        (docs.slug, OWNER),
    ]
    with pytest.raises(NotFound):
        await accounts.app.use(GetUser)(ADMIN, uuid4())


@pytest.mark.parametrize("actor", ["a user", "anonymous"])
async def test_only_admins_may_list_read_change_or_delete_accounts_known_or_not(actor: str) -> None:
    accounts = Accounts(FakeApp())
    bea = await accounts.who("bea")
    caller = await accounts.who("carl") if actor == "a user" else ANONYMOUS
    before = tables(accounts.app)
    app = accounts.app
    with pytest.raises(Forbidden):
        await app.use(ListUsers)(caller)
    for user_id in (bea.id, uuid4()):
        with pytest.raises(Forbidden):
            await app.use(GetUser)(caller, user_id)
        with pytest.raises(Forbidden):
            await app.use(UpdateUser)(caller, user_id, UserChanges(role=ADMIN_ROLE))
        with pytest.raises(Forbidden):
            await app.use(DeleteAccount)(caller, user_id)
    assert tables(app) == before


# --- roles and deactivation --------------------------------------------------------------------


async def test_an_admin_promotes_a_user_and_demotes_them_again() -> None:
    accounts = Accounts(FakeApp())
    await accounts.add("adele", ADMIN_ROLE)
    bea = await accounts.who("bea")
    promoted = await accounts.app.use(UpdateUser)(await accounts.who("adele"), bea.id, UserChanges(role=ADMIN_ROLE))
    assert promoted.role is ADMIN_ROLE
    assert (await accounts.who("bea")).is_admin, "the same session now acts as an admin"
    await accounts.app.use(UpdateUser)(await accounts.who("bea"), bea.id, UserChanges(role=USER))
    assert not (await accounts.who("bea")).is_admin


async def test_deactivation_ends_every_session_and_api_token_and_reactivation_revives_none() -> None:
    accounts = Accounts(FakeApp())
    app = accounts.app
    bea = await accounts.who("bea")
    second_login = (await app.use(LogIn)(ANONYMOUS, "bea@example.com", PASSWORD)).access_token
    api_token = accounts.api_token("bea")
    await accounts.who("carl")
    carl_token = accounts.api_token("carl")
    await app.use(UpdateUser)(ADMIN, bea.id, UserChanges(active=False))
    for credential in (accounts.tokens["bea"], second_login, api_token):
        assert await refused(app, credential)
    sessions = [s for s in app.db.login_sessions.values() if s.user_id == bea.id]
    assert len(sessions) == 2
    assert {s.revoke_reason for s in sessions} == {RevokeReason.USER_DEACTIVATED}
    assert all(t.revoked_at is not None for t in app.db.api_tokens.values() if t.user_id == bea.id)
    assert not await refused(app, carl_token), "nobody else's credentials"

    reactivated = await app.use(UpdateUser)(ADMIN, bea.id, UserChanges(active=True))
    assert reactivated.active
    for credential in (accounts.tokens["bea"], second_login, api_token):
        assert await refused(app, credential), "old credentials stay dead"
    fresh = await app.use(LogIn)(ANONYMOUS, "bea@example.com", PASSWORD)
    assert (await app.use(Authenticate)(fresh.access_token)).id == bea.id


async def test_setting_what_already_holds_writes_nothing() -> None:
    accounts = Accounts(FakeApp())
    bea = await accounts.who("bea")
    before = tables(accounts.app)
    unchanged = await accounts.app.use(UpdateUser)(ADMIN, bea.id, UserChanges(role=USER, active=True))
    assert unchanged.role is USER
    assert tables(accounts.app) == before


async def test_changing_an_unknown_account_is_refused() -> None:
    with pytest.raises(NotFound):
        await FakeApp().use(UpdateUser)(ADMIN, uuid4(), UserChanges(active=False))


@pytest.mark.parametrize(
    "changes", [UserChanges(role=USER), UserChanges(active=False), UserChanges(role=ADMIN_ROLE, active=False)]
)
async def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(changes: UserChanges) -> None:
    accounts = Accounts(FakeApp())
    adele_id = await accounts.add("adele", ADMIN_ROLE)
    await accounts.add("alan", ADMIN_ROLE)
    adele = await accounts.who("adele")
    await accounts.app.use(UpdateUser)(adele, accounts.ids["alan"], UserChanges(active=False))
    before = tables(accounts.app)
    with pytest.raises(LastAdmin):
        await accounts.app.use(UpdateUser)(adele, adele_id, changes)
    with pytest.raises(LastAdmin):
        await accounts.app.use(UpdateUser)(ADMIN, adele_id, changes)
    assert tables(accounts.app) == before, "an inactive admin does not count"


async def test_with_a_second_active_admin_an_admin_may_step_down() -> None:
    accounts = Accounts(FakeApp())
    adele_id = await accounts.add("adele", ADMIN_ROLE)
    alan_id = await accounts.add("alan", ADMIN_ROLE)
    await accounts.app.use(UpdateUser)(await accounts.who("adele"), adele_id, UserChanges(role=USER))
    assert accounts.app.db.users[adele_id].role is USER
    with pytest.raises(LastAdmin):
        await accounts.app.use(UpdateUser)(await accounts.who("alan"), alan_id, UserChanges(active=False))


async def test_two_admins_deactivating_each_other_at_once_leave_one_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = Accounts(FakeApp())
    adele_id = await accounts.add("adele", ADMIN_ROLE)
    alan_id = await accounts.add("alan", ADMIN_ROLE)

    class SlowSessions(MemorySessionRepository):
        async def revoke_all_of(self, *args: Any, **kwargs: Any) -> None:
            await asyncio.sleep(0.01)  # after the check, before the commit: the other request runs now
            await super().revoke_all_of(*args, **kwargs)

    monkeypatch.setattr("tests.fakes.app.MemorySessionRepository", SlowSessions)
    adele, alan = await accounts.who("adele"), await accounts.who("alan")
    outcomes = await asyncio.gather(
        accounts.app.use(UpdateUser)(adele, alan_id, UserChanges(active=False)),
        accounts.app.use(UpdateUser)(alan, adele_id, UserChanges(active=False)),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["LastAdmin", "User"]
    admins = [u for u in accounts.app.db.users.values() if u.is_admin and u.active]
    assert [u.id for u in admins] == [adele_id]


# --- deleting an account -----------------------------------------------------------------------


async def test_a_user_deletes_their_account_with_their_password() -> None:
    accounts = Accounts(FakeApp())
    app = accounts.app
    bea = await accounts.who("bea")
    personal = accounts.personal_project("bea")
    alone = await shared_project(accounts, "alone", "bea")
    crew = await shared_project(accounts, "crew", "olive", bea=MEMBER)
    co_owned = await shared_project(accounts, "co-owned", "bea", olive=OWNER)
    bea = await accounts.who("bea")
    gone = [await app.submit(bea, project_id=p.id) for p in (personal, alone)]
    kept = [await app.submit(bea, project_id=p.id) for p in (crew, co_owned)]
    api_token = accounts.api_token("bea")
    ops = await shared_project(accounts, "ops", "olive")
    to_bea = await app.use(Invite)(await accounts.who("olive"), ops.id, "bea@example.com", MEMBER)
    to_carl = await app.use(Invite)(await accounts.who("olive"), ops.id, "carl@example.com", MEMBER)

    await app.use(DeleteAccount)(bea, bea.id, password=PASSWORD)

    assert set(app.db.invitations) == {to_carl.id}, "the invitations to the account's address go with it"
    declined = [r.event for r in app.db.events if r.event.type == "project.invitation_declined"]
    assert [e.data["invitation_id"] for e in declined] == [str(to_bea.id)]

    assert bea.id not in app.db.users
    assert set(app.db.projects) & {personal.id, alone.id} == set()
    assert {crew.id, co_owned.id} <= set(app.db.projects)
    assert [m for m in app.db.memberships.values() if m.user_id == bea.id] == []
    assert all(t.id not in app.db.tasks for t in gone), "the deleted projects' tasks go with them"
    assert [app.db.tasks[t.id].owner_id for t in kept] == [bea.id, bea.id], "tasks in projects that stay, stay"
    assert [s for s in app.db.login_sessions.values() if s.user_id == bea.id] == []
    assert [t for t in app.db.api_tokens.values() if t.user_id == bea.id] == []
    assert await refused(app, accounts.tokens["bea"])
    assert await refused(app, api_token)


async def test_a_wrong_or_missing_password_or_an_api_token_deletes_nothing() -> None:
    accounts = Accounts(FakeApp())
    app = accounts.app
    bea = await accounts.who("bea")
    through_token = await app.use(Authenticate)(accounts.api_token("bea"))
    before = tables(app)
    with pytest.raises(WrongPassword):
        await app.use(DeleteAccount)(bea, bea.id, password="not-my-password-at-all")
    with pytest.raises(Forbidden):
        await app.use(DeleteAccount)(bea, bea.id)
    with pytest.raises(Forbidden):
        await app.use(DeleteAccount)(through_token, bea.id, password=PASSWORD)
    assert tables(app) == before


async def test_an_admin_deletes_someone_elses_account_without_their_password() -> None:
    accounts = Accounts(FakeApp())
    bea = await accounts.who("bea")
    personal = accounts.personal_project("bea")
    await accounts.add("adele", ADMIN_ROLE)
    await accounts.app.use(DeleteAccount)(await accounts.who("adele"), bea.id)
    assert bea.id not in accounts.app.db.users
    assert personal.id not in accounts.app.db.projects
    with pytest.raises(NotFound):
        await accounts.app.use(DeleteAccount)(ADMIN, bea.id)


async def test_the_only_owner_of_shared_projects_others_are_in_must_hand_them_over_first() -> None:
    accounts = Accounts(FakeApp())
    app = accounts.app
    tools = await shared_project(accounts, "tools", "bea", carl=MEMBER)
    docs = await shared_project(accounts, "docs", "bea", dora=ProjectRole.VIEWER)
    bea = await accounts.who("bea")
    before = tables(app)
    with pytest.raises(SoleOwner) as refusal:
        await app.use(DeleteAccount)(bea, bea.id, password=PASSWORD)
    assert sorted(refusal.value.projects) == sorted([(tools.id, "tools"), (docs.id, "docs")])
    assert "tools" in str(refusal.value) and "docs" in str(refusal.value)
    assert tables(app) == before

    await app.use(ChangeMemberRole)(bea, tools.id, accounts.ids["carl"], OWNER)
    with pytest.raises(SoleOwner) as refusal:
        await app.use(DeleteAccount)(ADMIN, bea.id)
    assert refusal.value.projects == [(docs.id, "docs")]


async def test_a_personal_project_others_are_in_goes_with_its_owner() -> None:
    accounts = Accounts(FakeApp())
    app = accounts.app
    bea = await accounts.who("bea")
    personal = accounts.personal_project("bea")
    await join(accounts, personal.id, "bea", "carl", MEMBER)
    await app.use(DeleteAccount)(bea, bea.id, password=PASSWORD)
    assert personal.id not in app.db.projects
    assert accounts.ids["carl"] in app.db.users


@pytest.mark.parametrize("status", [TaskStatus.RUNNING, TaskStatus.CANCELLING])
async def test_a_task_running_in_a_project_that_would_go_stops_the_deletion(status: TaskStatus) -> None:
    accounts = Accounts(FakeApp())
    app = accounts.app
    bea = await accounts.who("bea")
    personal = accounts.personal_project("bea")
    task = app.db.tasks[(await app.submit(bea, project_id=personal.id)).id]
    task.start(1, uuid4(), "worker-1", app.clock.now())
    if status is TaskStatus.CANCELLING:
        task.cancel(app.clock.now())
    before = tables(app)
    with pytest.raises(ProjectBusy) as refusal:
        await app.use(DeleteAccount)(bea, bea.id, password=PASSWORD)
    assert refusal.value.project_id == personal.id
    assert tables(app) == before


async def test_a_task_running_in_a_project_that_stays_does_not_stop_the_deletion() -> None:
    accounts = Accounts(FakeApp())
    app = accounts.app
    crew = await shared_project(accounts, "crew", "olive", bea=MEMBER)
    bea = await accounts.who("bea")
    waiting = await app.submit(bea, project_id=accounts.personal_project("bea").id)
    running = app.db.tasks[(await app.submit(bea, project_id=crew.id)).id]
    running.start(1, uuid4(), "worker-1", app.clock.now())
    await app.use(DeleteAccount)(bea, bea.id, password=PASSWORD)
    assert waiting.id not in app.db.tasks, "a task still queued goes with its project"
    assert app.db.tasks[running.id].status is TaskStatus.RUNNING


async def test_the_last_active_admin_cannot_delete_their_account_but_one_of_two_can() -> None:
    accounts = Accounts(FakeApp())
    adele_id = await accounts.add("adele", ADMIN_ROLE)
    adele = await accounts.who("adele")
    before = tables(accounts.app)
    with pytest.raises(LastAdmin):
        await accounts.app.use(DeleteAccount)(adele, adele_id, password=PASSWORD)
    assert tables(accounts.app) == before
    await accounts.add("alan", ADMIN_ROLE)
    await accounts.app.use(DeleteAccount)(adele, adele_id, password=PASSWORD)
    with pytest.raises(LastAdmin):
        await accounts.app.use(DeleteAccount)(ADMIN, accounts.ids["alan"])
