"""scale indexes: what bench/data_scale.py showed a million tasks need.

The index that leads with the project carries the columns the list filters on (status, priority, owner,
title, tags), so a page over a few projects, read one project at a time, filters in the index without visiting
the table; a second one orders each project's tasks by priority; and the executions' index by task carries
the duration, which the stats average and rank for the tasks in scope. The backlog's index of waiting
tasks by project carries their status and queued time (the stats' backlog, counted in the index).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED = ["status", "priority", "owner_id", "title", "tags"]
WAITING = sa.text("status IN ('pending', 'queued')")


def upgrade() -> None:
    op.drop_index("ix_tasks_project_created_at_id", table_name="tasks")
    op.create_index(
        "ix_tasks_project_created_at_id", "tasks", ["project_id", "created_at", "id"], postgresql_include=FILTERED
    )
    op.create_index(
        "ix_tasks_project_priority_created_at_id",
        "tasks",
        ["project_id", "priority", "created_at", "id"],
        postgresql_include=FILTERED,
    )
    op.create_index("ix_task_executions_task_id_duration_s", "task_executions", ["task_id", "duration_s"])
    _waiting_by_project(include=["status", "queued_at"])


def _waiting_by_project(include: list[str]) -> None:
    op.drop_index("ix_tasks_waiting_project_id", table_name="tasks")
    op.create_index(
        "ix_tasks_waiting_project_id",
        "tasks",
        ["project_id"],
        postgresql_where=WAITING,
        sqlite_where=WAITING,
        postgresql_include=include,
    )


def downgrade() -> None:
    _waiting_by_project(include=[])
    op.drop_index("ix_task_executions_task_id_duration_s", table_name="task_executions")
    op.drop_index("ix_tasks_project_priority_created_at_id", table_name="tasks")
    op.drop_index("ix_tasks_project_created_at_id", table_name="tasks")
    op.create_index("ix_tasks_project_created_at_id", "tasks", ["project_id", "created_at", "id"])
