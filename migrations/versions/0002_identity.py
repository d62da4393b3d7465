"""identity and access: users, projects, memberships, login sessions, tokens, signing keys; tasks belong to projects

Existing tasks move into one shared project, "Default project" (slug "default").

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)
DEFAULT_PROJECT_SLUG = "default"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", _enum("global_role", "admin", "user"), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("password_changed_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )

    op.create_table(
        "projects",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("settings", JSON, nullable=False),
        sa.Column("personal", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.UniqueConstraint("slug", name="uq_projects_slug"),
    )

    op.create_table(
        "memberships",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", _enum("project_role", "owner", "maintainer", "member", "viewer"), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_memberships_project_id_projects", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_memberships_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "user_id", name="pk_memberships"),
    )
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])

    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_used_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.Column(
            "revoke_reason",
            _enum("revoke_reason", "logout", "refresh_token_reuse", "password_changed", "user_deactivated"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_login_sessions_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_login_sessions"),
    )
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"])

    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("spent_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["login_sessions.id"],
            name="fk_refresh_tokens_session_id_login_sessions",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_refresh_tokens_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
    )
    op.create_index("ix_refresh_tokens_session_id", "refresh_tokens", ["session_id"])
    op.create_index("ix_refresh_tokens_user_id", "refresh_tokens", ["user_id"])

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_api_tokens_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])

    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("retired_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("kid", name="pk_signing_keys"),
    )

    op.add_column("tasks", sa.Column("project_id", sa.Uuid(), nullable=True))
    _move_existing_tasks_into_a_default_project()
    with _tasks_table_rebuilt_safely(), op.batch_alter_table("tasks") as batch:
        batch.alter_column("project_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_foreign_key("fk_tasks_project_id_projects", "projects", ["project_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_tasks_project_created_at_id", "tasks", ["project_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_tasks_project_created_at_id", table_name="tasks")
    with _tasks_table_rebuilt_safely(), op.batch_alter_table("tasks") as batch:
        batch.drop_constraint("fk_tasks_project_id_projects", type_="foreignkey")
        batch.drop_column("project_id")
    op.drop_table("signing_keys")
    op.drop_table("api_tokens")
    op.drop_table("refresh_tokens")
    op.drop_table("login_sessions")
    op.drop_table("memberships")
    op.drop_table("projects")
    op.drop_table("users")


def _move_existing_tasks_into_a_default_project() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM tasks LIMIT 1")).first() is None:
        return
    projects = sa.table(
        "projects",
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("slug", sa.String()),
        sa.column("settings", JSON),
        sa.column("personal", sa.Boolean()),
        sa.column("created_at", TIME),
        sa.column("updated_at", TIME),
    )
    tasks = sa.table("tasks", sa.column("project_id", sa.Uuid()))
    project_id = uuid.uuid4()
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite keeps naive UTC text, as the UTCDateTime column type does
    bind.execute(
        sa.insert(projects).values(
            id=project_id,
            name="Default project",
            slug=DEFAULT_PROJECT_SLUG,
            settings={"allowed_runners": None, "allowed_permission_modes": None},
            personal=False,
            created_at=now,
            updated_at=now,
        )
    )
    bind.execute(sa.update(tasks).values(project_id=project_id))


@contextmanager
def _tasks_table_rebuilt_safely() -> Iterator[None]:
    """On SQLite, batch mode rebuilds `tasks` (copy, DROP TABLE, rename). With foreign keys on, that
    DROP would delete every task first, and ON DELETE CASCADE with it every tag, execution, log line,
    result and queue job. So foreign keys are off around the rebuild; SQLite only switches them
    outside a transaction, hence the autocommit blocks (the second commits this migration's work)."""
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
    yield
    broken = op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).all()
    if broken:
        raise RuntimeError(f"rebuilding tasks left rows whose foreign keys point nowhere: {broken[:5]}")
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=ON")
