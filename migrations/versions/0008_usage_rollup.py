"""usage roll-ups: the sums of ended executions per project, user, model and month (the monthly budget's
one indexed read) and per day (the usage reports), filled from the executions ended so far; an index on
the project of waiting tasks (the backlog in the task stats)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("status IN ('pending', 'queued')")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
SUMS = ("executions", "succeeded", "failed", "input_tokens", "output_tokens", "cost_usd")
_BATCH = 5000


def _sum_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("executions", sa.Integer(), nullable=False),
        sa.Column("succeeded", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
    ]


def _rollup(name: str, when: str) -> sa.Table:
    return op.create_table(
        name,
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column(when, sa.Date(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        *_sum_columns(),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=f"fk_{name}_project_id_projects", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", when, "user_id", "model", name=f"pk_{name}"),
    )


def upgrade() -> None:
    monthly = _rollup("usage_monthly", "month")
    daily = _rollup("usage_daily", "day")
    op.create_index("ix_usage_daily_user_id_day", "usage_daily", ["user_id", "day"])
    op.create_index("ix_usage_daily_day", "usage_daily", ["day"])
    op.create_index(
        "ix_tasks_waiting_project_id", "tasks", ["project_id"], postgresql_where=WAITING, sqlite_where=WAITING
    )
    _backfill(monthly, daily)


def _backfill(monthly: sa.Table, daily: sa.Table) -> None:
    """Add up every ended execution, as the flush that ends one adds it (adapters/sqlalchemy/reports/endings.py):
    counted on the day (UTC) it started, under its task's project, submitter and model."""
    tasks = sa.table(
        "tasks", sa.column("id", sa.Uuid()), sa.column("project_id", sa.Uuid()), sa.column("owner_id", sa.Uuid()),
        sa.column("options", JSON),
    )  # fmt: skip
    executions = sa.table(
        "task_executions", sa.column("task_id", sa.Uuid()), sa.column("status", sa.String()),
        sa.column("started_at", sa.DateTime(timezone=True)), sa.column("input_tokens", sa.BigInteger()),
        sa.column("output_tokens", sa.BigInteger()), sa.column("cost_usd", sa.Float()),
    )  # fmt: skip
    t, e = tasks.c, executions.c
    query = (
        sa.select(
            t.project_id, t.owner_id, t.options, e.status, e.started_at, e.input_tokens, e.output_tokens, e.cost_usd
        )
        .select_from(executions.join(tasks, t.id == e.task_id))
        .where(e.status != "running")
    )
    by_day: dict[tuple[Any, ...], list[float]] = {}
    for project_id, owner_id, options, status, started_at, input_tokens, output_tokens, cost in op.get_bind().execute(
        query
    ):
        model = _model(options)
        key = (project_id, _utc_day(started_at), owner_id, model)
        sums = by_day.setdefault(key, [0, 0, 0, 0, 0, 0.0])
        for i, value in enumerate(
            (1, status == "succeeded", status in ("failed", "timed_out"), input_tokens, output_tokens, cost)
        ):
            sums[i] += value
    by_month: dict[tuple[Any, ...], list[float]] = {}
    for (project_id, day, owner_id, model), sums in by_day.items():
        month = by_month.setdefault((project_id, day.replace(day=1), owner_id, model), [0, 0, 0, 0, 0, 0.0])
        for i, value in enumerate(sums):
            month[i] += value
    for table, when, rows in ((daily, "day", by_day), (monthly, "month", by_month)):
        records = [
            {"project_id": p, when: w, "user_id": u, "model": m} | dict(zip(SUMS, sums, strict=True))
            for (p, w, u, m), sums in rows.items()
        ]
        for start in range(0, len(records), _BATCH):
            op.bulk_insert(table, records[start : start + _BATCH])


def _model(options: Any) -> str:
    if isinstance(options, str):
        options = json.loads(options)
    model = options.get("model") if isinstance(options, dict) else None
    return model or ""


def _utc_day(started_at: datetime | str) -> date:
    if isinstance(started_at, str):  # SQLite: naive UTC text
        started_at = datetime.fromisoformat(started_at)
    if started_at.tzinfo is None:
        started_at = started_at.replace(tzinfo=UTC)
    return started_at.astimezone(UTC).date()


def downgrade() -> None:
    op.drop_index("ix_tasks_waiting_project_id", table_name="tasks")
    op.drop_index("ix_usage_daily_day", table_name="usage_daily")
    op.drop_index("ix_usage_daily_user_id_day", table_name="usage_daily")
    op.drop_table("usage_daily")
    op.drop_table("usage_monthly")
