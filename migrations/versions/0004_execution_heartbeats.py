"""execution heartbeats: a running execution's worker renews `heartbeat_at`; silence past a time-out
means the worker is lost and the execution is recovered

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-20
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    op.add_column("task_executions", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    # Executions running at the upgrade count from their start: if their worker is gone (it was
    # stopped for the upgrade), they are recovered once the time-out has passed.
    op.execute("UPDATE task_executions SET heartbeat_at = started_at WHERE status = 'running'")
    op.create_index(
        "ix_task_executions_running_heartbeat_at",
        "task_executions",
        ["heartbeat_at"],
        postgresql_where=RUNNING,
        sqlite_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("ix_task_executions_running_heartbeat_at", table_name="task_executions")
    # Not in batch mode: on SQLite that would rebuild `task_executions` (see 0003); SQLite drops a
    # plain column in place (3.35 and later).
    op.drop_column("task_executions", "heartbeat_at")
