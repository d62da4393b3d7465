"""Migration 0006 on a database that already holds accounts and projects: stored emails take their
normal form (and two accounts that would then share one stop the migration, merging neither), each
project gets its earliest owner as owner, and no membership is lost to the rebuilt projects table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from agentry.adapters.sqlalchemy.engine import create_sync_database
from agentry.adapters.sqlalchemy.migrations import current_revision, downgrade, upgrade
from tests.conftest import create_database, drop_database

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TIME = sa.DateTime(timezone=True)
users = sa.table(
    "users",
    sa.column("id", sa.Uuid()),
    *[sa.column(n, sa.String()) for n in ("email", "display_name", "password_hash", "role")],
    sa.column("active", sa.Boolean()),
    *[sa.column(n, TIME) for n in ("created_at", "updated_at")],
)
projects = sa.table(
    "projects",
    sa.column("id", sa.Uuid()),
    *[sa.column(n, sa.String()) for n in ("name", "slug")],
    sa.column("settings", sa.JSON()),
    sa.column("personal", sa.Boolean()),
    *[sa.column(n, TIME) for n in ("created_at", "updated_at")],
)
owned = sa.table("projects", sa.column("id", sa.Uuid()), sa.column("owner_id", sa.Uuid()))
memberships = sa.table(
    "memberships",
    *[sa.column(n, sa.Uuid()) for n in ("project_id", "user_id")],
    sa.column("role", sa.String()),
    *[sa.column(n, TIME) for n in ("created_at", "updated_at")],
)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/owned.db"
        return
    url = create_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_database(url)


def add_user(connection: sa.Connection, email: str) -> UUID:
    user_id = uuid4()
    row = {"display_name": "U", "password_hash": "h", "role": "user", "active": True}
    connection.execute(sa.insert(users).values(id=user_id, email=email, created_at=T0, updated_at=T0, **row))
    return user_id


def add_project(connection: sa.Connection, slug: str, *members: tuple[UUID, str, int]) -> UUID:
    project_id = uuid4()
    row = {"name": slug, "slug": slug, "settings": {}, "personal": False, "created_at": T0, "updated_at": T0}
    connection.execute(sa.insert(projects).values(id=project_id, **row))
    for user_id, role, minute in members:
        at = T0 + timedelta(minutes=minute)
        connection.execute(
            sa.insert(memberships).values(
                project_id=project_id, user_id=user_id, role=role, created_at=at, updated_at=at
            )
        )
    return project_id


def test_emails_are_normalised_projects_get_their_first_owner_and_memberships_stay(database_url: str) -> None:
    upgrade(database_url, "0005")
    engine = create_sync_database(database_url)
    try:
        with engine.begin() as connection:
            ada, bob = add_user(connection, "ａｄａ@example.com"), add_user(connection, "bob@example.com")
            tools = add_project(connection, "tools", (bob, "owner", 2), (ada, "owner", 1))
            orphan = add_project(connection, "orphan", (bob, "viewer", 1))
        upgrade(database_url, "0006")
        with engine.connect() as connection:
            emails = dict(connection.execute(sa.text("SELECT id, email FROM users")).all())
            owners = dict(connection.execute(sa.text("SELECT id, owner_id FROM projects")).all())
            kept = connection.execute(sa.text("SELECT count(*) FROM memberships")).scalar_one()
        assert {UUID(str(k)): v for k, v in emails.items()} == {ada: "ada@example.com", bob: "bob@example.com"}
        assert {UUID(str(k)): v and UUID(str(v)) for k, v in owners.items()} == {tools: ada, orphan: None}
        assert kept == 3, "rebuilding projects took no membership with it"
        with engine.begin() as connection:  # bob may now use ada's slug
            bobs = add_project(connection, "tools")
            connection.execute(sa.update(owned).where(owned.c.id == bobs).values(owner_id=bob))
        with pytest.raises(RuntimeError, match="tools"):  # back to server-wide slugs: not while two share one
            downgrade(database_url, "0005")
        with engine.begin() as connection:
            connection.execute(sa.delete(owned).where(owned.c.id == bobs))
        downgrade(database_url, "0005")
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM memberships")).scalar_one() == 3
    finally:
        engine.dispose()


def test_two_accounts_whose_emails_become_one_stop_the_migration(database_url: str) -> None:
    upgrade(database_url, "0005")
    engine = create_sync_database(database_url)
    try:
        with engine.begin() as connection:
            add_user(connection, "ａｄａ@example.com")
            add_user(connection, "ada@example.com")
        with pytest.raises(RuntimeError, match=r"ada@example\.com"):
            upgrade(database_url, "0006")
        assert current_revision(database_url) == "0005"
        with engine.connect() as connection:
            stored = sorted(connection.execute(sa.text("SELECT email FROM users")).scalars())
        assert stored == ["ada@example.com", "ａｄａ@example.com"], "neither account was changed or merged"
    finally:
        engine.dispose()
