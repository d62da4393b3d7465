from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from agentry.adapters.argon2.password_hasher import Argon2PasswordHasher
from agentry.application.errors import DuplicateEmail, Forbidden, Unauthenticated
from agentry.application.identity.authenticate import Authenticate
from agentry.application.identity.log_in import LogIn
from agentry.application.identity.log_out import LogOut
from agentry.application.identity.refresh_session import RefreshSession
from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.identity.settings import IdentitySettings
from agentry.application.identity.tokens import TokenPair
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole, ProjectRole
from tests.fakes.app import ADMIN, ALICE, FakeApp

ANONYMOUS = Principal.anonymous()
PASSWORD = "tulip-harbour-engine-42"


async def register(
    app: FakeApp,
    email: str = "ada@example.com",
    password: str = PASSWORD,
    *,
    actor: Principal = ANONYMOUS,
    role: GlobalRole = GlobalRole.USER,
) -> User:
    return await app.use(RegisterUser)(actor, Registration(email, password, "Ada Lovelace", role))


async def log_in(app: FakeApp, email: str = "ada@example.com", password: str = PASSWORD) -> TokenPair:
    return await app.use(LogIn)(ANONYMOUS, email, password)


async def refresh(app: FakeApp, refresh_token: str) -> TokenPair:
    return await app.use(RefreshSession)(ANONYMOUS, refresh_token)


async def authenticate(app: FakeApp, access_token: str) -> Principal:
    return await app.use(Authenticate)(access_token)


def identity_tables(app: FakeApp) -> dict[str, Any]:
    """Everything registration and sessions may write, as plain values."""
    tables = ("users", "projects", "memberships", "login_sessions", "refresh_tokens")
    return {
        name: {key: copy.deepcopy(dataclasses.asdict(row)) for key, row in app.db.table(name).items()}
        for name in tables
    }


# --- registration ------------------------------------------------------------------------------


async def test_a_new_user_gets_a_personal_project_they_own() -> None:
    app = FakeApp()
    user = await register(app)
    [personal] = [p for p in app.db.projects.values() if p.personal]
    assert app.db.users[user.id].email == "ada@example.com"
    assert app.db.memberships[(personal.id, user.id)].role is ProjectRole.OWNER
    assert [m.user_id for m in app.db.memberships.values() if m.project_id == personal.id] == [user.id]
    principal = await authenticate(app, (await log_in(app)).access_token)
    assert principal.memberships == {personal.id: ProjectRole.OWNER}


async def test_the_email_is_stored_trimmed_and_in_lower_case_and_logs_in_in_any_case() -> None:
    app = FakeApp()
    user = await register(app, "  Ada.Lovelace@Example.COM ")
    assert user.email == app.db.users[user.id].email == "ada.lovelace@example.com"
    pair = await log_in(app, "ADA.LOVELACE@example.com")
    assert (await authenticate(app, pair.access_token)).id == user.id


async def test_a_second_account_with_the_same_email_in_another_case_is_refused() -> None:
    app = FakeApp()
    await register(app, "ada@example.com")
    before = identity_tables(app)
    with pytest.raises(DuplicateEmail):
        await register(app, "Ada@Example.com", "another-long-passphrase")
    assert identity_tables(app) == before


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("short-pw", id="too short"),
        pytest.param("password1234", id="a well-known password"),
        pytest.param("PASSWORD1234", id="a well-known password in capitals"),
        pytest.param("aaaaaaaaaaaaaaaa", id="one letter repeated"),
        pytest.param("abcdefghijklmnop", id="a run of the alphabet"),
        pytest.param("ada@example.com", id="the email address"),
        pytest.param("ADA@EXAMPLE.COM", id="the email address in capitals"),
        pytest.param("x" * 257, id="absurdly long"),
    ],
)
async def test_a_weak_password_is_refused_and_nothing_is_written(password: str) -> None:
    app = FakeApp()
    before, commits = identity_tables(app), app.db.commits
    with pytest.raises(InvalidValue) as refused:
        await register(app, "ada@example.com", password)
    assert refused.value.field == "password"
    assert identity_tables(app) == before
    assert app.db.commits == commits


async def test_closed_registration_refuses_anonymous_callers_but_an_admin_may_still_register_someone() -> None:
    app = FakeApp()
    app.identity_settings = IdentitySettings(open_registration=False, password_min_length=12)
    with pytest.raises(Forbidden):
        await register(app)
    assert app.db.users == {}
    user = await register(app, actor=ADMIN)
    assert (await authenticate(app, (await log_in(app)).access_token)).id == user.id


@pytest.mark.parametrize("actor", [ANONYMOUS, ALICE], ids=["anonymous", "plain user"])
async def test_only_an_admin_may_create_an_admin(actor: Principal) -> None:
    app = FakeApp()
    with pytest.raises(Forbidden):
        await register(app, role=GlobalRole.ADMIN, actor=actor)
    assert app.db.users == {}
    admin = await register(app, role=GlobalRole.ADMIN, actor=ADMIN)
    assert app.db.users[admin.id].role is GlobalRole.ADMIN
    assert (await authenticate(app, (await log_in(app)).access_token)).is_admin


# --- logging in --------------------------------------------------------------------------------


async def test_the_right_password_gives_a_token_pair_that_authenticates_as_the_user() -> None:
    app = FakeApp()
    user = await register(app)
    pair = await log_in(app)
    assert pair.token_type == "Bearer" and pair.expires_in > 0
    assert pair.refresh_token.startswith("agr_")
    principal = await authenticate(app, pair.access_token)
    assert principal.id == user.id and principal.name == "Ada Lovelace"
    assert principal.session_id in app.db.login_sessions


async def test_a_wrong_password_an_unknown_email_and_a_deactivated_account_all_get_the_same_answer() -> None:
    app = FakeApp()
    await register(app, "ada@example.com")
    grace = await register(app, "grace@example.com")
    app.db.users[grace.id].deactivate(app.clock.now())
    sessions = dict(app.db.login_sessions)
    reasons = []
    for email, password in [
        ("ada@example.com", "not-the-right-passphrase"),
        ("nobody@example.com", PASSWORD),
        ("grace@example.com", PASSWORD),
        ("not an email", PASSWORD),
    ]:
        with pytest.raises(Unauthenticated) as refused:
            await log_in(app, email, password)
        reasons.append(str(refused.value))
    assert len(set(reasons)) == 1
    assert app.db.login_sessions == sessions == {}


async def test_a_hash_made_with_weaker_parameters_is_replaced_at_the_next_login() -> None:
    app = FakeApp()  # registers with the cheapest parameters
    user = await register(app)
    old_hash = app.db.users[user.id].password_hash
    changed_at = app.db.users[user.id].password_changed_at
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost_kib=16, max_threads=1)
    app.hasher = stronger
    try:
        assert stronger.needs_rehash(old_hash)
        await log_in(app)
        new_hash = app.db.users[user.id].password_hash
        assert new_hash != old_hash
        assert not stronger.needs_rehash(new_hash)
        assert await stronger.verify(new_hash, PASSWORD)
        assert app.db.users[user.id].password_changed_at == changed_at  # the same password, rehashed
        await log_in(app)
        assert app.db.users[user.id].password_hash == new_hash  # nothing left to upgrade
    finally:
        stronger.close()


# --- refreshing --------------------------------------------------------------------------------


async def test_a_refresh_spends_the_token_and_issues_a_successor_in_the_same_session() -> None:
    app = FakeApp()
    await register(app)
    first = await log_in(app)
    session_id = (await authenticate(app, first.access_token)).session_id
    second = await refresh(app, first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert (await authenticate(app, second.access_token)).session_id == session_id
    assert sum(t.spent_at is not None for t in app.db.refresh_tokens.values()) == 1
    third = await refresh(app, second.refresh_token)
    assert (await authenticate(app, third.access_token)).session_id == session_id


async def test_a_spent_refresh_token_presented_again_ends_the_whole_session() -> None:
    app = FakeApp()
    await register(app)
    first = await log_in(app)
    second = await refresh(app, first.refresh_token)
    with pytest.raises(Unauthenticated, match="already used"):
        await refresh(app, first.refresh_token)
    with pytest.raises(Unauthenticated):
        await refresh(app, second.refresh_token)
    for access_token in (first.access_token, second.access_token):
        with pytest.raises(Unauthenticated):
            await authenticate(app, access_token)
    [session] = app.db.login_sessions.values()
    assert session.revoked


async def test_a_reused_token_ends_only_its_own_session() -> None:
    app = FakeApp()
    await register(app)
    stolen = await log_in(app)
    other = await log_in(app)
    await refresh(app, stolen.refresh_token)
    with pytest.raises(Unauthenticated):
        await refresh(app, stolen.refresh_token)
    await authenticate(app, other.access_token)
    await refresh(app, other.refresh_token)


async def test_an_expired_refresh_token_is_refused() -> None:
    app = FakeApp()
    await register(app)
    pair = await log_in(app)
    app.clock.advance(seconds=app.identity_settings.refresh_token_ttl_s + 1)
    with pytest.raises(Unauthenticated):
        await refresh(app, pair.refresh_token)
    assert all(t.spent_at is None for t in app.db.refresh_tokens.values())


@pytest.mark.parametrize("token", ["", "agr_", "agr_not-a-token-we-issued", "garbage", "agt_abc"])
async def test_a_refresh_token_that_was_never_issued_is_refused(token: str) -> None:
    app = FakeApp()
    await register(app)
    await log_in(app)
    with pytest.raises(Unauthenticated):
        await refresh(app, token)


async def test_a_refresh_token_of_a_deactivated_user_is_refused() -> None:
    app = FakeApp()
    user = await register(app)
    pair = await log_in(app)
    app.db.users[user.id].deactivate(app.clock.now())
    with pytest.raises(Unauthenticated):
        await refresh(app, pair.refresh_token)
    with pytest.raises(Unauthenticated):
        await authenticate(app, pair.access_token)


# --- logging out -------------------------------------------------------------------------------


async def test_logging_out_ends_that_session_and_leaves_the_users_other_sessions_working() -> None:
    app = FakeApp()
    await register(app)
    laptop = await log_in(app)
    phone = await log_in(app)
    await app.use(LogOut)(await authenticate(app, laptop.access_token))
    with pytest.raises(Unauthenticated):
        await authenticate(app, laptop.access_token)
    with pytest.raises(Unauthenticated):
        await refresh(app, laptop.refresh_token)
    await authenticate(app, phone.access_token)
    renewed = await refresh(app, phone.refresh_token)
    await authenticate(app, renewed.access_token)


async def test_logging_out_with_someone_elses_refresh_token_does_not_end_their_session() -> None:
    app = FakeApp()
    await register(app, "ada@example.com")
    await register(app, "grace@example.com")
    ada = await log_in(app, "ada@example.com")
    grace = await log_in(app, "grace@example.com")
    await app.use(LogOut)(await authenticate(app, ada.access_token), grace.refresh_token)
    await authenticate(app, grace.access_token)
    await refresh(app, grace.refresh_token)


# --- authenticating ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credential",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage", id="garbage"),
        pytest.param("a.b.c", id="three dots"),
        pytest.param("agt_" + "x" * 43, id="an API token nobody was given"),
        pytest.param("agr_" + "x" * 43, id="a refresh token"),
    ],
)
async def test_a_credential_that_is_not_ours_does_not_authenticate(credential: str) -> None:
    app = FakeApp()
    await register(app)
    await log_in(app)
    with pytest.raises(Unauthenticated):
        await authenticate(app, credential)


async def test_an_expired_access_token_stops_working_and_the_refresh_token_gets_a_fresh_one() -> None:
    app = FakeApp()
    await register(app)
    pair = await log_in(app)
    app.clock.advance(seconds=pair.expires_in + 60)
    with pytest.raises(Unauthenticated):
        await authenticate(app, pair.access_token)
    renewed = await refresh(app, pair.refresh_token)
    await authenticate(app, renewed.access_token)
