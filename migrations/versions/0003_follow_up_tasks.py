"""follow-up tasks: a task may resume the agent session of an earlier one, in the same workspace

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-14
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("follows_task_id", sa.Uuid(), nullable=True))
    op.add_column("tasks", sa.Column("resume_session_id", sa.String(length=200), nullable=True))
    op.add_column("tasks", sa.Column("workspace_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: on SQLite that would rebuild `tasks`, and dropping the old table cascades to
    # every execution, log line and result. SQLite drops a plain column in place (3.35 and later).
    op.drop_column("tasks", "workspace_id")
    op.drop_column("tasks", "resume_session_id")
    op.drop_column("tasks", "follows_task_id")
