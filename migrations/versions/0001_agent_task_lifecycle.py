"""agent task lifecycle: tasks, tags, executions, log, results, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIME = sa.DateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("max_attempts", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            _enum(
                "task_status",
                "pending",
                "queued",
                "running",
                "cancelling",
                "succeeded",
                "failed",
                "timed_out",
                "cancelled",
            ),
            nullable=False,
        ),
        sa.Column("scheduled_at", TIME, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("execution_count", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("queued_at", TIME, nullable=True),
        sa.Column("started_at", TIME, nullable=True),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("request_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
        sa.UniqueConstraint("owner_id", "idempotency_key", name="uq_tasks_owner_idempotency_key"),
    )
    op.create_index("ix_tasks_created_at_id", "tasks", ["created_at", "id"])
    op.create_index("ix_tasks_owner_created_at_id", "tasks", ["owner_id", "created_at", "id"])
    op.create_index("ix_tasks_priority_created_at_id", "tasks", ["priority", "created_at", "id"])
    op.create_index("ix_tasks_status_created_at", "tasks", ["status", "created_at"])
    op.create_index(
        "ix_tasks_title_trgm", "tasks", ["title"], postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}
    )

    op.create_table(
        "task_tags",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_task_tags_task_id_tasks", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", "tag", name="pk_task_tags"),
    )
    op.create_index("ix_task_tags_tag_task_id", "task_tags", ["tag", "task_id"])

    op.create_table(
        "task_executions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            _enum("execution_status", "running", "succeeded", "failed", "timed_out", "cancelled"),
            nullable=False,
        ),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("agent_session_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_task_executions_task_id_tasks", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_task_executions"),
        sa.UniqueConstraint("task_id", "number", name="uq_task_executions_task_id_number"),
    )
    op.create_index("ix_task_executions_duration_s", "task_executions", ["duration_s"])

    op.create_table(
        "execution_logs",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("execution_number", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("execution_id", sa.Uuid(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("level", _enum("log_level", "debug", "info", "warning", "error"), nullable=False),
        sa.Column(
            "kind",
            _enum("log_kind", "system", "assistant", "tool_use", "tool_result", "stderr", "result"),
            nullable=False,
        ),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_execution_logs_task_id_tasks", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", "execution_number", "sequence", name="pk_execution_logs"),
    )

    op.create_table(
        "task_results",
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("execution_id", sa.Uuid(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("artifacts", JSON, nullable=False),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_task_results_task_id_tasks", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", name="pk_task_results"),
    )

    op.create_table(
        "queue_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("execution_number", sa.Integer(), nullable=False),
        sa.Column("priority_rank", sa.SmallInteger(), nullable=False),
        sa.Column("available_at", TIME, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("leased_until", TIME, nullable=True),
        sa.Column("dispatched_at", TIME, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_queue_jobs_task_id_tasks", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_queue_jobs"),
        sa.UniqueConstraint("task_id", "execution_number", name="uq_queue_jobs_task_id_execution_number"),
    )
    op.create_index(
        "ix_queue_jobs_undispatched",
        "queue_jobs",
        ["available_at"],
        postgresql_where=sa.text("dispatched_at IS NULL"),
        sqlite_where=sa.text("dispatched_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("queue_jobs")
    op.drop_table("task_results")
    op.drop_table("execution_logs")
    op.drop_table("task_executions")
    op.drop_table("task_tags")
    op.drop_table("tasks")
