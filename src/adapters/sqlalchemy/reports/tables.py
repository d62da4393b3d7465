"""The usage roll-ups: the sums of ended executions per project, user (the task's submitter), model and
month (the monthly budget's one read) or day (the reports' rows). Kept by the flush that ends each
execution (reports/endings.py), in its transaction; never recounted from the executions."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Uuid,
)

from agentry.adapters.sqlalchemy.metadata import metadata


def _sums() -> list[Column[object]]:
    return [
        Column("executions", Integer, nullable=False),
        Column("succeeded", Integer, nullable=False),
        Column("failed", Integer, nullable=False),
        Column("input_tokens", BigInteger, nullable=False),
        Column("output_tokens", BigInteger, nullable=False),
        Column("cost_usd", Float, nullable=False),
    ]


SUMS = ("executions", "succeeded", "failed", "input_tokens", "output_tokens", "cost_usd")

# A project's spend this month is one range of its primary key: (project_id, month).
usage_monthly = Table(
    "usage_monthly",
    metadata,
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("month", Date, nullable=False),  # its first day
    Column("user_id", Uuid, nullable=False),  # no foreign key: a deleted user's spend stays counted
    Column("model", String(200), nullable=False),  # "": the runner's default model
    *_sums(),
    PrimaryKeyConstraint("project_id", "month", "user_id", "model"),
)

usage_daily = Table(
    "usage_daily",
    metadata,
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("model", String(200), nullable=False),
    *_sums(),
    PrimaryKeyConstraint("project_id", "day", "user_id", "model"),
    Index("ix_usage_daily_user_id_day", "user_id", "day"),  # one user's own usage
    Index("ix_usage_daily_day", "day"),  # an admin's report over every project
)
