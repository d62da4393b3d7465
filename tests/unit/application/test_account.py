"""Self-service account use cases on fakes: personal API tokens, the profile, the password and the export."""

from __future__ import annotations

import copy
import dataclasses
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from agentry.application.account import export_account
from agentry.application.account.api_tokens import (
    USABLE_TOKENS_MAX,
    CreateApiToken,
    ListApiTokens,
    NewApiToken,
    RevokeApiToken,
)
from agentry.application.account.change_password import ChangePassword
from agentry.application.account.export_account import AccountExport, ExportAccount
from agentry.application.account.update_profile import ProfileChanges, UpdateProfile
from agentry.application.chat.send_message import SendMessage, SendMessageCommand
from agentry.application.errors import (
    DuplicateEmail,
    Forbidden,
    NotASession,
    NotFound,
    TooManyApiTokens,
    Unauthenticated,
    WrongPassword,
)
from agentry.application.identity.authenticate import Authenticate
from agentry.application.identity.log_in import LogIn
from agentry.application.identity.log_out import LogOut
from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.projects.answer_invitation import AcceptInvitation
from agentry.application.projects.invitations import Invite
from agentry.application.projects.members import RemoveMember
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.sessions import RevokeReason
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.script import Say, UseTool
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ADMIN, ALICE, TEAM, FakeApp

ANONYMOUS = Principal.anonymous()
PASSWORD = "tulip-harbour-engine-42"
NEW_PASSWORD = "quartz-meadow-lantern-17"


async def sign_up(app: FakeApp, email: str = "ada@example.com", name: str = "Ada Lovelace") -> Principal:
    """A new account, signed in through a login session."""
    await app.use(RegisterUser)(ANONYMOUS, Registration(email, PASSWORD, name))
    return await sign_in(app, email)


async def sign_in(app: FakeApp, email: str = "ada@example.com", password: str = PASSWORD) -> Principal:
    pair = await app.use(LogIn)(ANONYMOUS, email, password)
    return await app.use(Authenticate)(pair.access_token)


async def access_token(app: FakeApp, email: str = "ada@example.com") -> str:
    return (await app.use(LogIn)(ANONYMOUS, email, PASSWORD)).access_token


async def new_token(app: FakeApp, actor: Principal, name: str = "ci", days: int = 30) -> NewApiToken:
    return await app.use(CreateApiToken)(actor, name, days)


async def through_token(app: FakeApp, actor: Principal) -> Principal:
    """The same user, acting through a personal API token."""
    return await app.use(Authenticate)((await new_token(app, actor)).secret)


def snapshot(app: FakeApp) -> dict[str, Any]:
    """Every account table, as plain values."""
    tables = ("users", "memberships", "login_sessions", "refresh_tokens", "api_tokens")
    return {
        name: {key: copy.deepcopy(dataclasses.asdict(row)) for key, row in app.db.table(name).items()}
        for name in tables
    }


# --- personal API tokens -------------------------------------------------------------------------


async def test_a_new_token_authenticates_as_its_user_without_a_session_and_only_its_digest_is_kept() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    new = await new_token(app, ada, " deploy   bot ", days=7)
    assert new.secret.startswith("agt_") and new.token.prefix == new.secret[:12]
    assert new.token.name == "deploy bot"
    assert new.token.expires_at - new.token.created_at == timedelta(days=7)
    stored = app.db.api_tokens[new.token.id]
    assert new.secret not in repr(dataclasses.asdict(stored))
    principal = await app.use(Authenticate)(new.secret)
    assert (principal.id, dict(principal.memberships), principal.session_id) == (ada.id, dict(ada.memberships), None)


async def test_a_principal_acting_through_an_api_token_cannot_create_another_token() -> None:
    app = FakeApp()
    robot = await through_token(app, await sign_up(app))
    before = snapshot(app)
    with pytest.raises(Forbidden):
        await new_token(app, robot)
    assert snapshot(app) == before


async def test_logging_out_through_an_api_token_is_refused_naming_how_to_revoke_it_and_nothing_ends() -> None:
    app = FakeApp()
    secret = (await new_token(app, await sign_up(app))).secret
    robot = await app.use(Authenticate)(secret)
    before = snapshot(app)
    with pytest.raises(NotASession, match=r"DELETE /api/v1/auth/tokens/\{id\}"):
        await app.use(LogOut)(robot)
    assert snapshot(app) == before
    assert (await app.use(Authenticate)(secret)).id == robot.id


@pytest.mark.parametrize(("name", "days"), [("", 30), ("   ", 30), ("x" * 101, 30), ("ci", 0), ("ci", 367)])
async def test_a_bad_name_or_lifetime_is_refused_and_nothing_is_written(name: str, days: int) -> None:
    app = FakeApp()
    ada = await sign_up(app)
    before = snapshot(app)
    with pytest.raises(InvalidValue):
        await new_token(app, ada, name, days)
    assert snapshot(app) == before


async def test_only_so_many_usable_tokens_and_revoked_or_expired_ones_do_not_count() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    short = await new_token(app, ada, "short", days=1)
    tokens = [await new_token(app, ada, f"t{n}") for n in range(USABLE_TOKENS_MAX - 1)]
    with pytest.raises(TooManyApiTokens):
        await new_token(app, ada, "one too many")
    assert len(app.db.api_tokens) == USABLE_TOKENS_MAX
    await app.use(RevokeApiToken)(ada, tokens[0].token.id)
    await new_token(app, ada, "in the revoked one's place")
    app.clock.advance(days=1)
    await new_token(app, ada, "in the expired one's place")
    assert not app.db.api_tokens[short.token.id].usable(app.clock.now())
    with pytest.raises(TooManyApiTokens):
        await new_token(app, ada, "one too many again")


async def test_the_list_holds_only_the_callers_tokens_oldest_first_with_revoked_and_expired_ones() -> None:
    app = FakeApp()
    ada, grace = await sign_up(app), await sign_up(app, "grace@example.com", "Grace")
    expiring = await new_token(app, ada, "expiring", days=1)
    revoked = await new_token(app, ada, "revoked")
    live = await new_token(app, ada, "live")
    await new_token(app, grace, "grace's")
    await app.use(RevokeApiToken)(ada, revoked.token.id)
    app.clock.advance(days=2)
    page = await app.use(ListApiTokens)(ada)
    assert [t.name for t in page.items] == ["expiring", "revoked", "live"]
    assert [t.usable(page.as_of) for t in page.items] == [False, False, True]
    assert page.items[1].revoked_at is not None and page.next_after is None
    first = await app.use(ListApiTokens)(ada, limit=2)
    rest = await app.use(ListApiTokens)(ada, after=first.next_after, limit=2)
    assert [t.id for t in first.items + rest.items] == [expiring.token.id, revoked.token.id, live.token.id]
    assert rest.next_after is None
    with pytest.raises(InvalidValue):
        await app.use(ListApiTokens)(ada, limit=101)


async def test_a_revoked_token_stops_working_and_revoking_it_again_changes_nothing() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    new = await new_token(app, ada)
    robot = await app.use(Authenticate)(new.secret)
    await app.use(RevokeApiToken)(robot, new.token.id)  # a token may retire itself
    with pytest.raises(Unauthenticated):
        await app.use(Authenticate)(new.secret)
    revoked_at = app.db.api_tokens[new.token.id].revoked_at
    await app.use(RevokeApiToken)(ada, new.token.id)
    assert app.db.api_tokens[new.token.id].revoked_at == revoked_at is not None


@pytest.mark.parametrize("actor", ["grace", "admin"])
async def test_someone_elses_token_does_not_exist_for_the_caller_even_an_admin(actor: str) -> None:
    app = FakeApp()
    ada = await sign_up(app)
    new = await new_token(app, ada)
    caller = await sign_up(app, "grace@example.com", "Grace") if actor == "grace" else ADMIN
    before = snapshot(app)
    for token_id in (new.token.id, uuid4()):
        with pytest.raises(NotFound):
            await app.use(RevokeApiToken)(caller, token_id)
    assert snapshot(app) == before
    assert (await app.use(Authenticate)(new.secret)).id == ada.id


# --- the profile ---------------------------------------------------------------------------------


async def test_the_display_name_changes_also_through_an_api_token() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    user = await app.use(UpdateProfile)(ada, ProfileChanges(display_name="  Countess   Ada "))
    assert user.display_name == app.db.users[ada.id].display_name == "Countess Ada"
    robot = await through_token(app, ada)
    await app.use(UpdateProfile)(robot, ProfileChanges(display_name="Ada"))
    assert app.db.users[ada.id].display_name == "Ada"


async def test_the_email_changes_with_the_current_password_and_is_then_the_one_to_log_in_with() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    changes = ProfileChanges(email=" Ada@Analytical.ENGINE ", current_password=PASSWORD)
    user = await app.use(UpdateProfile)(ada, changes)
    assert user.email == app.db.users[ada.id].email == "ada@analytical.engine"
    assert (await sign_in(app, "ada@analytical.engine")).id == ada.id
    with pytest.raises(Unauthenticated):
        await sign_in(app, "ada@example.com")


@pytest.mark.parametrize(("password", "error"), [(None, InvalidValue), ("not-the-password-at-all", WrongPassword)])
async def test_an_email_change_without_the_right_current_password_is_refused_and_nothing_is_written(
    password: str | None, error: type[Exception]
) -> None:
    app = FakeApp()
    ada = await sign_up(app)
    before = snapshot(app)
    with pytest.raises(error):
        await app.use(UpdateProfile)(
            ada, ProfileChanges(display_name="Ada", email="new@example.com", current_password=password)
        )
    assert snapshot(app) == before


async def test_an_email_change_through_an_api_token_is_refused_even_with_the_password() -> None:
    app = FakeApp()
    robot = await through_token(app, await sign_up(app))
    before = snapshot(app)
    with pytest.raises(Forbidden):
        await app.use(UpdateProfile)(robot, ProfileChanges(email="new@example.com", current_password=PASSWORD))
    assert snapshot(app) == before


async def test_an_address_another_account_has_is_refused_and_nothing_is_written() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    await sign_up(app, "grace@example.com", "Grace")
    before = snapshot(app)
    with pytest.raises(DuplicateEmail):
        await app.use(UpdateProfile)(ada, ProfileChanges(email="GRACE@example.com", current_password=PASSWORD))
    assert snapshot(app) == before


async def test_giving_the_current_values_again_writes_nothing_and_needs_no_password() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    before, commits = snapshot(app), app.db.commits
    user = await app.use(UpdateProfile)(ada, ProfileChanges(display_name="Ada Lovelace", email="ADA@example.com"))
    assert user.email == "ada@example.com"
    assert (snapshot(app), app.db.commits) == (before, commits)


@pytest.mark.parametrize("changes", [ProfileChanges(display_name=" "), ProfileChanges(email="not an address")])
async def test_a_bad_display_name_or_email_is_refused(changes: ProfileChanges) -> None:
    app = FakeApp()
    ada = await sign_up(app)
    with pytest.raises(InvalidValue):
        await app.use(UpdateProfile)(ada, dataclasses.replace(changes, current_password=PASSWORD))


async def test_nobody_may_change_an_account_without_signing_in() -> None:
    app = FakeApp()
    with pytest.raises(Forbidden):
        await app.use(UpdateProfile)(ANONYMOUS, ProfileChanges(display_name="Ghost"))


# --- the password --------------------------------------------------------------------------------


async def test_a_password_change_ends_every_other_session_keeps_this_one_and_the_api_tokens() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    laptop, phone = await sign_in(app), await sign_in(app)
    token = await new_token(app, ada)
    await app.use(ChangePassword)(ada, PASSWORD, NEW_PASSWORD)
    assert (await sign_in(app, password=NEW_PASSWORD)).id == ada.id
    with pytest.raises(Unauthenticated):
        await sign_in(app)
    for other in (laptop, phone):
        assert app.db.login_sessions[other.session_id].revoke_reason is RevokeReason.PASSWORD_CHANGED
    assert not app.db.login_sessions[ada.session_id].revoked
    assert (await app.use(Authenticate)(token.secret)).id == ada.id
    user = app.db.users[ada.id]
    assert user.password_changed_at == user.updated_at


async def test_a_wrong_current_password_is_refused_and_nothing_is_written() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    await sign_in(app)
    before = snapshot(app)
    with pytest.raises(WrongPassword):
        await app.use(ChangePassword)(ada, "not-the-password-at-all", NEW_PASSWORD)
    assert snapshot(app) == before


@pytest.mark.parametrize("new", ["short", "password1234", "ada@example.com", PASSWORD])
async def test_a_new_password_breaking_the_rules_is_refused_naming_new_password(new: str) -> None:
    app = FakeApp()
    ada = await sign_up(app)
    before = snapshot(app)
    with pytest.raises(InvalidValue) as refused:
        await app.use(ChangePassword)(ada, PASSWORD, new)
    assert refused.value.field == "new_password"
    assert snapshot(app) == before


async def test_a_password_cannot_be_changed_through_an_api_token() -> None:
    app = FakeApp()
    robot = await through_token(app, await sign_up(app))
    before = snapshot(app)
    with pytest.raises(Forbidden):
        await app.use(ChangePassword)(robot, PASSWORD, NEW_PASSWORD)
    assert snapshot(app) == before


# --- the export ----------------------------------------------------------------------------------


async def collect(export: AccountExport) -> dict[str, Any]:
    """Walk the export as the HTTP layer does: in order, each nested part before the next item."""
    tasks = []
    async for exported in export.tasks:
        executions = []
        async for execution in exported.executions:
            executions.append((execution.execution, [line async for line in execution.log]))
        tasks.append((exported.task, exported.result, executions))
    return {
        "memberships": [(m.project.slug, m.membership.role) async for m in export.memberships],
        "invitations": [(i.project.slug, i.invitation.role) for i in export.invitations],
        "sessions": [s async for s in export.sessions],
        "api_tokens": [t async for t in export.api_tokens],
        "tasks": tasks,
        "chat_sessions": [(c.session, [t async for t in c.turns]) async for c in export.chat_sessions],
    }


async def test_the_export_holds_the_account_memberships_sessions_tokens_and_tasks_with_their_runs() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    await sign_in(app)
    token = await new_token(app, ada)
    script = (Say("Reading. "), UseTool("Read", {"path": "a.py"}, "print(1)"), Say("Done."))
    ran = await app.submit(ada, script=script)
    await app.relay()
    await app.run_next()
    waiting = await app.submit(ada, title="Not yet")
    await app.submit(ALICE)  # someone else's
    await app.use(Invite)(ADMIN, TEAM, "ada@example.com", ProjectRole.VIEWER)
    await app.use(Invite)(ADMIN, TEAM, "someone@example.com", ProjectRole.VIEWER)
    export = await app.use(ExportAccount)(ada)
    assert export.user.id == ada.id and export.session_id == ada.session_id
    everything = await collect(export)
    assert everything["memberships"] == [(app.db.projects[p].slug, ProjectRole.OWNER) for p in ada.memberships]
    assert everything["invitations"] == [("team", ProjectRole.VIEWER)]
    assert [s.id for s in everything["sessions"]] == sorted(s.id for s in app.db.login_sessions.values())
    assert [t.id for t in everything["api_tokens"]] == [token.token.id]
    [(task, result, [(execution, log)]), (pending, no_result, no_runs)] = everything["tasks"]
    assert (task.id, task.status, pending.id, no_result, no_runs) == (
        ran.id,
        TaskStatus.SUCCEEDED,
        waiting.id,
        None,
        [],
    )
    assert result is not None and result.task_id == ran.id
    assert execution.number == 1 and log and [line.sequence for line in log] == list(range(1, len(log) + 1))


async def test_the_export_leaves_out_tasks_in_projects_the_user_can_no_longer_read_and_others_tasks() -> None:
    app = FakeApp()
    ada = await sign_up(app)
    invitation = await app.use(Invite)(ADMIN, TEAM, "ada@example.com", ProjectRole.MEMBER)
    await app.use(AcceptInvitation)(ada, invitation.id)
    ada = await app.use(Authenticate)(await access_token(app))
    in_team = await app.submit(ada, project_id=TEAM)
    personal = await app.submit(ada, project_id=next(p for p in ada.memberships if p != TEAM))
    await app.submit(ALICE, project_id=TEAM)
    everything = await collect(await app.use(ExportAccount)(ada))
    assert [task.id for task, _, _ in everything["tasks"]] == [in_team.id, personal.id]
    assert sorted(slug for slug, _ in everything["memberships"]) == sorted(
        app.db.projects[p].slug for p in ada.memberships
    )
    await app.use(RemoveMember)(ada, TEAM, ada.id)
    ada = await app.use(Authenticate)(await access_token(app))
    everything = await collect(await app.use(ExportAccount)(ada))
    assert [task.id for task, _, _ in everything["tasks"]] == [personal.id]
    assert "team" not in [slug for slug, _ in everything["memberships"]]


async def test_the_export_pages_through_everything_and_misses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_account, "PAGE", 2)
    monkeypatch.setattr(export_account, "LOG_PAGE", 3)
    app = FakeApp()
    ada = await sign_up(app)
    for _ in range(4):
        await sign_in(app)
        await new_token(app, ada)
    submitted = [await app.submit(ada, title=f"Task {n}", script=(Say("word ", repeat=5),)) for n in range(5)]
    await app.relay()
    await app.run(app.broker.sent.pop(0))
    with_log = submitted[0]
    everything = await collect(await app.use(ExportAccount)(ada))
    assert len(everything["sessions"]) == len(app.db.login_sessions) == 5
    assert len(everything["api_tokens"]) == len(app.db.api_tokens) == 4
    assert [task.id for task, _, _ in everything["tasks"]] == [t.id for t in submitted]
    [(_, log)] = everything["tasks"][0][2]
    stored = sorted(line.sequence for (task_id, _, _), line in app.db.logs.items() if task_id == with_log.id)
    assert len(stored) > 3 and [line.sequence for line in log] == stored


async def test_the_export_holds_the_users_chat_sessions_with_every_turn_latest_first_and_no_one_elses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_account, "PAGE", 2)
    app = FakeApp()
    ada = await sign_up(app)
    personal = next(iter(ada.memberships))
    send = app.use(SendMessage)
    older = await send(ada, SendMessageCommand("First chat", project_id=personal))
    for n in range(2):
        await send(ada, SendMessageCommand(f"more {n}", older.session.id))
    sessions = [older.session.id]
    for n in range(2):
        sessions.append((await send(ada, SendMessageCommand(f"Chat {n}", project_id=personal))).session.id)
    await send(ALICE, SendMessageCommand("Not ada's", project_id=TEAM))
    everything = await collect(await app.use(ExportAccount)(ada))
    assert [session.id for session, _ in everything["chat_sessions"]] == sessions[::-1]
    assert [t.message for t in everything["chat_sessions"][-1][1]] == ["First chat", "more 0", "more 1"]


async def test_an_admin_exports_only_their_own_account_and_nobody_may_export_anonymously() -> None:
    app = FakeApp()
    with pytest.raises(Forbidden):
        await app.use(ExportAccount)(ANONYMOUS)
    with pytest.raises(NotFound):
        await app.use(ExportAccount)(ADMIN)  # the fakes' ADMIN principal has no stored account
