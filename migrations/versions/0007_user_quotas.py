"""user quotas: an index on the owner of waiting (pending or queued) tasks, counted against the
per-user waiting limit at every submission and when one user's held-back work is offered again

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("status IN ('pending', 'queued')")


def upgrade() -> None:
    op.create_index("ix_tasks_waiting_owner_id", "tasks", ["owner_id"], postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade() -> None:
    op.drop_index("ix_tasks_waiting_owner_id", table_name="tasks")
