"""invitations and owned slugs: a project's slug is unique among its owner's projects (projects.owner_id,
the creator, taken from the earliest owner membership), members join by invitations they accept, and
stored emails take the one form the code compares them in (NFKC, lower-cased)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("owner", "maintainer", "member", "viewer")


def upgrade() -> None:
    _normalise_emails()
    with _projects_rebuilt_safely(), op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("owner_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key("fk_projects_owner_id_users", "users", ["owner_id"], ["id"], ondelete="SET NULL")
        batch.drop_constraint("uq_projects_slug", type_="unique")
        batch.create_unique_constraint("uq_projects_owner_id_slug", ["owner_id", "slug"])
    _set_owners()
    op.create_table(
        "invitations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column(
            "role",
            sa.Enum(*ROLES, name="project_role", native_enum=False, create_constraint=True, length=10),
            nullable=False,
        ),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_invitations_project_id_projects", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"], ["users.id"], name="fk_invitations_invited_by_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("project_id", "email", name="uq_invitations_project_id_email"),
    )
    op.create_index("ix_invitations_email", "invitations", ["email"])


def downgrade() -> None:
    """Back to server-wide slugs: refused if two owners now use the same slug (rename one first)."""
    op.drop_index("ix_invitations_email", table_name="invitations")
    op.drop_table("invitations")
    clashes = op.get_bind().execute(sa.text("SELECT slug FROM projects GROUP BY slug HAVING COUNT(*) > 1")).all()
    if clashes:
        raise RuntimeError(f"several projects use the slug(s) {[row[0] for row in clashes]}: rename them first")
    with _projects_rebuilt_safely(), op.batch_alter_table("projects") as batch:
        batch.drop_constraint("uq_projects_owner_id_slug", type_="unique")
        batch.create_unique_constraint("uq_projects_slug", ["slug"])
        batch.drop_constraint("fk_projects_owner_id_users", type_="foreignkey")
        batch.drop_column("owner_id")


def _normalise_emails() -> None:
    """Stored emails in the form login and invitations look them up in. Two accounts whose emails are
    then the same are not merged: the migration stops, naming them, for an administrator to decide."""
    bind = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Uuid()), sa.column("email", sa.String()))
    rows = bind.execute(sa.select(users.c.id, users.c.email)).all()
    forms: defaultdict[str, list[str]] = defaultdict(list)
    changed = []
    for user_id, email in rows:
        normal = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email).strip().lower())
        forms[normal].append(str(user_id))
        if normal != email:
            changed.append((user_id, normal))
    clashes = {email: ids for email, ids in forms.items() if len(ids) > 1}
    if clashes:
        raise RuntimeError(
            f"accounts whose emails are the same once normalised (NFKC, lower case): {clashes}; "
            "change or delete all but one of each, then migrate again"
        )
    for user_id, normal in changed:
        bind.execute(sa.update(users).where(users.c.id == user_id).values(email=normal))


def _set_owners() -> None:
    """Each project's owner: its earliest owner member (none if it has no owner left)."""
    op.execute(
        """
        UPDATE projects SET owner_id = (
            SELECT m.user_id FROM memberships m
            WHERE m.project_id = projects.id AND m.role = 'owner'
            ORDER BY m.created_at, m.user_id LIMIT 1
        )
        """
    )


@contextmanager
def _projects_rebuilt_safely() -> Iterator[None]:
    """On SQLite, batch mode rebuilds `projects` (copy, DROP TABLE, rename); with foreign keys on, that
    DROP would cascade to every membership and task. So foreign keys are off around the rebuild (see 0002)."""
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
    yield
    broken = op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).all()
    if broken:
        raise RuntimeError(f"rebuilding projects left rows whose foreign keys point nowhere: {broken[:5]}")
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=ON")
